import Foundation
import Testing

/// Golden tests of `check`, `test` and `explain` on fixtures.
@Suite struct RuleCommandTests {
    static let tests = "Tests/CovenantCLITests/Fixtures/ruletests"

    @Test func checkReportsEveryProblemWithPositions() throws {
        try Golden.assertMatches("check-bad-rules", ["check", "--lang", "en", "Tests/CovenantCLITests/Fixtures/bad-rules"])
        try Golden.assertMatches("check-bad-rules-zh", ["check", "--lang", "zh", "Tests/CovenantCLITests/Fixtures/bad-rules"])
        try Golden.assertMatches("check-bad-rules-json", ["check", "--format", "json", "--lang", "en", "Tests/CovenantCLITests/Fixtures/bad-rules"])
    }

    @Test func checkWarnsAboutUntestedRules() throws {
        try Golden.assertMatches("check-untested", ["check", "--lang", "en", "--as-of", "2026-11-29", Self.tests])
    }

    @Test func testRunnerReportsPassesFailuresAndCoverage() throws {
        try Golden.assertMatches("test-coverage", ["test", "--lang", "en", "--coverage", Self.tests])
        try Golden.assertMatches("test-json", ["test", "--format", "json", Self.tests])
        let below = try Golden.run(["test", "--min-coverage", "90", Self.tests])
        #expect(below.status == 1)
    }

    @Test func junitOutput() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("junit-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try Golden.run(["test", "--junit", out.path, Self.tests])
        #expect(result.status == 1)
        let xml = try String(contentsOf: out, encoding: .utf8)
        #expect(xml.contains("<testsuite name=\"rt\" tests=\"4\" failures=\"1\" errors=\"0\">"))
        #expect(xml.contains("<failure message=\"status: expected violation, got no_violation\">"))
        #expect(xml.contains("line=\"12\""))
    }

    @Test func explainShowsWhy() throws {
        try Golden.assertMatches("explain-sample", ["explain", "--lang", "en", "-r", "rules/zh", "--rule", "ebike.corridor-charging",
                                                    "samples/incidents/one-incident.yaml"])
        try Golden.assertMatches("explain-sample-zh-json", ["explain", "--lang", "zh", "--format", "json", "-r", "rules/zh",
                                                            "--rule", "ebike.corridor-charging", "samples/incidents/one-incident.yaml"])
    }
}

@Suite struct DiffCommandTests {
    @Test func changeImpactOfANewVersion() throws {
        try Golden.assertMatches("diff-window", [
            "diff", "--lang", "en", "--from", "Tests/CovenantCLITests/Fixtures/report/rules.yaml",
            "--to", "Tests/CovenantCLITests/Fixtures/report/rules-proposed.yaml",
            "--roster", "Tests/CovenantCLITests/Fixtures/report/roster.csv", "--period", "2026-Q3",
            "Tests/CovenantCLITests/Fixtures/report/incidents.ndjson",
        ])
        let same = try Golden.run(["diff", "--from", "Tests/CovenantCLITests/Fixtures/report/rules.yaml",
                                   "--to", "Tests/CovenantCLITests/Fixtures/report/rules.yaml",
                                   "Tests/CovenantCLITests/Fixtures/report/incidents.ndjson"])
        #expect(same.stdout.hasSuffix("no changes\n"))
    }
}
