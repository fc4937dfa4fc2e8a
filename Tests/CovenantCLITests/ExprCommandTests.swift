import Testing

/// Golden tests of `covenant expr`: the JSON contract, positioned errors, exit statuses.
@Suite struct ExprCommandTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let arguments: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "expr-int", arguments: ["expr", "1 + 2 * 3"]),
        Case(name: "expr-double", arguments: ["expr", "2.0"]),
        Case(name: "expr-double-exponent", arguments: ["expr", "1e300"]),
        Case(name: "expr-string-unicode", arguments: ["expr", "'禁止' + \"充电\""]),
        Case(name: "expr-list-map", arguments: ["expr", "{'a': [1, 2.5, true, null], 2: 'b'}"]),
        Case(name: "expr-timestamp", arguments: ["expr", "timestamp('2026-11-03T21:40:00+08:00') + duration('1h30m')"]),
        Case(name: "expr-duration", arguments: ["expr", "duration('1h')"]),
        Case(name: "expr-vars", arguments: ["expr", "--vars", #"{"facts": {"location": "corridor", "charging": true}}"#,
                                            #"facts.location in ["corridor", "stairwell", "lobby"] && facts.charging"#]),
        Case(name: "expr-vars-file", arguments: ["expr", "--vars-file", "samples/incidents/one-incident.yaml",
                                                 "category == 'ebike' && facts.charging && timestamp(occurred_at).getHours('Asia/Shanghai') >= 21"]),
        Case(name: "expr-overflow", arguments: ["expr", "9223372036854775807 + 1"]),
        Case(name: "expr-int-min", arguments: ["expr", "--", "-9223372036854775808"]),
        Case(name: "expr-mixing", arguments: ["expr", "1 + 2.0"]),
        Case(name: "expr-mixing-zh", arguments: ["expr", "--lang", "zh", "1 + 2.0"]),
        Case(name: "expr-syntax-error", arguments: ["expr", "facts.location in [\"corridor\""]),
        Case(name: "expr-undeclared", arguments: ["expr", "--vars", #"{"facts": {}}"#, "fact.location == 'corridor'"]),
        Case(name: "expr-division-by-zero", arguments: ["expr", "10 / (5 - 5)"]),
        Case(name: "expr-usage-bad-vars", arguments: ["expr", "--vars", "{not json", "1"]),
        Case(name: "expr-usage-missing-expression", arguments: ["expr"]),
        Case(name: "expr-reserved-word", arguments: ["expr", "if > 1"]),
        Case(name: "expr-caret-cjk", arguments: ["expr", "'楼道' + 1"]),
    ]

    @Test(arguments: cases)
    func golden(_ c: Case) throws {
        try Golden.assertMatches(c.name, c.arguments)
    }

    @Test func exitStatusesFollowTheContract() throws {
        #expect(try Golden.run(["expr", "true"]).status == 0)
        #expect(try Golden.run(["expr", "1 +"]).status == 1)
        #expect(try Golden.run(["expr", "1 / 0"]).status == 1)
        #expect(try Golden.run(["expr", "--no-such-flag", "1"]).status == 2)
    }

    @Test func languageComesFromLANG() throws {
        let zh = try Golden.run(["expr", "1 / 0"], environment: ["LANG": "zh_CN.UTF-8"])
        #expect(zh.stderr.contains("错误"))
        let en = try Golden.run(["expr", "1 / 0"], environment: ["LANG": "en_US.UTF-8"])
        #expect(en.stderr.contains("error: division by zero"))
    }
}
