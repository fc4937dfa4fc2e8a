#if canImport(Glibc)
import Glibc
#endif

// covenant-bench: the project's benchmark command (see docs/benchmarks.md).
//
//   swift run -c release covenant-bench cel [--iterations N]
//   swift run -c release covenant-bench pipeline [--sizes 100000,1000000] [--order time|shuffled|both] [--covenant PATH]
//   swift run -c release covenant-bench generate N FILE [RULES] [--order time|shuffled]

let command = CommandLine.arguments.dropFirst().first ?? "cel"
let args = Array(CommandLine.arguments.dropFirst(2))
func option(_ name: String) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}
switch command {
case "cel":
    runCELBench(iterations: option("--iterations").flatMap { Int($0) } ?? 2_000_000)
case "generate":
    // covenant-bench generate N FILE [RULES]: the workload alone, for runs of your own (e.g. 10 M).
    let positional = args.enumerated().filter { $0.offset == 0 || args[$0.offset - 1] != "--order" }.map(\.element)
        .filter { $0 != "--order" }
    guard positional.count >= 2, let n = Int(positional[0]), let order = Workload.Order(rawValue: option("--order") ?? "time") else {
        print("usage: covenant-bench generate N FILE [RULES] [--order time|shuffled]")
        exit(2)
    }
    writeFile(positional[1]) { w in Workload.incidents(n, order: order) { w($0) } }
    if positional.count >= 3 { writeFile(positional[2]) { $0(Workload.convention()) } }
case "floors":
    // covenant-bench floors FILE OUT: the parse-only floors of `pipeline`, in their own process.
    guard args.count == 2 else { exit(2) }
    let text = parseFloors(args[0]).map { "\($0.name)\t\($0.seconds)\t\($0.records)\n" }.joined()
    writeFile(args[1]) { $0(text) }
case "pipeline":
    let sizes = (option("--sizes") ?? "100000,1000000").split(separator: ",").compactMap { Int($0) }
    let orders: [Workload.Order]
    switch option("--order") ?? "both" {
    case "both": orders = [.time, .shuffled]
    case let o: guard let order = Workload.Order(rawValue: o) else { print("--order: time, shuffled or both"); exit(2) }; orders = [order]
    }
    runPipelineBench(sizes: sizes, covenant: option("--covenant"), keep: args.contains("--keep"), ledger: args.contains("--ledger"),
                     orders: orders)
default:
    print("""
        usage: covenant-bench cel [--iterations N]
               covenant-bench pipeline [--sizes 100000,1000000] [--order time|shuffled|both] [--covenant PATH] [--keep] [--ledger]
               covenant-bench generate N FILE [RULES] [--order time|shuffled]
        """)
    exit(command == "--help" || command == "-h" ? 0 : 2)
}
