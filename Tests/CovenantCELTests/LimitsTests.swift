import Testing
@testable import CovenantCEL

/// Resource limits: every limit is a clean, positioned error that names it (E0109 length, E0108
/// nesting, `cost_limit` at run time) — never a crash, a hang or unbounded memory — and inputs
/// just inside a limit are accepted.
@Suite("Limits")
struct LimitsTests {
    static func repeated(_ s: String, _ n: Int) -> String { String(repeating: s, count: n) }

    /// Terms joined by an operator: `a + a + … + a`.
    static func chain(_ term: String, _ op: String, _ n: Int) -> String {
        Array(repeating: term, count: n).joined(separator: op)
    }

    static let defaults: [EvalCase] = [
        .rejects("covenant/limits/too_long", chain("1", "+", 5_001), "E0109", "longer than the limit of 10000 code points", at: 0),
        .ok("covenant/limits/longest_accepted", "'" + repeated("x", 9_998) + "'", "\"" + repeated("x", 9_998) + "\""),
        .rejects("covenant/limits/length_counts_code_points", "'" + repeated("公", 10_000) + "'", "E0109"),
        .ok("covenant/limits/multibyte_within_limit", "size('" + repeated("公", 9_990) + "')", "9990"),
        .rejects("covenant/limits/parens_500", repeated("(", 500) + "1" + repeated(")", 500), "E0108",
                 "nests deeper than the limit of 100"),
        .ok("covenant/limits/parens_99", repeated("(", 99) + "1" + repeated(")", 99), "1"),
        .rejects("covenant/limits/parens_100", repeated("(", 100) + "1" + repeated(")", 100), "E0108"),
        .rejects("covenant/limits/unclosed_parens_5000", repeated("(", 5_000), "E0108"),
        .rejects("covenant/limits/plus_chain_5000", chain("a", "+", 5_000), "E0108", types: ["a": .int]),
        .rejects("covenant/limits/minus_chain_5000", chain("a", "-", 5_000), "E0108", types: ["a": .int]),
        .rejects("covenant/limits/mul_chain_3000", chain("a", "*", 3_000), "E0108", types: ["a": .int]),
        .rejects("covenant/limits/relation_chain_3000", chain("a", "<", 3_000), "E0108", types: ["a": .int]),
        .rejects("covenant/limits/not_chain_9999", repeated("!", 9_999) + "a", "E0108", types: ["a": .bool]),
        .rejects("covenant/limits/negation_chain_9999", repeated("-", 9_999) + "1", "E0108"),
        .rejects("covenant/limits/select_chain_3000", "a" + repeated(".b", 3_000), "E0108", types: ["a": .dyn]),
        .rejects("covenant/limits/index_chain_3000", "a" + repeated("[0]", 3_000), "E0108", types: ["a": .dyn]),
        .rejects("covenant/limits/nested_lists_3000", repeated("[", 3_000) + repeated("]", 3_000), "E0108"),
        .rejects("covenant/limits/nested_maps_1000", repeated("{1:", 1_000) + "1" + repeated("}", 1_000), "E0108"),
        .rejects("covenant/limits/nested_calls_1000", repeated("int(", 1_000) + "1" + repeated(")", 1_000), "E0108"),
        .rejects("covenant/limits/nested_conditionals_900", repeated("true ? 1 : ", 900) + "2", "E0108"),
        .rejects("covenant/limits/nested_comprehensions_200", repeated("[1].all(x, ", 200) + "true" + repeated(")", 200), "E0108"),
        .ok("covenant/limits/or_chain_3000_is_balanced", chain("a", "||", 3_000), "true", vars: #"{"a": true}"#),
        .ok("covenant/limits/and_chain_3000_is_balanced", chain("a", "&&", 3_000), "false", vars: #"{"a": false}"#),
        .ok("covenant/limits/list_of_3000", "size([" + chain("1", ",", 3_000) + "])", "3000"),
        .ok("covenant/limits/plus_chain_99", chain("1", "+", 99), "99"),
        .rejects("covenant/limits/plus_chain_101", chain("1", "+", 101), "E0108"),
    ]

    /// Expressions of at most 40 code points, nested at most 10 deep.
    static let shape: [EvalCase] = [
        .rejects("covenant/limits/custom_length", "1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11", "E0109", "limit of 40", at: 0),
        .ok("covenant/limits/custom_length_ok", "1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10", "55"),
        .rejects("covenant/limits/custom_depth", repeated("(", 10) + "1" + repeated(")", 10), "E0108", "limit of 10"),
        .ok("covenant/limits/custom_depth_ok", repeated("(", 9) + "1" + repeated(")", 9), "1"),
        .rejects("covenant/limits/custom_chain", chain("1", "+", 12), "E0108"),
        .rejects("covenant/limits/custom_nested_lists", repeated("[", 11) + repeated("]", 11), "E0108"),
    ]

    static func range(_ n: Int) -> String { "[" + (0..<n).map(String.init).joined(separator: ",") + "]" }

    /// A cost budget of 1,000 units.
    static let cost: [EvalCase] = [
        .fails("covenant/limits/nested_map_cost", "r.map(x, r.map(y, x * y))", .costLimit, "cost limit of 1000",
               vars: "{\"r\": \(range(50))}"),
        .ok("covenant/limits/nested_map_within_cost", "size(r.map(x, r.map(y, x * y)))", "20", vars: "{\"r\": \(range(20))}"),
        .fails("covenant/limits/literal_nested_map_cost", "\(range(20)).map(x, \(range(20)).map(y, [x, y]))", .costLimit),
        .fails("covenant/limits/filter_cost", "r.filter(x, r.exists(y, y > 100))", .costLimit, vars: "{\"r\": \(range(50))}"),
        .fails("covenant/limits/concat_cost", "s + s", .costLimit, vars: "{\"s\": \"" + repeated("x", 600) + "\"}"),
        .ok("covenant/limits/concat_within_cost", "size(s + s)", "800", vars: "{\"s\": \"" + repeated("x", 400) + "\"}"),
        .fails("covenant/limits/list_concat_cost", "r + r + r + r + r + r", .costLimit, vars: "{\"r\": \(range(100))}"),
        .fails("covenant/limits/exists_cost_not_absorbed", "r.exists(x, r.all(y, y >= 0) && false)", .costLimit,
               vars: "{\"r\": \(range(50))}"),
        .fails("covenant/limits/or_cost_not_absorbed", "r.all(x, r.all(y, y >= 0)) || true", .costLimit,
               vars: "{\"r\": \(range(50))}"),
        .fails("covenant/limits/constant_concat_cost", "'" + repeated("y", 600) + "' + '" + repeated("z", 600) + "'", .costLimit),
    ]

    @Test(arguments: defaults)
    func defaultLimits(_ c: EvalCase) { check(c) }

    @Test(arguments: shape)
    func shapeLimits(_ c: EvalCase) { check(c, limits: CELLimits(maxExpressionLength: 40, maxDepth: 10)) }

    @Test(arguments: cost)
    func costLimit(_ c: EvalCase) { check(c, limits: CELLimits(maxCost: 1_000)) }

    @Test func idsAreUnique() { #expect(duplicateIDs(Self.defaults + Self.shape + Self.cost).isEmpty) }

    @Test func limitErrorsArePositioned() {
        let env = CELEnvironment(variables: [("r", .list(.int))], limits: CELLimits(maxCost: 100))
        do throws(CELCompileError) {
            let program = try env.compile("size(r) > 0 && r.map(x, r.map(y, y)) == []")
            do throws(EvalError) {
                _ = try program.evaluate(env.activation(["r": .list((0..<20).map { .int(Int64($0)) })]))
                Issue.record("the cost limit was not enforced")
            } catch {
                #expect(error.kind == .costLimit)
                #expect(error.node != nil)
                // The inner `map` is where the budget runs out.
                #expect(error.start == 24 && error.end == 35)
            }
        } catch {
            Issue.record("did not compile: \(error.issues.first?.message.en ?? "")")
        }
    }
}
