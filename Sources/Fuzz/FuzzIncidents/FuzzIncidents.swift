// libFuzzer target: arbitrary bytes as an incident file in each of the four formats, read against a
// small fixed convention and judged by the engine (scripts/fuzz.sh FuzzIncidents).
// Tests/CovenantEngineTests/FuzzRegressionTests.swift replays the corpus and the regressions through
// the same calls without a sanitizer; keep the two in step (it holds the same convention text).
import CFuzzDriver
import CovenantEngine
import CovenantIO
import CovenantLoader
import CovenantModel
import CovenantSource
import Glibc

let conventionText = """
    covenant: 1
    id: fuzz
    timezone: Asia/Shanghai
    effective: 2026-01-01
    points: { initial: 100, period: year }
    zones: [home, corridor, stairwell, lobby, playground, road]
    groups: [ebike, dog]
    categories:
      ebike:
        facts: { location: zone, charging: bool, blocking_exit: "bool?", parked_minutes: "int?" }
      pet:
        facts: { species: string, leashed: bool, leash_length_m: "double?" }
      noise:
        facts: { source: string, since: "timestamp?", lasted: "duration?", tags: "[string]?" }
      volunteer:
        kind: deed
        facts: { hours: double }
    rules:
      - id: ebike.charging
        title: { zh: 禁止楼道充电, en: No charging in corridors }
        category: ebike
        group: ebike
        applies: facts.location in ["corridor", "stairwell", "lobby"]
        violation: facts.charging || (has(facts.parked_minutes) && facts.parked_minutes > 30)
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
        violation: "!facts.leashed || (has(facts.leash_length_m) && facts.leash_length_m > 2.0)"
        evidence: { any_of: [[photo], [{ witness_statement: 2 }]] }
        escalation: { window: 30d, steps: [ { action: 劝导, points: -1 }, { action: 警告, points: -3 } ] }
        effective: { from: 2026-03-01, until: 2026-12-01 }
      - id: noise.night
        category: noise
        violation: >-
          (local.time >= "22:00" || local.time < "06:00")
          && (!has(facts.lasted) || facts.lasted > duration("10m"))
          && (!has(facts.tags) || !("party" in facts.tags) || local.weekday in [5, 6])
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

let convention: Convention = {
    let result = ConventionLoader.load(text: conventionText, name: "fuzz-convention.yaml")
    guard let convention = result.convention, !result.diagnostics.contains(where: { $0.severity == .error }) else {
        fatalError("the fuzz convention does not load: \(result.diagnostics.map { $0.message.en })")
    }
    return convention
}()

let engine = Engine(convention: convention)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = IncidentFormat.sniff(bytes)
    // Differential: the engine's fast path (JSON bytes → incident) must never decide otherwise than
    // the general path (JSON → map → validator), line by line; nor may the order scan read another
    // household, time or id than the validator.
    for line in bytes.split(separator: 0x0A) where UTF8Validation.isValid(Array(line)) {
        precondition(engine.fastPathAgrees(json: Array(line)), "fast path and general path differ on this record")
        precondition(engine.orderKeyAgrees(json: Array(line)), "the order scan reads this record otherwise than the validator")
        precondition(engine.typedConditionsAgree(json: Array(line)), "typed conditions judge this record otherwise than the general evaluator")
    }
    for format in IncidentFormat.allCases {
        let records = IncidentReader.read(bytes, file: "fuzz.\(format.rawValue)", format: format, convention: convention)
        let verdicts = engine.evaluate(records)
        precondition(verdicts.count == records.count, "one verdict per record")
        if let first = records.first { _ = engine.explain(first, history: Array(records.dropFirst().prefix(8))) }
    }
    return 0
}

@main
enum Main {
    static func main() {
        // Lazy globals are created before libFuzzer starts counting allocations: LeakSanitizer cannot
        // follow the tagged pointers of Swift enums, so objects created during a run and kept by a
        // global would be reported as leaks.
        _ = engine
        exit(covenant_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { data, size in
            data.map { fuzz($0, size) } ?? 0
        })
    }
}
