import Foundation
import Testing

/// Extreme and malformed input to the commands: an error with an exit code and a reason (in the
/// language asked for), never a trap. Each case was once a crash or a silent pass.
@Suite struct EdgeInputTests {
    static let rules = "rules/zh"
    static let incidents = "samples/incidents/2026-q3.ndjson"
    static let roster = "samples/roster.csv"

    /// A scratch directory with `files` written into it.
    static func directory(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("edge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    /// Periods at the ends of the timestamps' range (year 9999's last quarter ends at the start of
    /// year 10000, year 0 lies before 0001) are periods like any other: no incident falls in them.
    @Test(arguments: ["9999-Q4", "9999", "9999-12", "9999-W52", "0000", "0000-01", "0000-W52"])
    func recognitionPeriodsAtTheEndsOfTime(_ period: String) throws {
        let result = try Golden.run(["recognize", "--lang", "en", "-r", Self.rules, Self.incidents, "--roster", Self.roster,
                                     "--period", period, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("{") || result.stdout.hasPrefix("["))
    }

    @Test func tallyFromAfterToIsAUsageError() throws {
        let result = try Golden.run(["tally", "-r", Self.rules, Self.incidents, "--by", "grid",
                                     "--from", "2026-09-01", "--to", "2026-07-01"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--from 2026-09-01 is after --to 2026-07-01"))
    }

    /// A convention file holds one YAML document: `check` says so (Y0011, Y0012) as loading does,
    /// instead of passing a file it never read as a convention.
    @Test func checkRefusesFilesThatAreNotOneDocument() throws {
        let dir = try Self.directory([
            "multi.yaml": "---\ncovenant: 1\nid: x\nfoo: 1\n---\ncovenant: 1\nid: y\n",
            "empty.yaml": "# nothing here\n",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try Golden.run(["check", "--lang", "en", dir.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("multi.yaml:5:1: error: expected a single YAML document, found a second one"))
        #expect(result.stderr.contains("empty.yaml:1:1: error: no YAML document in the file"))
    }

    /// A rule test file is one YAML document, as `covenant test` reads it: `check` says so.
    @Test func checkReadsATestFileAsOneDocument() throws {
        let dir = try Self.directory(["a_test.yaml": "tests: []\n---\ntests: []\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try Golden.run(["check", "--lang", "en", dir.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("a_test.yaml:2:1: error: expected a single YAML document, found a second one"), "\(result.stderr)")
    }

    /// An expectation of the wrong kind is an error of the test file, not a check that passes.
    @Test func ruleTestExpectationsOfTheWrongKind() throws {
        let dir = try Self.directory([
            "c.yaml": """
                covenant: 1
                id: c
                title: { zh: 测试, en: Test }
                timezone: Asia/Shanghai
                categories:
                  noise: { kind: event, facts: { n: int } }
                rules:
                  - id: r.a
                    category: noise
                    violation: facts.n > 0
                """,
            "c_test.yaml": """
                convention: c
                tests:
                  - name: offence as a word
                    incident: { category: noise, occurred_at: "2026-07-01T10:00:00+08:00", facts: { n: 1 } }
                    expect: { status: violation, rules: [r.a], offence: "seven", points: 7.5, missing_evidence: maybe }
                """,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try Golden.run(["test", "--lang", "en", dir.path])
        #expect(result.status != 0)
        let all = result.stdout + result.stderr
        #expect(all.contains("`offence` in `expect` must be a whole number, found `seven`"))
        #expect(all.contains("`points` in `expect` must be a whole number, found `7.5`"))
        #expect(all.contains("`missing_evidence` in `expect` must be true or false, found `maybe`"))
    }

    /// Parse errors, overflows and regular-expression errors read in Chinese with `--lang zh`.
    @Test(arguments: [
        (["expr", "--lang", "zh", "((("], "意外的表达式结束，应为操作数"),
        (["expr", "--lang", "zh", "[1, 2"], "应为`]`以结束列表"),
        (["expr", "--lang", "zh", "18446744073709551615u + 1u"], "无符号整数溢出"),
        (["expr", "--lang", "zh", "9223372036854775807 + 1"], "整数溢出"),
        (["expr", "--lang", "zh", "'a'.matches('(')"], "缺少右括号 )"),
    ])
    func messagesInChinese(_ c: ([String], String)) throws {
        let result = try Golden.run(c.0)
        #expect(result.status != 0)
        #expect((result.stdout + result.stderr).contains(c.1), "\(result.stdout)\(result.stderr)")
    }

    /// A YAML value's explicit tag decides its type; untagged plain scalars follow the core schema.
    @Test func yamlTagsDecideTypes() throws {
        let dir = try Self.directory(["vars.yaml": """
            a: !!str 12
            b: !!int "12"
            c: !!float 1
            d: !!bool "true"
            e: !!null ""
            f: 010
            g: no
            h: !!int twelve
            """])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try Golden.run(["expr", "--vars-file", dir.appendingPathComponent("vars.yaml").path,
                                     "[type(a), type(b), type(c), type(d), type(e), type(f), type(g), type(h), f]"])
        #expect(result.stdout == #"["string","int","double","bool","null_type","int","string","string",10]"# + "\n",
                "\(result.stdout)\(result.stderr)")
    }

    /// A YAML roster is held to its shape as a CSV one is: duplicates, a section that is not a
    /// list and unknown keys are problems (exit 2), not silently dropped.
    @Test func yamlRosterShape() throws {
        let dir = try Self.directory(["ro.yaml": """
            households:
              - { id: H1, grid: G1 }
              - { id: H1, grid: G2 }
            buildings: oops
            extra: 1
            """])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try Golden.run(["validate", "--lang", "en", "-r", Self.rules, "--roster", dir.appendingPathComponent("ro.yaml").path,
                                     "samples/incidents/one-incident.yaml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("ro.yaml:3:11: error: household `H1` appears twice"), "\(result.stderr)")
        #expect(result.stderr.contains("ro.yaml:4:12: error: `buildings` must be a list"))
        #expect(result.stderr.contains("ro.yaml:5:1: error: unknown key `extra`"))
    }

    /// `record` derives every earlier verdict again: without the roster the rules read, all of
    /// them would turn invalid, so it is a usage error and the ledger is not touched.
    @Test func recordWithoutTheRosterTheRulesRead() throws {
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("edge-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) } }
        let result = try Golden.run(["record", "--lang", "en", "-r", Self.rules, "--ledger", db, "samples/incidents/one-incident.yaml"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("the rules read the roster"))
        #expect(!FileManager.default.fileExists(atPath: db))
        let withRoster = try Golden.run(["record", "-r", Self.rules, "--roster", Self.roster, "--ledger", db,
                                         "samples/incidents/one-incident.yaml"])
        #expect(withRoster.status == 0, "\(withRoster.stderr)")
    }

    /// One household's points in CSV are its lines (the table's rows), not only their sum.
    @Test func pointsLinesOfOneHouseholdInCSV() throws {
        let result = try Golden.run(["points", "-r", Self.rules, "--roster", Self.roster, Self.incidents,
                                     "--household", "H-14-2-602", "--format", "csv"])
        #expect(result.stdout == """
            household,period,occurred_at,incident,kind,source,points,counted
            H-14-2-602,2026,2026-07-01T00:00:00Z,QNL-2026-003001,violation,dog.leash,-2,-2
            H-14-2-602,2026,2026-09-29T00:00:00Z,QNL-2026-003903,violation,dog.leash,-2,-2

            """)
        let table = try Golden.run(["points", "--lang", "en", "-r", Self.rules, "--roster", Self.roster, Self.incidents,
                                    "--household", "H-14-2-602"])
        #expect(table.stdout.contains("2026-07-01 08:00  QNL-2026-003001"))
    }

    /// A damaged ledger, or a file that is not one, is a finding of `ledger verify` (exit 1), in
    /// the language asked for; a missing one stays a usage error (exit 2).
    @Test func verifyingADamagedLedger() throws {
        let dir = try Self.directory(["not-a-ledger.db": String(repeating: "garbage\n", count: 100)])
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("not-a-ledger.db").path
        let zh = try Golden.run(["ledger", "verify", "--lang", "zh", "--ledger", path])
        #expect(zh.status == 1)
        #expect(zh.stderr.hasPrefix("问题：账本已损坏"), "\(zh.stderr)")
        let missing = try Golden.run(["ledger", "verify", "--ledger", dir.appendingPathComponent("none.db").path])
        #expect(missing.status == 2)
    }

    /// Under `on_not_cured: repeat_notice` a not-cured check renews the notice: the case is open
    /// again with the time to cure counted from the check (it vanished from the list).
    @Test func aRenewedNoticeKeepsTheCaseOpen() throws {
        let fixtures = Golden.packageRoot.appendingPathComponent("Tests/CovenantCLITests/Fixtures/cases")
        let rules = try String(contentsOf: fixtures.appendingPathComponent("rules.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "on_not_cured: escalate", with: "on_not_cured: repeat_notice")
        let dir = try Self.directory(["rules.yaml": rules])
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("l.db").path, r = dir.appendingPathComponent("rules.yaml").path
        let recorded = try Golden.run(["record", "-r", r, "--ledger", db, fixtures.appendingPathComponent("violation.ndjson").path,
                                       fixtures.appendingPathComponent("checks.ndjson").path])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let open = try Golden.run(["cases", "--lang", "en", "-r", r, "--ledger", db, "--as-of", "2026-07-07T09:00:00+08:00"])
        #expect(open.stdout.contains("open    G01   3         2     H-3-2-401  corridor.clutter  C-1       2026-07-08 10:00"), "\(open.stdout)")
        let overdue = try Golden.run(["cases", "--lang", "en", "-r", r, "--ledger", db, "--as-of", "2026-07-09T09:00:00+08:00"])
        #expect(overdue.stdout.contains("overdue") && overdue.stdout.contains("C-1"), "\(overdue.stdout)")
    }

    /// A match's work is charged to the cost budget: a long text against a large pattern is a
    /// `cost_limit` error at once, not minutes of matching.
    @Test func regexWorkIsCharged() throws {
        let text = String(repeating: "a", count: 100_000)
        let result = try Golden.run(["expr", "--lang", "en", "--vars", #"{"s": "\#(text)"}"#, "s.matches('(a{1000}){9}z')"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cost limit"), "\(result.stderr)")
        let small = try Golden.run(["expr", "--vars", #"{"s": "a quiet evening"}"#, "s.matches('quiet (evening|night)$')"])
        #expect(small.stdout == "true\n")
    }
}
