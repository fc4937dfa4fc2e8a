import CovenantCEL
import Testing

/// Which fields of a variable an expression reads, so that a host builds only those (the engine's
/// `local` map): only `v.field` and `has(v.field)` count as reads of fields; any other use of the
/// variable needs all of it.
@Suite struct FieldsReadTests {
    static let environment = CELEnvironment(variables: [("facts", .map(.string, .dyn)), ("local", .map(.string, .dyn))])

    @Test(arguments: [
        ("local.hour >= 22 || local.hour < 6", ["hour"]),
        (#"has(local.weekday) && local.time < "06:00""#, ["time", "weekday"]),
        ("facts.count > 3", []),
        ("[1, 2].exists(x, x == local.month)", ["month"]),
        (#"local.date.startsWith("2026") && facts.local == 1"#, ["date"]),
        ("size(local) > 0", nil),
        (#"local["hour"] == 1"#, nil),
        ("[local].size() == 1", nil),
        ("[1].all(local, local > 0)", []),
    ] as [(String, [String]?)])
    func fieldsRead(_ text: String, _ expected: [String]?) throws {
        let checked = try Self.environment.check(text)
        #expect(checked.fieldsRead(ofVariable: 1).map { $0.sorted() } == expected, "\(text)")
    }
}
