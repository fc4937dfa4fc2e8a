import CovenantCEL

/// The variables conditions can read, with their types, in a fixed slot order shared by the
/// loader (which compiles against them) and the engine (which fills them).
public enum Scopes {
    /// Slots of a rule, credit or exemption condition.
    public enum Slot: Int, CaseIterable, Sendable {
        case facts = 0, incident, local, household, building
    }

    /// `incident.*`: the incident's own fields.
    public static let incidentType = RecordType(name: "incident", fields: [
        "id": .init(.string),
        "kind": .init(.string),
        "occurred_at": .init(.timestamp),
        "reported_at": .init(.timestamp),
        "reporter": .init(.record(RecordType(name: "incident.reporter", fields: [
            "id": .init(.string, optional: true), "role": .init(.string, optional: true),
        ])), optional: true),
        "where": .init(.record(RecordType(name: "incident.where", fields: [
            "grid": .init(.string, optional: true), "building": .init(.string, optional: true),
            "unit": .init(.string, optional: true), "zone": .init(.string, optional: true),
        ]))),
        "household": .init(.string, optional: true),
        "category": .init(.string),
        "evidence": .init(.list(.map(.string, .dyn))),
    ])

    /// `local.*`: `occurred_at` in the convention's time zone. `weekday` is ISO (1 Monday … 7 Sunday);
    /// `time` is `HH:MM`, so windows read `local.time >= "22:00" || local.time < "06:00"`.
    public static let localType = RecordType(name: "local", fields: [
        "year": .init(.int), "month": .init(.int), "day": .init(.int),
        "hour": .init(.int), "minute": .init(.int), "second": .init(.int),
        "weekday": .init(.int), "date": .init(.string), "time": .init(.string),
    ])

    /// `household.*`: id, grid, building, unit and the convention's declared attributes.
    public static func householdType(_ roster: RosterSchema) -> RecordType {
        var fields: [String: RecordType.Field] = [
            "id": .init(.string), "grid": .init(.string, optional: true),
            "building": .init(.string, optional: true), "unit": .init(.string, optional: true),
        ]
        for a in roster.household { fields[a.name] = .init(a.type.celType, optional: a.optional) }
        return RecordType(name: "household", fields: fields)
    }

    /// `building.*`: id, grid and the convention's declared attributes.
    public static func buildingType(_ roster: RosterSchema) -> RecordType {
        var fields: [String: RecordType.Field] = ["id": .init(.string), "grid": .init(.string, optional: true)]
        for a in roster.building { fields[a.name] = .init(a.type.celType, optional: a.optional) }
        return RecordType(name: "building", fields: fields)
    }

    /// The environment rule, credit and exemption conditions of a category compile against.
    public static func conditionEnvironment(facts: RecordType, roster: RosterSchema) -> CELEnvironment {
        CELEnvironment(variables: [
            ("facts", .record(facts)),
            ("incident", .record(incidentType)),
            ("local", .record(localType)),
            ("household", .record(householdType(roster))),
            ("building", .record(buildingType(roster))),
        ])
    }

    /// Aggregates a recognition's `when` reads for one subject and period.
    public static func recognitionEnvironment(categories: [String], roster: RosterSchema, subject: RecognitionSubject) -> CELEnvironment {
        var counts: [String: RecordType.Field] = [:]
        for c in categories { counts[c] = .init(.int) }
        var variables: [(name: String, type: CELType)] = [
            ("reports", .int), ("violations", .int), ("deeds", .int), ("points", .int), ("redeemable", .int),
            ("deducted", .int), ("credited", .int), ("inspections", .int), ("compliant_inspections", .int),
            ("compliance_rate", .double), ("households", .int), ("referrals", .int),
            ("counts", .record(RecordType(name: "counts", fields: counts))),
            ("id", .string),
        ]
        switch subject {
        case .household:
            variables.append(("household", .record(householdType(roster))))
            variables.append(("building", .record(buildingType(roster))))
        case .building:
            variables.append(("building", .record(buildingType(roster))))
        case .grid:
            break
        }
        return CELEnvironment(variables: variables)
    }
}
