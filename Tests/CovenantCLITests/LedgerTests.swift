import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The ledger through the command line: idempotence, amendments, appeals, export round trip,
/// reading back, crashes mid-batch and two writers at once.
@Suite(.serialized) struct LedgerTests {
    static let rules = "Tests/CovenantCLITests/Fixtures/report/rules.yaml"
    static let roster = "Tests/CovenantCLITests/Fixtures/report/roster.csv"
    static let incidents = "Tests/CovenantCLITests/Fixtures/report/incidents.ndjson"

    func temp(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("covenant-\(name)-\(UUID().uuidString)").path
    }

    func write(_ text: String, to path: String) throws { try text.write(toFile: path, atomically: true, encoding: .utf8) }

    @Test func recordingIsIdempotentAndAmendmentsKeepHistory() throws {
        let db = temp("ledger") + ".db"
        defer { for s in ["", "-wal", "-shm"] { unlink(db + s) } }
        let first = try Golden.run(["record", "-r", Self.rules, "--ledger", db, Self.incidents])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("7 appended"))
        let again = try Golden.run(["record", "-r", Self.rules, "--ledger", db, Self.incidents])
        #expect(again.status == 0)
        #expect(again.stderr.contains("0 appended, 7 unchanged"))
        // The same id with different content is refused…
        let changed = temp("changed") + ".ndjson"
        defer { unlink(changed) }
        try write(#"{"id":"Q3-001","kind":"report","occurred_at":"2026-07-03T20:00:00+08:00","household":"H-1-1-102","where":{"grid":"G01","building":"1","zone":"corridor"},"category":"ebike","facts":{"location":"corridor","charging":false}}"# + "\n", to: changed)
        let refused = try Golden.run(["record", "-r", Self.rules, "--ledger", db, changed])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--amend"))
        // …unless amended; then the later offence of the same household drops a step.
        let amended = try Golden.run(["record", "-r", Self.rules, "--ledger", db, "--amend", changed])
        #expect(amended.status == 0)
        #expect(amended.stderr.contains("1 amended"))
        #expect(amended.stdout.contains("changed Q3-002"))
        let verify = try Golden.run(["ledger", "verify", "--ledger", db])
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("7 records") && verify.stdout.contains("1 amendments") && verify.stdout.hasSuffix("ok\n"))
    }

    @Test func withdrawalsAndOverturnedAppealsCountForNothing() throws {
        let db = temp("appeal") + ".db"
        defer { for s in ["", "-wal", "-shm"] { unlink(db + s) } }
        #expect(try Golden.run(["record", "-r", Self.rules, "--ledger", db, Self.incidents]).status == 0)
        let appeal = temp("appeal") + ".ndjson"
        defer { unlink(appeal) }
        try write("""
            {"id":"AP-1","kind":"appeal","ref":"Q3-001","grounds":"not_me","statement":"my bike was moved there by a neighbour"}
            {"id":"AD-1","kind":"appeal_decision","ref":"Q3-001","decision":"overturned"}

            """, to: appeal)
        let r = try Golden.run(["record", "-r", Self.rules, "--ledger", db, appeal])
        #expect(r.status == 0, "\(r.stderr)")
        // Q3-002 was offence 2 (Warn, -5); with Q3-001 overturned it is offence 1 (Persuade, -2).
        #expect(r.stdout.contains("changed Q3-002: violation (ebike.charging #2 -5) → violation (ebike.charging #1 -2)"), "\(r.stdout)")
        #expect(r.stdout.contains("changed Q3-001: violation (ebike.charging #1 -2) → no longer counts (withdrawn or overturned)"), "\(r.stdout)")
        let eval = try Golden.run(["eval", "-r", Self.rules, "--ledger", db])
        #expect(!eval.stdout.contains("\"incident\":\"Q3-001\""))
        #expect(eval.stdout.contains(#""incident":"Q3-002","status":"violation""#))
        #expect(eval.stdout.contains(#""offence":1,"action":"Persuade","points":-2"#))
    }

    @Test func exportReimportsToTheSameLedger() throws {
        let a = temp("a") + ".db", b = temp("b") + ".db", dump = temp("dump") + ".ndjson"
        defer { for p in [a, b] { for s in ["", "-wal", "-shm"] { unlink(p + s) } }; unlink(dump) }
        #expect(try Golden.run(["record", "-r", Self.rules, "--ledger", a, Self.incidents]).status == 0)
        let exported = try Golden.run(["ledger", "export", "--ledger", a])
        try write(exported.stdout, to: dump)
        #expect(try Golden.run(["record", "-r", Self.rules, "--ledger", b, dump]).status == 0)
        let again = try Golden.run(["ledger", "export", "--ledger", b])
        #expect(exported.stdout == again.stdout)
        #expect(exported.stdout.split(separator: "\n").count == 7)
        // Reading from the ledger gives the same tallies as reading the files.
        let fromLedger = try Golden.run(["tally", "-r", Self.rules, "--roster", Self.roster, "--ledger", b, "--by", "grid", "--period", "month"])
        let fromFiles = try Golden.run(["tally", "-r", Self.rules, "--roster", Self.roster, "--by", "grid", "--period", "month", Self.incidents])
        #expect(fromLedger.stdout == fromFiles.stdout)
    }

    /// Kills `covenant record` with SIGKILL mid-batch, many times: the ledger always verifies, the batch
    /// is wholly in or wholly out, and re-running completes with no duplicate.
    @Test func killedMidBatchLosesNothing() throws {
        let db = temp("kill") + ".db", big = temp("big") + ".ndjson"
        defer { for s in ["", "-wal", "-shm"] { unlink(db + s) }; unlink(big) }
        var lines = ""
        for i in 0..<4000 {
            lines += #"{"id":"K-\#(i)","kind":"report","occurred_at":"2026-07-\#(10 + i % 18)T20:\#(10 + i % 50):00+08:00","household":"H-\#(i % 97)","where":{"grid":"G01","building":"1","zone":"corridor"},"category":"ebike","facts":{"location":"corridor","charging":\#(i % 3 == 0)}}"# + "\n"
        }
        try write(lines, to: big)
        var outcomes: Set<Int> = []
        // Kill points from just after start to around the commit of the ~1.5 s batch.
        let delays: [UInt32] = [20_000, 150_000, 400_000, 800_000, 1_100_000, 1_300_000, 1_450_000, 1_600_000]
        for (attempt, delay) in delays.enumerated() {
            let process = Process()
            process.executableURL = Golden.binary
            process.arguments = ["record", "-r", Self.rules, "--ledger", db, big]
            process.currentDirectoryURL = Golden.packageRoot
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // Killed before the ledger file was even created: nothing is in, which is allowed.
            guard FileManager.default.fileExists(atPath: db) else {
                outcomes.insert(0)
                continue
            }
            let verify = try Golden.run(["ledger", "verify", "--ledger", db])
            #expect(verify.status == 0, "attempt \(attempt): \(verify.stdout)\(verify.stderr)")
            let count = verify.stdout.contains("4000 records") ? 4000 : (verify.stdout.contains(": 0 records") ? 0 : -1)
            #expect(count == 0 || count == 4000, "attempt \(attempt): partial batch: \(verify.stdout)")
            outcomes.insert(count)
        }
        #expect(outcomes.contains(0), "no kill landed before the commit")
        let final = try Golden.run(["record", "-r", Self.rules, "--ledger", db, big])
        #expect(final.status == 0)
        let verify = try Golden.run(["ledger", "verify", "--ledger", db])
        #expect(verify.stdout.contains("4000 records") && verify.stdout.hasSuffix("ok\n"), "\(verify.stdout)")
    }

    /// A `record` killed between creating the file and its first commit leaves an empty file (or,
    /// before the schema became one transaction, some tables): it reads as an empty ledger.
    @Test func aFileWithoutTheSchemaIsAnEmptyLedger() throws {
        let db = temp("bare") + ".db"
        defer { unlink(db) }
        try write("", to: db)
        let verify = try Golden.run(["ledger", "verify", "--ledger", db])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains(": 0 records") && verify.stdout.hasSuffix("ok\n"), "\(verify.stdout)")
        let tally = try Golden.run(["tally", "-r", Self.rules, "--ledger", db, "--format", "json"])
        #expect(tally.status == 0, "\(tally.stderr)")
        #expect(tally.stderr.contains("read 0 records"))
    }

    /// An id repeated within one batch: the same content again is skipped, different content refused —
    /// with or without --amend (a batch does not amend itself).
    @Test(arguments: [false, true])
    func repeatsWithinOneBatch(amend: Bool) throws {
        let db = temp("repeat") + ".db", file = temp("repeat") + ".ndjson"
        defer { for s in ["", "-wal", "-shm"] { unlink(db + s) }; unlink(file) }
        let lines = try String(contentsOfFile: Golden.packageRoot.appendingPathComponent(Self.incidents).path, encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let altered = lines[0].replacingOccurrences(of: "\"kind\":\"report\"", with: "\"kind\":\"report\",\"note\":\"again\"")
        #expect(altered != lines[0])
        try write([lines[0], lines[1], lines[0], altered].joined(separator: "\n") + "\n", to: file)
        let result = try Golden.run(["record", "-r", Self.rules, "--ledger", db, file] + (amend ? ["--amend"] : []))
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("2 appended, 0 unchanged, 0 amended, 1 refused"), "\(result.stderr)")
        #expect(result.stderr.contains("appears twice in this batch with different content"))
        let verify = try Golden.run(["ledger", "verify", "--ledger", db])
        #expect(verify.stdout.contains(": 2 records") && verify.stdout.hasSuffix("ok\n"), "\(verify.stdout)")
    }

    @Test func twoWritersAtOnceLoseNothing() throws {
        let db = temp("two") + ".db", a = temp("a") + ".ndjson", b = temp("b") + ".ndjson"
        defer { for s in ["", "-wal", "-shm"] { unlink(db + s) }; unlink(a); unlink(b) }
        func batch(_ prefix: String) -> String {
            (0..<500).map { i in #"{"id":"\#(prefix)-\#(i)","kind":"report","occurred_at":"2026-08-01T10:00:00+08:00","household":"H-\#(prefix)\#(i)","where":{"grid":"G01","building":"1","zone":"corridor"},"category":"ebike","facts":{"location":"corridor","charging":true}}"# }
                .joined(separator: "\n") + "\n"
        }
        try write(batch("A"), to: a)
        try write(batch("B"), to: b)
        #expect(try Golden.run(["record", "-r", Self.rules, "--ledger", db, a]).status == 0)  // create the file first
        let processes = [b, a].map { file -> Process in
            let p = Process()
            p.executableURL = Golden.binary
            p.arguments = ["record", "-r", Self.rules, "--ledger", db, file]
            p.currentDirectoryURL = Golden.packageRoot
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            return p
        }
        for p in processes { try p.run() }
        for p in processes { p.waitUntilExit() }
        for p in processes { #expect(p.terminationStatus == 0 || p.terminationStatus == 2) }
        let verify = try Golden.run(["ledger", "verify", "--ledger", db])
        #expect(verify.status == 0)
        if processes.allSatisfy({ $0.terminationStatus == 0 }) { #expect(verify.stdout.contains("1000 records")) }
    }
}

/// Cure deadlines of state rules: open, due today, overdue as of the time asked; a `not_cured`
/// check moves the case up the ladder, a `cured` one closes it.
@Suite(.serialized) struct CasesTests {
    static let dir = "Tests/CovenantCLITests/Fixtures/cases"

    @Test func casesFollowTheirDeadlines() throws {
        // A fixed path inside the build folder, so the golden files name the same ledger on every machine.
        let db = ".build/covenant-cases-test.db"
        let full = Golden.packageRoot.appendingPathComponent(db).path
        for s in ["", "-wal", "-shm"] { unlink(full + s) }
        defer { for s in ["", "-wal", "-shm"] { unlink(full + s) } }
        #expect(try Golden.run(["record", "-r", "\(Self.dir)/rules.yaml", "--ledger", db, "\(Self.dir)/violation.ndjson"]).status == 0)
        try Golden.assertMatches("cases-before-deadline", ["cases", "--lang", "en", "-r", "\(Self.dir)/rules.yaml", "--ledger", db,
                                                           "--as-of", "2026-07-04T09:00:00+08:00"])
        try Golden.assertMatches("cases-overdue-zh", ["cases", "--lang", "zh", "-r", "\(Self.dir)/rules.yaml", "--ledger", db,
                                                      "--as-of", "2026-07-06T09:00:00+08:00"])
        let checks = try Golden.run(["record", "-r", "\(Self.dir)/rules.yaml", "--ledger", db, "\(Self.dir)/checks.ndjson"])
        #expect(checks.status == 0, "\(checks.stderr)")
        try Golden.assertMatches("cases-after-checks", ["cases", "--lang", "en", "--all", "-r", "\(Self.dir)/rules.yaml", "--ledger", db,
                                                        "--as-of", "2026-07-06T09:00:00+08:00"])
        // As of a time before the checks (and before C-2), only what had happened counts.
        let earlier = try Golden.run(["cases", "--lang", "en", "--all", "--format", "json", "-r", "\(Self.dir)/rules.yaml", "--ledger", db,
                                      "--as-of", "2026-07-01T12:00:00+08:00"])
        #expect(earlier.stdout.contains(#""incident":"C-1""#) && !earlier.stdout.contains(#""incident":"C-2""#)
                && !earlier.stdout.contains("CC-1") && earlier.stdout.contains(#""status":"open""#), "\(earlier.stdout)")
        // A not-cured check before the deadline, or before the incident, is no repeat offence.
        let early = FileManager.default.temporaryDirectory.appendingPathComponent("early-\(UUID().uuidString).ndjson").path
        defer { unlink(early) }
        try Data(#"{"id":"CC-EARLY","kind":"cure_check","ref":"C-2","occurred_at":"2026-07-02T11:00:00+08:00","result":"not_cured"}"#.utf8 + [10])
            .write(to: URL(fileURLWithPath: early))
        let recorded = try Golden.run(["record", "-r", "\(Self.dir)/rules.yaml", "--ledger", db, early])
        #expect(recorded.status == 0 && !recorded.stdout.contains("changed"), "\(recorded.stdout)\(recorded.stderr)")
        // The not-cured check is a second offence: the case moved up the ladder.
        let eval = try Golden.run(["eval", "-r", "\(Self.dir)/rules.yaml", "--ledger", db])
        #expect(eval.stdout.contains(#""incident":"CC-1","status":"violation""#))
        #expect(eval.stdout.contains(#""offence":2,"action":"Cleared on the owner's behalf; a talk","points":-5"#))
    }
}

@Suite(.serialized) struct AppealHoldTests {
    @Test func openAppealsAreHeldFromThePublicReport() throws {
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("covenant-hold-\(UUID().uuidString).db").path
        let appeal = FileManager.default.temporaryDirectory.appendingPathComponent("covenant-hold-\(UUID().uuidString).ndjson").path
        let html = FileManager.default.temporaryDirectory.appendingPathComponent("covenant-hold-\(UUID().uuidString).html").path
        defer { for s in ["", "-wal", "-shm"] { unlink(db + s) }; unlink(appeal); unlink(html) }
        let f = "Tests/CovenantCLITests/Fixtures/report"
        #expect(try Golden.run(["record", "-r", "\(f)/rules.yaml", "--ledger", db, "\(f)/incidents.ndjson"]).status == 0)
        func violationsInPublicReport() throws -> String {
            let r = try Golden.run(["report", "-r", "\(f)/rules.yaml", "--roster", "\(f)/roster.csv", "--ledger", db, "--period", "2026-Q3",
                                    "--public", "--lang", "en", "--html", html])
            #expect(r.status == 0)
            let text = try String(contentsOfFile: html, encoding: .utf8)
            return text.range(of: #"<b>\d+</b><span>violations"#, options: .regularExpression).map { String(text[$0]) } ?? ""
        }
        #expect(try violationsInPublicReport() == "<b>2</b><span>violations")   // the two e-bike ones (noise is `none`)
        try #"{"id":"AP-9","kind":"appeal","ref":"Q3-002","grounds":"did_not_happen"}"#.write(toFile: appeal, atomically: true, encoding: .utf8)
        #expect(try Golden.run(["record", "-r", "\(f)/rules.yaml", "--ledger", db, appeal]).status == 0)
        #expect(try violationsInPublicReport() == "<b>1</b><span>violations")   // Q3-002 held while under appeal
    }
}
