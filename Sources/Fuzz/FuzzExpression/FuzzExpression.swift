// libFuzzer target: arbitrary bytes as an expression — compiled against typed variables (a record
// `facts` like an incident's), evaluated on a fixed activation and explained (scripts/fuzz.sh
// FuzzExpression). Tests/CovenantEngineTests/FuzzRegressionTests.swift replays the corpus and the
// regressions through the same calls without a sanitizer; keep the two in step.
import CFuzzDriver
import CovenantCEL
import CovenantSource
import Glibc

let factsType = RecordType(name: "facts(fuzz)", fields: [
    "location": .init(.string),
    "charging": .init(.bool),
    "count": .init(.int),
    "ratio": .init(.double),
    "tags": .init(.list(.string)),
    "at": .init(.timestamp),
    "stay": .init(.duration),
    "opt": .init(.double, optional: true),
    "missing": .init(.string, optional: true),
])

let environment = CELEnvironment(variables: [
    ("facts", .record(factsType)),
    ("n", .int), ("u", .uint), ("x", .double), ("s", .string), ("b", .bytes), ("flag", .bool),
    ("t", .timestamp), ("d", .duration),
    ("l", .list(.int)), ("m", .map(.string, .int)), ("v", .dyn),
])

func map(_ pairs: [(String, Value)]) -> Value {
    var m = MapValue()
    for (k, v) in pairs { m.insert(.string(k), v) }
    return .map(m)
}

let activation: Activation = {
    let at = Timestamp(seconds: 1_782_909_000)!  // 2026-07-01T12:30:00Z
    let stay = CELDuration(seconds: 5_400)!
    return environment.activation([
        "facts": map([("location", .string("corridor")), ("charging", .bool(true)), ("count", .int(3)),
                      ("ratio", .double(0.25)), ("tags", .list([.string("a"), .string("电动车")])),
                      ("at", .timestamp(at)), ("stay", .duration(stay)), ("opt", .double(-0.0))]),
        "n": .int(Int64.max), "u": .uint(UInt64.max), "x": .double(.nan), "s": .string("héllo 楼道 🚲"),
        "b": .bytes([0x00, 0xFF, 0xC3, 0x28]), "flag": .bool(false),
        "t": .timestamp(at), "d": .duration(stay),
        "l": .list([.int(1), .int(-2), .int(Int64.min)]), "m": map([("a", .int(1)), ("", .int(0))]),
        "v": map([("k", .list([.null, .double(.infinity), .uint(0)]))]),
    ])
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    let source = CELSource(file: "fuzz.cel", text: text, origin: SourceLocation(line: 3, column: 14), continuationColumn: 7)
    let sourceText = SourceText(name: "fuzz.cel", text: text)
    let program: CELProgram
    do {
        program = try environment.compile(text)
    } catch {
        // Every issue must render with a position inside the text.
        for issue in error.issues {
            _ = DiagnosticRenderer().render(CELSource(file: "fuzz.cel", text: text).diagnostic(for: issue), source: sourceText)
            _ = source.diagnostic(for: issue)
        }
        return 0
    }
    _ = program.resultType.description
    do {
        let value = try program.evaluate(activation)
        _ = JSON.write(value)
    } catch {
        _ = DiagnosticRenderer().render(CELSource(file: "fuzz.cel", text: text).diagnostic(for: error), source: sourceText)
    }
    let explanation = program.explain(activation, text: text)
    for node in explanation.nodes {
        if case .success(let value) = node.result { _ = JSON.write(value) }
    }
    return 0
}

@main
enum Main {
    static func main() {
        // Lazy globals are created before libFuzzer starts counting allocations: LeakSanitizer cannot
        // follow the tagged pointers of Swift enums, so objects created during a run and kept by a
        // global would be reported as leaks.
        _ = (environment, activation)
        exit(covenant_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv) { data, size in
            data.map { fuzz($0, size) } ?? 0
        })
    }
}
