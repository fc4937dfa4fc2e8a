#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Wall time and peak RSS of the real command lines over generated workloads, with `wc -l` as the
/// floor, so figures are comparable with what a user sees.
func runPipelineBench(sizes: [Int], covenant: String?, keep: Bool, ledger: Bool = false,
                      orders: [Workload.Order] = [.time, .shuffled]) {
    let dir = "/tmp/covenant-bench"
    mkdir(dir, 0o755)
    let binary = covenant ?? defaultBinary()
    let rules = "\(dir)/bench.yaml"
    writeFile(rules) { $0(Workload.convention()) }
    print("covenant-bench pipeline — \(binary)")
    print("workload: 40 rules over 8 categories; incidents ≈ 315 bytes of NDJSON")
    print(String(repeating: "-", count: 82))
    print(pad("run", 38) + pad("wall s", 10) + pad("incidents/s", 14) + pad("peak RSS MB", 12) + "ns/rule")
    for n in sizes {
        for order in orders {
            let file = "\(dir)/incidents-\(n)\(order == .time ? "" : "-\(order.rawValue)").ndjson"
            writeFile(file) { w in Workload.incidents(n, order: order) { w($0) } }
            var st = stat()
            stat(file, &st)
            print("\(n) incidents in \(order == .time ? "time order" : "no order (shuffled)"), \(st.st_size / 1_000_000) MB")
            let db = "\(dir)/ledger-\(n)-\(order.rawValue).db"
            for (name, argv) in [
                ("wc -l", ["/usr/bin/wc", "-l", file]),
                ("covenant eval --format ndjson", [binary, "eval", "-r", rules, "--format", "ndjson", file]),
                ("covenant tally --by grid,rule", [binary, "tally", "-r", rules, "--by", "grid,rule", "--period", "month", file]),
            ] + (ledger ? [
                ("covenant record (new ledger)", [binary, "record", "-r", rules, "--ledger", db, file]),
                ("covenant tally --ledger", [binary, "tally", "-r", rules, "--ledger", db, "--by", "grid,rule", "--period", "month"]),
            ] : []) {
                if name.hasPrefix("covenant record") { for s in ["", "-wal", "-shm"] { unlink(db + s) } }
                // `eval`'s verdicts go to a file, as a user's do (`> verdicts.ndjson`): a file of its
                // own, which lets it guess the input's order (see README, "How a run goes").
                let output = name.hasPrefix("covenant eval") ? "\(dir)/verdicts.out" : nil
                let (seconds, rss, status) = measure(argv, output: output)
                if let output { unlink(output) }
                let rate = seconds > 0 ? Int(Double(n) / seconds) : 0
                // Wall time per rule an incident meets (the rules of its category).
                let perRule = name.hasPrefix("covenant") && n > 0
                    ? String(Int((seconds * 1e9 / Double(n * Workload.rulesPerCategory)).rounded())) : "–"
                print(pad("  " + name, 38) + pad(format(seconds), 10) + pad(String(rate), 14) + pad(String(rss / 1024), 12) + perRule
                      + (status == 0 || status == 1 ? "" : "  (exit \(status))"))
            }
            if order == orders.first {
                for floor in parseFloorsInChild(file, bench: CommandLine.arguments[0]) {
                    let rate = floor.seconds > 0 ? Int(Double(floor.records) / floor.seconds) : 0
                    print(pad("  " + floor.name, 38) + pad(format(floor.seconds), 10) + pad(String(rate), 14) + pad("(floor)", 12))
                }
            }
            if ledger {
                var st = stat()
                stat(db, &st)
                print("  ledger file: \(st.st_size / 1_000_000) MB")
            }
            if !keep { unlink(file) }
        }
    }
}

func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count) }
func format(_ x: Double) -> String { let t = Int((x * 1000).rounded()); return "\(t / 1000).\(String(1000 + t % 1000).dropFirst())" }

func defaultBinary() -> String {
    let me = CommandLine.arguments[0]
    if let slash = me.lastIndex(of: "/") { return String(me[..<slash]) + "/covenant" }
    return "covenant"
}

func writeFile(_ path: String, _ body: ((String) -> Void) -> Void) {
    guard let f = fopen(path, "w") else { fatalError("cannot write \(path)") }
    body { text in
        var t = text
        t.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, f) }
    }
    fclose(f)
}

/// Runs a command with its output discarded (or written to `output`, a new file); returns wall
/// seconds, peak RSS (KiB) and the exit status.
func measure(_ argv: [String], output: String? = nil) -> (Double, Int, Int32) {
    var start = timespec()
    clock_gettime(CLOCK_MONOTONIC, &start)
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    if let output {
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    } else {
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    }
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let cArgs = argv.map { strdup($0) } + [nil]
    defer { for p in cArgs { free(p) } }
    let rc = posix_spawn(&pid, argv[0], &actions, nil, cArgs, environ)
    posix_spawn_file_actions_destroy(&actions)
    guard rc == 0 else { return (0, 0, -1) }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    var end = timespec()
    clock_gettime(CLOCK_MONOTONIC, &end)
    let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
    return (seconds, Int(usage.ru_maxrss), (status >> 8) & 0xFF)
}

/// The parse-only floors, run in a child process (`covenant-bench floors FILE OUT`): they read the
/// whole file into memory, and a child spawned afterwards would inherit that high-water mark in its
/// peak RSS (`posix_spawn` starts the child in the parent's memory until `exec`).
func parseFloorsInChild(_ file: String, bench: String) -> [(name: String, seconds: Double, records: Int)] {
    let out = file + ".floors"
    _ = measure([bench, "floors", file, out])
    defer { unlink(out) }
    guard let f = fopen(out, "r") else { return [] }
    defer { fclose(f) }
    var results: [(String, Double, Int)] = []
    var line: UnsafeMutablePointer<CChar>?
    var capacity = 0
    while getline(&line, &capacity, f) > 0, let line {
        let fields = String(cString: line).split(separator: "\t").map(String.init)
        if fields.count == 3, let seconds = Double(fields[1]), let records = Int(fields[2].trimmingCharacters(in: .newlines)) {
            results.append((fields[0], seconds, records))
        }
    }
    free(line)
    return results
}
