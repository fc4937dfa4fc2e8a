import CovenantCEL
import Testing

/// Operators with a constant right operand (`facts.count > 3`, `facts.location in ["corridor"]`,
/// `facts.species == "dog"`) and `variable.field` selections are compiled to specialised code. They
/// must give exactly what the general operators give — values, error kinds, messages and positions
/// — for every kind of left value, including those the specialisation does not expect (a `dyn`
/// value of another type, NaN, a missing field).
@Suite struct SpecialisationTests {
    static let environment = CELEnvironment(variables: [("v", .dyn), ("c", .dyn), ("m", .map(.string, .dyn))])

    static let lefts: [(String, Value)] = [
        ("int 3", .int(3)), ("int -7", .int(-7)), ("int max", .int(.max)), ("uint 3", .uint(3)),
        ("double 3.0", .double(3)), ("double 2.5", .double(2.5)), ("NaN", .double(.nan)),
        ("string dog", .string("dog")), ("string corridor", .string("corridor")), ("string e\u{301}", .string("e\u{301}")),
        ("string é", .string("\u{e9}")), ("bool", .bool(true)), ("null", .null), ("list", .list([.int(3)])),
        ("map", .map(MapValue([("a", .int(1))]))),
    ]

    static let constants: [(String, Value)] = [
        ("3", .int(3)), ("-7", .int(-7)), ("3.0", .double(3)), ("\"dog\"", .string("dog")),
        ("\"\u{e9}\"", .string("\u{e9}")), ("[\"corridor\", \"lobby\", \"\u{e9}\"]", .list([.string("corridor"), .string("lobby"), .string("\u{e9}")])),
        ("[3, 4]", .list([.int(3), .int(4)])),
    ]

    static func outcome(_ text: String, _ activation: Activation) -> String {
        do {
            let program = try environment.compile(text)
            do { return JSON.write(try program.evaluate(activation)) } catch {
                return "error \(error.kind.rawValue) \(error.message.en) @\(error.start)-\(error.end)"
            }
        } catch {
            return "compile error"
        }
    }

    @Test(arguments: ["==", "!=", "<", "<=", ">", ">=", "in"])
    func constantOperandGivesTheGeneralResult(_ op: String) {
        var compared = 0
        defer { #expect(compared >= 30, "\(op): only \(compared) pairs compiled") }
        for (leftName, left) in Self.lefts {
            for (literal, constant) in Self.constants {
                let activation = Self.environment.activation(["v": left, "c": constant])
                // `v op <literal>` is specialised; `v op c` (the same value through a variable) is not.
                let special = Self.outcome("v \(op) \(literal)", activation)
                if special == "compile error" { continue }  // e.g. `v < [3, 4]`: refused by the checker
                compared += 1
                let general = Self.outcome("v \(op) c", activation)
                // Positions differ only by the operand's length; compare without them.
                func plain(_ s: String) -> String { s.split(separator: "@").first.map(String.init) ?? s }
                #expect(plain(special) == plain(general), "\(leftName) \(op) \(literal)")
            }
        }
    }

    @Test func fieldOfAVariableIsTheGeneralSelection() {
        let map = MapValue([("a", .int(1)), ("b", .string("x")), ("\u{e9}", .bool(true))])
        for (text, expected) in [
            ("m.a", "1"), ("m.b", "\"x\""), ("has(m.a)", "true"), ("has(m.z)", "false"),
            ("m.z", "error no_such_key no such key: `z` @0-3"),
        ] {
            #expect(Self.outcome(text, Self.environment.activation(["m": .map(map)])) == expected, "\(text)")
        }
        // The variable unbound, or not a map: the same errors, at the same places, as before.
        #expect(Self.outcome("m.a", Self.environment.activation([:])) == "error unbound_variable no value for `m` @0-1")
        #expect(Self.outcome("v.a", Self.environment.activation(["v": .int(1)]))
                == "error no_such_field cannot select `a` from a value of type int @0-3")
    }
}
