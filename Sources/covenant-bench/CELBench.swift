import CovenantCEL
import CovenantEngine
import CovenantModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// covenant-bench: measures the hot paths. For now: CEL evaluation of typical rule conditions on a
// pre-built activation (ns per evaluation), and compile time per condition.
//
//   swift run -c release covenant-bench [--iterations N]

func now() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}


/// Nanoseconds per evaluation of typical rule conditions on a pre-built activation.
func runCELBench(iterations: Int) {
    let facts = RecordType(name: "facts(ebike)", fields: [
        "location": .init(.string), "charging": .init(.bool), "blocking_exit": .init(.bool, optional: true),
        "hours": .init(.double), "species": .init(.string), "leashed": .init(.bool), "count": .init(.int),
    ])
    let environment = CELEnvironment(variables: [
        ("facts", .record(facts)),
        ("local", .map(.string, .int)),
        ("incident", .map(.string, .dyn)),
    ])

    let conditions: [(String, String)] = [
        ("bool field", "facts.charging"),
        ("in list", #"facts.location in ["corridor", "stairwell", "lobby"]"#),
        ("and/not", #"facts.species == "dog" && !facts.leashed"#),
        ("hour window", "local.hour >= 22 || local.hour < 6"),
        ("has + or", "has(facts.blocking_exit) && facts.blocking_exit || facts.count > 3"),
        ("arith", "int(facts.hours * 2.0) >= 4 && facts.count * 2 + 1 < 100"),
        ("string fns", #"facts.location.startsWith("corr") && size(facts.species) == 3 && facts.species.contains("o")"#),
    ]

    var factsValue = MapValue()
    factsValue.set("location", "corridor")
    factsValue.set("charging", true)
    factsValue.set("hours", 2.5)
    factsValue.set("species", "dog")
    factsValue.set("leashed", false)
    factsValue.set("count", 4)
    var localValue = MapValue()
    localValue.set("hour", 23)
    localValue.set("minute", 5)
    let activation = environment.activation([
        "facts": .map(factsValue), "local": .map(localValue), "incident": .map(MapValue()),
    ])

    // The same conditions as the engine judges them when a category's conditions all compile to
    // typed code: facts read into slots from the record's bytes, no values, no map.
    let category = Category(id: "ebike", title: nil, kind: .event, facts: [
        FactDeclaration(name: "location", type: .string, optional: false), FactDeclaration(name: "charging", type: .bool, optional: false),
        FactDeclaration(name: "blocking_exit", type: .bool, optional: true), FactDeclaration(name: "hours", type: .double, optional: false),
        FactDeclaration(name: "species", type: .string, optional: false), FactDeclaration(name: "leashed", type: .bool, optional: false),
        FactDeclaration(name: "count", type: .int, optional: false),
    ])
    let factsJSON = #"{"location":"corridor","charging":true,"hours":2.5,"species":"dog","leashed":false,"count":4}"#
    let local = TimeZones.local(Timestamp.parse("2026-07-01T23:05:00Z")!, in: "UTC")!

    print("covenant-bench — CEL evaluation (\(iterations) iterations per condition)")
    print(String(repeating: "-", count: 84))
    func column(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
    print(column("condition", 14) + column("nodes", 7) + column("compile µs", 12) + column("ns/eval", 10) + column("typed ns", 10) + "result")
    var sink = 0
    for (name, text) in conditions {
        let t0 = now()
        let program: CELProgram
        do {
            program = try environment.compile(text, expecting: .bool)
        } catch {
            print("\(name): compile error \(error.issues.map(\.message.en))")
            continue
        }
        let compileMicros = Double(now() - t0) / 1000
        var result = Value.null
        // Warm up, then time.
        for _ in 0..<1000 { result = (try? program.evaluate(activation)) ?? .null }
        let start = now()
        for _ in 0..<iterations {
            if case .bool(true) = (try? program.evaluate(activation)) ?? .null { sink &+= 1 }
        }
        let elapsed = Double(now() - start)
        let nodes = program.checked.root.nodeCount
        // Typed: "-" when the condition is outside the typed subset (the engine then uses the above).
        var typed = "-"
        if let probe = TypedConditionProbe(category: category, condition: text, factsJSON: factsJSON, local: local) {
            sink &+= probe.run(1000)
            let start = now()
            let trues = probe.run(iterations)
            let elapsed = Double(now() - start)
            sink &+= trues
            typed = format1(elapsed / Double(iterations))
            // The typed answer must be the evaluator's (or none at all).
            if trues != 0 && trues != iterations || (trues == iterations) != (result == .bool(true)) && trues != 0 {
                typed += " (differs!)"
            }
        }
        print(column(name, 14) + column(String(nodes), 7) + column(String(format3(compileMicros)), 12)
              + column(format1(elapsed / Double(iterations)), 10) + column(typed, 10) + JSON.write(result))
    }
    print(String(repeating: "-", count: 84))
    print("(sink \(sink))")


}

func format1(_ x: Double) -> String {
    let scaled = (x * 10).rounded() / 10
    return String(scaled)
}
func format3(_ x: Double) -> String {
    let scaled = (x * 1000).rounded() / 1000
    return String(scaled)
}
