#if canImport(Glibc)
import Glibc
#endif

// covenant-bench: the project's benchmark command (see docs/benchmarks.md).
//
//   swift run -c release covenant-bench cel [--iterations N]
//   swift run -c release covenant-bench pipeline [--sizes 100000,1000000] [--covenant PATH]
//   swift run -c release covenant-bench generate N FILE [RULES]

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
    guard args.count >= 2, let n = Int(args[0]) else {
        print("usage: covenant-bench generate N FILE [RULES]")
        exit(2)
    }
    writeFile(args[1]) { w in Workload.incidents(n) { w($0) } }
    if args.count >= 3 { writeFile(args[2]) { $0(Workload.convention()) } }
case "pipeline":
    let sizes = (option("--sizes") ?? "100000,1000000").split(separator: ",").compactMap { Int($0) }
    runPipelineBench(sizes: sizes, covenant: option("--covenant"), keep: args.contains("--keep"), ledger: args.contains("--ledger"))
default:
    print("""
        usage: covenant-bench cel [--iterations N]
               covenant-bench pipeline [--sizes 100000,1000000] [--covenant PATH] [--keep] [--ledger]
               covenant-bench generate N FILE [RULES]
        """)
    exit(command == "--help" || command == "-h" ? 0 : 2)
}
