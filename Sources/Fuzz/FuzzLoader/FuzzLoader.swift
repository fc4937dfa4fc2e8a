// libFuzzer target: arbitrary bytes as a convention file through the loader, and — when it loads —
// a few incidents of every category judged by it (scripts/fuzz.sh FuzzLoader).
// Tests/CovenantEngineTests/FuzzRegressionTests.swift replays the corpus and the regressions through
// the same calls without a sanitizer; keep the two in step.
import CFuzzDriver
import CovenantCEL
import CovenantEngine
import CovenantLoader
import CovenantModel
import CovenantSource
import Glibc

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    let result = ConventionLoader.load(text: text, name: "fuzz.yaml")
    // Every diagnostic must render against its source (positions inside the text).
    _ = DiagnosticRenderer().render(result.diagnostics, sources: result.sources)
    _ = DiagnosticRenderer(language: .zh).render(result.diagnostics, sources: result.sources)
    guard let convention = result.convention else { return 0 }
    let engine = Engine(convention: convention)
    let records = sampleRecords(for: convention)
    _ = engine.evaluate(records)
    if let first = records.first { _ = engine.explain(first, history: Array(records.dropFirst())) }
    return 0
}

/// Two reports and an inspection for each of (at most 8 of) the convention's categories, every
/// declared fact present with a value of its type — so that loaded conditions are evaluated.
func sampleRecords(for convention: Convention) -> [IncidentRecord] {
    let zone = convention.zones.first ?? "corridor"
    var out: [IncidentRecord] = []
    for id in convention.categories.keys.sorted().prefix(8) {
        let category = convention.categories[id]!
        var facts = MapValue()
        for fact in category.facts { facts.insert(.string(fact.name), sample(fact.type, zone: zone)) }
        for (n, (kind, time)) in [("report", "2026-07-01T21:30:00+08:00"), ("report", "2026-07-02T06:15:00+08:00"),
                                  ("inspection", "2026-07-03T12:00:00+08:00")].enumerated() {
            var r = MapValue()
            r.insert(.string("id"), .string("FUZZ-\(id)-\(n)"))
            r.insert(.string("kind"), .string(category.kind == .deed ? "deed" : kind))
            r.insert(.string("occurred_at"), .string(time))
            r.insert(.string("household"), .string("H-1-1-101"))
            var place = MapValue()
            place.insert(.string("grid"), .string("G01"))
            place.insert(.string("building"), .string("1"))
            place.insert(.string("zone"), .string(zone))
            r.insert(.string("where"), .map(place))
            r.insert(.string("category"), .string(id))
            r.insert(.string("facts"), .map(facts))
            var photo = MapValue()
            photo.insert(.string("type"), .string("photo"))
            r.insert(.string("evidence"), .list([.map(photo)]))
            out.append(IncidentRecord(origin: RecordOrigin(file: "fuzz", line: out.count + 1), content: .success(r)))
        }
    }
    return out
}

func sample(_ type: FactType, zone: String) -> Value {
    switch type {
    case .bool: return .bool(true)
    case .int: return .int(3)
    case .double: return .double(2.5)
    case .string: return .string("corridor")
    case .zone: return .string(zone)
    case .timestamp: return .string("2026-07-01T20:00:00+08:00")
    case .duration: return .string("1h30m")
    case .list(let element): return .list([sample(element, zone: zone), sample(element, zone: zone)])
    }
}

@main
enum Main {
    static func main() {
        exit(covenant_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { data, size in
            data.map { fuzz($0, size) } ?? 0
        })
    }
}
