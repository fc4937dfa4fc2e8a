import CovenantCEL
import CovenantEngine
import CovenantLoader
import CovenantModel
import Testing

/// Loads a convention from YAML text, failing the test on any error.
func convention(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> Convention {
    let result = ConventionLoader.load(text: yaml)
    let errors = result.diagnostics.filter { $0.severity == .error }
    #expect(errors.isEmpty, "unexpected errors: \(errors.map { "\($0.span?.description ?? ""): \($0.message.en)" })",
            sourceLocation: sourceLocation)
    return result.convention!
}

/// An incident record from JSON text.
func record(_ json: String, line: Int = 1) -> IncidentRecord {
    switch try? JSON.parse(json) {
    case .map(let m)?: return IncidentRecord(origin: RecordOrigin(file: "test", line: line), content: .success(m))
    default: return IncidentRecord(origin: RecordOrigin(file: "test", line: line),
                                   content: .failure(RecordProblem(.init(en: "bad test JSON", zh: "bad test JSON"))))
    }
}

/// A report of `category` with facts, for household `h` at `time` (local +08:00).
func report(_ id: String, _ time: String, household h: String? = "H-1", category: String = "ebike",
            facts: String = #"{"location": "corridor", "charging": true}"#, kind: String = "report",
            evidence: String = #"[{"type": "photo"}]"#, zone: String = "corridor") -> IncidentRecord {
    let household = h.map { #""household": "\#($0)","# } ?? ""
    return record(#"""
        {"id": "\#(id)", "kind": "\#(kind)", "occurred_at": "\#(time)", \#(household)
         "where": {"grid": "G01", "building": "12", "zone": "\#(zone)"}, "category": "\#(category)",
         "facts": \#(facts), "evidence": \#(evidence)}
        """#)
}

let baseConvention = """
    covenant: 1
    id: test
    timezone: Asia/Shanghai
    effective: 2026-01-01
    zones: [home, corridor, stairwell, lobby, playground, road]
    groups: [ebike, dog]
    categories:
      ebike:
        facts: { location: zone, charging: bool, blocking_exit: "bool?" }
      pet:
        facts: { species: string, leashed: bool }
      noise:
        facts: { source: string }
      volunteer:
        kind: deed
        facts: { hours: double }
    rules:
      - id: ebike.charging
        title: { zh: 禁止楼道充电, en: No charging in corridors }
        category: ebike
        group: ebike
        applies: facts.location in ["corridor", "stairwell", "lobby"]
        violation: facts.charging
        severity: major
        evidence: [photo]
        dedupe: 2h
        escalation:
          window: 90d
          steps:
            - { action: { zh: 劝导, en: Persuade }, points: -2 }
            - { action: { zh: 警告, en: Warn }, points: -5 }
            - { action: { zh: 移交, en: Refer }, points: -10, refer_to: fire_brigade, publish: building }
      - id: ebike.exit
        category: ebike
        group: ebike
        violation: has(facts.blocking_exit) && facts.blocking_exit
        severity: critical
        escalation: { window: 90d, steps: [ { action: 警告, points: -5 }, { action: 移交, points: -10 } ] }
      - id: pet.leash
        category: pet
        group: dog
        applies: facts.species == "dog" && incident.where.zone != "home"
        violation: "!facts.leashed"
        evidence: { any_of: [[photo], [{ witness_statement: 2 }]] }
        escalation: { window: 30d, steps: [ { action: 劝导, points: -1 }, { action: 警告, points: -3 } ] }
        effective: { from: 2026-03-01, until: 2026-12-01 }
      - id: noise.night
        category: noise
        violation: local.time >= "22:00" || local.time < "06:00"
        points: -2
    credits:
      - id: volunteer.hours
        category: volunteer
        points: "int(facts.hours * 2.0)"
    exemptions:
      - id: guide-dog
        rules: [pet.leash]
        household: H-GUIDE
        reason: { zh: 导盲犬, en: Guide dog }
        until: 2027-01-01
    """

/// The first index where two lists differ, among the indices both have (their counts are checked
/// apart); nil when they agree there.
func firstDifference<T: Equatable>(_ a: [T], _ b: [T]) -> Int? {
    (0..<min(a.count, b.count)).first { a[$0] != b[$0] }
}
