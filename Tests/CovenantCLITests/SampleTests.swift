import Foundation
import Testing

/// The shipped conventions and samples, end to end: golden outputs live in `samples/expected/`
/// (`RECORD_SNAPSHOTS=1 swift test` rewrites them).
@Suite struct SampleTests {
    static let dir = "samples/expected"
    static let q3 = "samples/incidents/2026-q3.ndjson"
    static let roster = "samples/roster.csv"
    static let history = "samples/incidents/history-2026-q2.ndjson"
    /// The coverage the shipped rule tests must keep.
    static let minimumCoverage = "100"

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let arguments: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "check-rules", arguments: ["check", "--lang", "en", "--as-of", "2026-11-29", "rules/"]),
        Case(name: "check-rules-zh", arguments: ["check", "--lang", "zh", "--as-of", "2026-11-29", "rules/"]),
        Case(name: "test-rules", arguments: ["test", "--lang", "en", "rules/"]),
        Case(name: "validate-one", arguments: ["validate", "--lang", "en", "-r", "rules/zh", "samples/incidents/one-incident.yaml"]),
        Case(name: "validate-one-zh", arguments: ["validate", "--lang", "zh", "-r", "rules/zh", "samples/incidents/one-incident.yaml"]),
        Case(name: "validate-yaml-json", arguments: ["validate", "--lang", "en", "--format", "json", "-r", "rules/zh", "--roster", roster,
                                                     "samples/incidents/2026-q3.yaml"]),
        Case(name: "validate-csv", arguments: ["validate", "--lang", "zh", "-r", "rules/zh", "--roster", roster, "samples/incidents/2026-q3.csv"]),
        Case(name: "eval-q3-ndjson", arguments: ["eval", "--lang", "en", "-r", "rules/zh", "--roster", roster, "--history", history, q3]),
        Case(name: "eval-q3-table-zh", arguments: ["eval", "--lang", "zh", "--format", "table", "-r", "rules/zh", "--roster", roster, q3]),
        Case(name: "eval-q3-csv", arguments: ["eval", "--lang", "en", "--format", "csv", "-r", "rules/zh", "--roster", roster, q3]),
        Case(name: "tally-grid-month", arguments: ["tally", "--lang", "en", "-r", "rules/zh", "--roster", roster, "--by", "grid",
                                                   "--period", "month", q3]),
        Case(name: "tally-rule-quarter-json", arguments: ["tally", "--lang", "en", "--format", "json", "-r", "rules/zh", "--roster", roster,
                                                          "--by", "rule", "--period", "quarter", q3]),
        Case(name: "tally-building-markdown-zh", arguments: ["tally", "--lang", "zh", "--format", "markdown", "-r", "rules/zh", "--roster",
                                                             roster, "--by", "grid,building", "--period", "quarter", q3]),
        Case(name: "points-household", arguments: ["points", "--lang", "en", "-r", "rules/zh", "--roster", roster, "--in", "2026-Q3",
                                                   "--household", "H-6-1-402", q3]),
        Case(name: "recognize-q3", arguments: ["recognize", "--lang", "en", "-r", "rules/zh", "--roster", roster, "--history", history,
                                               "--period", "2026-Q3", q3]),
        Case(name: "recognize-q3-zh-json", arguments: ["recognize", "--lang", "zh", "--format", "json", "-r", "rules/zh", "--roster", roster,
                                                       "--history", history, "--period", "2026-Q3", q3]),
        Case(name: "eval-hoa", arguments: ["eval", "--lang", "en", "--format", "table", "-r", "rules/en", "-"]),
    ]

    @Test(arguments: cases)
    func golden(_ c: Case) throws {
        let stdin = c.arguments.last == "-" ? hoaIncidents : nil
        try Golden.assertMatches(c.name, c.arguments, stdin: stdin, directory: Self.dir)
    }

    let hoaIncidents = """
        {"id":"MC-1","occurred_at":"2026-08-01T23:00:00-04:00","household":"U-12","where":{"zone":"street"},"category":"parking","facts":{"vehicle":"car","hours_parked":9.5,"location":"street"},"evidence":["photo"]}
        {"id":"MC-2","occurred_at":"2026-08-03T07:00:00-04:00","household":"U-12","where":{"zone":"driveway"},"category":"parking","facts":{"vehicle":"car","hours_parked":3.0,"location":"driveway"}}
        not a record

        """

    @Test func shippedRulesPassTheirOwnTestsWithFullCoverage() throws {
        let result = try Golden.run(["test", "--min-coverage", Self.minimumCoverage, "rules/"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(" passed, 0 failed"))
    }

    @Test func evalIsIndependentOfInputOrder() throws {
        // The same records reversed give the same verdicts (compared by incident id).
        let text = try String(contentsOf: Golden.packageRoot.appendingPathComponent(Self.q3), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let reversed = lines.filter { !$0.isEmpty }.reversed().joined(separator: "\n") + "\n"
        let forward = try Golden.run(["eval", "-r", "rules/zh", "--roster", Self.roster, Self.q3])
        let backward = try Golden.run(["eval", "-r", "rules/zh", "--roster", Self.roster, "-"], stdin: reversed)
        func byID(_ out: String) -> [String: String] {
            var m: [String: String] = [:]
            for line in out.split(separator: "\n") {
                // Drop the source (file:line differs); key by incident.
                guard let idRange = line.range(of: "\"incident\":\""), let end = line[idRange.upperBound...].firstIndex(of: "\"") else { continue }
                let id = String(line[idRange.upperBound..<end])
                m[id] = line.replacingOccurrences(of: #""source":"[^"]*""#, with: "", options: .regularExpression)
            }
            return m
        }
        // Records without an id are named by their line, which reversing changes: compare the others.
        let f = byID(forward.stdout).filter { $0.key.hasPrefix("QNL-") }
        let b = byID(backward.stdout).filter { $0.key.hasPrefix("QNL-") }
        #expect(f.count > 900)
        let differing = f.keys.filter { f[$0] != b[$0] }.sorted()
        #expect(differing.isEmpty, "verdicts differ for \(differing.prefix(5)): \(differing.prefix(2).map { (f[$0] ?? "", b[$0] ?? "") })")
    }

    /// Out-of-order violations spilled to scratch files in TMPDIR (after one, or fifty, held in
    /// memory) give exactly the output of keeping them all in memory; a bad threshold warns; a
    /// scratch directory that cannot be written stops the run with a positioned reason (exit 2).
    @Test func spillingToScratchFilesChangesNothing() throws {
        let text = try String(contentsOf: Golden.packageRoot.appendingPathComponent(Self.q3), encoding: .utf8)
        let reversed = text.split(separator: "\n").reversed().joined(separator: "\n") + "\n"
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("covenant-scratch-test-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        for command in [["eval", "--format", "ndjson"], ["tally", "--by", "grid,rule", "--period", "month"]] {
            let args = command + ["-r", "rules/zh", "--roster", Self.roster, "--history", Self.history, "-"]
            let inMemory = try Golden.run(args, stdin: reversed)
            #expect(inMemory.stdout.count > 1000, "\(inMemory.stderr)")
            for after in ["1", "50"] {
                let spilled = try Golden.run(args, stdin: reversed, environment: ["COVENANT_SPILL_AFTER": after, "TMPDIR": scratch.path])
                #expect(spilled.status == inMemory.status)
                #expect(spilled.stdout == inMemory.stdout, "\(command[0]) spilled after \(after)")
                #expect(spilled.stderr == inMemory.stderr)
            }
        }
        // The scratch files are unlinked as soon as they are made: nothing is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
        let args = ["tally", "-r", "rules/zh", "--by", "grid", "-"]
        let bad = try Golden.run(args, stdin: reversed, environment: ["COVENANT_SPILL_AFTER": "many"])
        #expect(bad.status == 0 && bad.stderr.hasPrefix("warning: COVENANT_SPILL_AFTER must be a whole number"), "\(bad.stderr)")
        for (lang, words) in [("en_US.UTF-8", "error: cannot create a scratch file in `/nonexistent/dir`"),
                              ("zh_CN.UTF-8", "无法在 `/nonexistent/dir` 中创建临时文件")] {
            let unwritable = try Golden.run(args, stdin: reversed,
                                            environment: ["COVENANT_SPILL_AFTER": "1", "TMPDIR": "/nonexistent/dir", "LANG": lang])
            #expect(unwritable.status == 2)
            #expect(unwritable.stdout.isEmpty)
            #expect(unwritable.stderr.hasPrefix("error: ") || unwritable.stderr.hasPrefix("错误: "), "\(unwritable.stderr)")
            #expect(unwritable.stderr.contains(words), "\(unwritable.stderr)")
        }
    }

    /// A COVENANT_JOBS that is not a number of threads is ignored with a warning, not silently.
    @Test func badJobCountWarnsAndUsesEveryCore() throws {
        let args = ["tally", "-r", "rules/zh", "--by", "grid", Self.q3]
        let normal = try Golden.run(args)
        for bad in ["abc", "0", "-2", "1.5"] {
            let run = try Golden.run(args, environment: ["COVENANT_JOBS": bad])
            #expect(run.status == normal.status)
            #expect(run.stdout == normal.stdout)
            #expect(run.stderr.hasPrefix("warning: COVENANT_JOBS must be a whole number") && run.stderr.contains("`\(bad)` is ignored"),
                    "\(bad): \(run.stderr)")
        }
        let zh = try Golden.run(args, environment: ["COVENANT_JOBS": "abc", "LANG": "zh_CN.UTF-8"])
        #expect(zh.stderr.contains("COVENANT_JOBS 必须是不小于 1 的整数线程数"))
        #expect(!(try Golden.run(args, environment: ["COVENANT_JOBS": "2"])).stderr.contains("COVENANT_JOBS"))
    }

    @Test func oneThreadAndAllCoresGiveTheSameOutput() throws {
        for command in [["eval", "--format", "ndjson"], ["tally", "--by", "grid,rule", "--period", "month"]] {
            let args = command + ["-r", "rules/zh", "--roster", Self.roster, "--history", Self.history, Self.q3]
            let parallel = try Golden.run(args)
            let single = try Golden.run(args, environment: ["COVENANT_JOBS": "1"])
            #expect(parallel.status == single.status)
            #expect(!parallel.stdout.isEmpty)
            #expect(parallel.stdout == single.stdout, "\(command[0]): output differs with COVENANT_JOBS=1")
            #expect(parallel.stderr == single.stderr)
        }
    }
}
