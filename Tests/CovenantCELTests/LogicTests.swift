import Testing
@testable import CovenantCEL

/// `? :`, `&&`, `||`, `!` (cel-spec `logic`). `&&` and `||` are commutative: an operand that
/// decides the result (`false` for `&&`, `true` for `||`) wins over an error or a non-bool on the
/// other side, whichever side it is on. Cases that cel-spec runs with the checker disabled are
/// written with `dyn(…)` so that they reach evaluation.
@Suite("Conformance: logic")
struct LogicTests {
    static let conditional: [EvalCase] = [
        .ok("logic/conditional/true_case", "true ? 1 : 2", "1"),
        .ok("logic/conditional/false_case", "false ? 'foo' : 'bar'", #""bar""#),
        .fails("logic/conditional/error_case", "2 / 0 > 4 ? 'baz' : 'quux'", .divisionByZero),
        .ok("logic/conditional/mixed_type", "true ? 'cows' : dyn(17)", #""cows""#),
        .rejects("covenant/conditional/mixed_type_checked", "true ? 'cows' : 17", "E0207", "different types"),
        .fails("logic/conditional/bad_type", "dyn('cows') ? false : true", .noMatchingOverload),
        .rejects("covenant/conditional/bad_type_checked", "'cows' ? false : true", "E0203", "must be bool"),
        .ok("covenant/conditional/untaken_branch_error", "true ? 1 : 1 / 0", "1"),
        .ok("covenant/conditional/untaken_then_error", "false ? 1 / 0 : 2", "2"),
        .ok("covenant/conditional/right_associative", "false ? 1 : true ? 2 : 3", "2"),
        .ok("covenant/conditional/nested_in_condition", "(true ? false : true) ? 1 : 2", "2"),
        .ok("covenant/conditional/lower_than_or", "false || true ? 'y' : 'n'", #""y""#),
        .ok("covenant/conditional/variable", "x > 10 ? 'big' : 'small'", #""big""#, vars: #"{"x": 11}"#),
        .ok("covenant/conditional/dyn_branch_joins", "true ? 1 : dyn('a')", "1"),
        .typed("covenant/conditional/type_join_dyn", "true ? 1 : dyn('a')", "dyn"),
        .typed("covenant/conditional/type_same", "true ? [1] : [2, 3]", "list(int)"),
    ]

    static let and: [EvalCase] = [
        .ok("logic/AND/all_true", "true && true", "true"),
        .ok("logic/AND/all_false", "false && false", "false"),
        .ok("logic/AND/false_left", "false && true", "false"),
        .ok("logic/AND/false_right", "true && false", "false"),
        .ok("logic/AND/short_circuit_type_left", "false && dyn(32)", "false"),
        .ok("logic/AND/short_circuit_type_right", "dyn('horses') && false", "false"),
        .ok("logic/AND/short_circuit_error_left", "false && (2 / 0 > 3 ? false : true)", "false"),
        .ok("logic/AND/short_circuit_error_right", "(2 / 0 > 3 ? false : true) && false", "false"),
        .fails("logic/AND/error_right", "true && 1/0 != 0", .divisionByZero),
        .fails("logic/AND/error_left", "1/0 != 0 && true", .divisionByZero),
        .fails("logic/AND/no_overload", "dyn('less filling') && dyn('tastes great')", .noMatchingOverload),
        .rejects("covenant/AND/no_overload_checked", "'less filling' && 'tastes great'", "E0203", "`&&` needs bool operands"),
        .fails("covenant/AND/error_and_true_keeps_first_error", "1/0 == 1 && 2 % 0 == 1", .divisionByZero),
        .ok("covenant/AND/unbound_and_false", "x && false", "false", types: ["x": .bool]),
        .fails("covenant/AND/unbound_and_true", "x && true", .unboundVariable, types: ["x": .bool]),
        .ok("covenant/AND/chain_any_false", "true && true && 1/0 == 0 && false", "false"),
        .ok("covenant/AND/variables", "a && b", "false", vars: #"{"a": true, "b": false}"#),
    ]

    static let or: [EvalCase] = [
        .ok("logic/OR/all_true", "true || true", "true"),
        .ok("logic/OR/all_false", "false || false", "false"),
        .ok("logic/OR/false_left", "false || true", "true"),
        .ok("logic/OR/false_right", "true || false", "true"),
        .ok("logic/OR/short_circuit_type_left", "true || dyn(32)", "true"),
        .ok("logic/OR/short_circuit_type_right", "dyn('horses') || true", "true"),
        .ok("logic/OR/short_circuit_error_left", "true || (2 / 0 > 3 ? false : true)", "true"),
        .ok("logic/OR/short_circuit_error_right", "(2 / 0 > 3 ? false : true) || true", "true"),
        .fails("logic/OR/error_right", "false || 1/0 != 0", .divisionByZero),
        .fails("logic/OR/error_left", "1/0 != 0 || false", .divisionByZero),
        .fails("logic/OR/no_overload", "dyn('less filling') || dyn('tastes great')", .noMatchingOverload),
        .rejects("covenant/OR/no_overload_checked", "1 || true", "E0203", "`||` needs bool operands", at: 0),
        .ok("covenant/OR/chain_any_true", "false || 1/0 == 0 || true || false", "true"),
        .ok("covenant/OR/and_binds_tighter", "true || false && false", "true"),
        .ok("covenant/OR/parenthesised", "(true || false) && false", "false"),
        .ok("covenant/OR/unbound_or_true", "x || true", "true", types: ["x": .bool]),
        .ok("covenant/OR/mixed_with_errors", "(1/0 == 0 && false) || (2 % 0 == 1 || true)", "true"),
    ]

    static let not: [EvalCase] = [
        .ok("logic/NOT/not_true", "!true", "false"),
        .ok("logic/NOT/not_false", "!false", "true"),
        .fails("logic/NOT/no_overload", "!dyn(0)", .noMatchingOverload),
        .rejects("covenant/NOT/no_overload_checked", "!0", "E0203", "no matching overload for `!`"),
        .ok("covenant/NOT/double", "!!true", "true"),
        .ok("covenant/NOT/binds_tighter_than_and", "!false && false", "false"),
        .ok("covenant/NOT/of_comparison", "!(1 > 2)", "true"),
        .ok("covenant/NOT/of_member", "!x.b", "false", vars: #"{"x": {"b": true}}"#),
        .fails("covenant/NOT/error_propagates", "!(1/0 == 0)", .divisionByZero),
    ]

    static let all = conditional + and + or + not

    @Test(arguments: all)
    func logic(_ c: EvalCase) { check(c) }

    @Test func idsAreUnique() { #expect(duplicateIDs(Self.all).isEmpty) }
}
