import Testing
@testable import CovenantCEL

/// The macros `has`, `all`, `exists`, `exists_one`, `map` (two and three arguments) and
/// `filter` (cel-spec `macros`, `fields`/map_has). `all` and `exists` combine their predicates
/// like `&&` and `||`, so a decisive result absorbs errors from other elements; `exists_one`,
/// `map` and `filter` raise any error. Over a map, `all`/`exists`/`exists_one` range over its keys.
@Suite("Conformance: macros")
struct MacroTests {
    static let has: [EvalCase] = [
        .ok("fields/map_has/has", "has({'a': 1, 'b': 2}.a)", "true"),
        .ok("fields/map_has/has_not", "has({'a': 1, 'b': 2}.c)", "false"),
        .ok("fields/map_has/has_empty", "has({}.a)", "false"),
        .ok("covenant/has/null_value_is_present", "has({'a': null}.a)", "true"),
        .ok("covenant/has/variable", "has(x.a) && !has(x.b)", "true", vars: #"{"x": {"a": 1}}"#),
        .ok("covenant/has/nested", "has(x.a.b)", "true", vars: #"{"x": {"a": {"b": 0}}}"#),
        .fails("covenant/has/nested_missing_parent", "has(x.a.b)", .noSuchKey, "`a`", vars: #"{"x": {"c": {}}}"#),
        .ok("covenant/has/guard", "has(x.a) && x.a > 0", "false", vars: #"{"x": {}}"#, types: ["x": .map(.string, .int)]),
        .rejects("covenant/has/not_a_selection", "has(x)", "E0110", help: "field selection", vars: #"{"x": {}}"#),
        .rejects("covenant/has/index_not_selection", "has(x['a'])", "E0110", vars: #"{"x": {}}"#),
        .rejects("covenant/has/on_int", "has(x.a)", "E0205", vars: #"{"x": 1}"#),
        .fails("covenant/has/on_dyn_int", "has(dyn(1).a)", .noSuchField),
        .fails("covenant/has/on_dyn_list", "has(dyn([1]).a)", .noSuchField),
        .ok("fields/map_field_access", "x.name", "1024", vars: #"{"x": {"name": 1024}}"#),
        .fails("fields/map_field_select_no_such_key", "x.name", .noSuchKey, "no such key: `name`", vars: #"{"x": {"holiday": "field"}}"#),
        .fails("fields/int64_field_select_unsupported", "dyn(a).pancakes", .noSuchField, vars: #"{"a": 15}"#),
        .fails("fields/list_field_select_unsupported", "dyn(a).pancakes", .noSuchField, vars: #"{"a": ["pancakes"]}"#),
        .rejects("covenant/select/on_int_checked", "a.pancakes", "E0205", vars: #"{"a": 15}"#),
    ]

    static let exists: [EvalCase] = [
        .ok("macros/exists/list_elem_all_true", "[1, 2, 3].exists(e, e > 0)", "true"),
        .ok("macros/exists/list_elem_some_true", "[1, 2, 3].exists(e, e == 2)", "true"),
        .ok("macros/exists/list_elem_none_true", "[1, 2, 3].exists(e, e > 3)", "false"),
        .ok("macros/exists/list_elem_type_shortcircuit", "[1, 'foo', 3].exists(e, e != '1')", "true"),
        .ok("macros/exists/list_elem_type_exhaustive", "[1, 'foo', 3].exists(e, e == '10')", "false"),
        .fails("macros/exists/list_elem_exists_error", "[1, 2, 3].exists(e, e / 0 == 17)", .divisionByZero),
        .ok("macros/exists/list_empty", "[].exists(e, e == 2)", "false"),
        .ok("macros/exists/map_key", "{'key1':1, 'key2':2}.exists(k, k == 'key2')", "true"),
        .ok("macros/exists/not_map_key", "!{'key1':1, 'key2':2}.exists(k, k == 'key3')", "true"),
        .ok("macros/exists/map_key_type_shortcircuit", "{'key':1, 1:21}.exists(k, k != 2)", "true"),
        .ok("macros/exists/map_key_type_exhaustive", "!{'key':1, 1:42}.exists(k, k == 2)", "true"),
        .ok("covenant/exists/true_absorbs_error", "[0, 1].exists(e, 1 / e == 1)", "true"),
        .ok("covenant/exists/true_absorbs_later_error", "[1, 0].exists(e, 1 / e == 1)", "true"),
        .fails("covenant/exists/false_keeps_error", "[0, 2].exists(e, 1 / e == 1)", .divisionByZero),
        .ok("covenant/exists/absorbs_no_overload", "[dyn('a'), dyn(1)].exists(e, e > 0)", "true"),
        .rejects("covenant/exists/non_bool_predicate", "[1].exists(e, e)", "E0203", "must be bool"),
        .rejects("covenant/exists/not_a_name", "[1].exists(1, true)", "E0110", help: "simple name"),
        .rejects("covenant/exists/on_int", "1.exists(e, true)", "E0208", "needs a list or a map"),
    ]

    static let all: [EvalCase] = [
        .ok("macros/all/list_elem_all_true", "[1, 2, 3].all(e, e > 0)", "true"),
        .ok("macros/all/list_elem_some_true", "[1, 2, 3].all(e, e == 2)", "false"),
        .ok("macros/all/list_elem_none_true", "[1, 2, 3].all(e, e == 17)", "false"),
        .ok("macros/all/list_elem_type_shortcircuit", "[1, 'foo', 3].all(e, e == 1)", "false"),
        .fails("macros/all/list_elem_type_exhaustive", "[1, 'foo', 3].all(e, e % 2 == 1)", .noMatchingOverload),
        .ok("macros/all/list_elem_error_shortcircuit", "[1, 2, 3].all(e, 6 / (2 - e) == 6)", "false"),
        .fails("macros/all/list_elem_error_exhaustive", "[1, 2, 3].all(e, e / 0 != 17)", .divisionByZero),
        .ok("macros/all/list_empty", "[].all(e, e > 0)", "true"),
        .ok("macros/all/map_key", "{'key1':1, 'key2':2}.all(k, k == 'key2')", "false"),
        .ok("covenant/all/false_first_absorbs_later_error", "[3, 2].all(e, 6 / (2 - e) == 6)", "false"),
        .ok("covenant/all/map_keys_all", "{'a': 1, 'b': 2}.all(k, k.size() == 1)", "true"),
        .ok("covenant/all/variable", "xs.all(x, x > 0)", "true", vars: #"{"xs": [1, 2]}"#),
        .ok("covenant/all/over_map_variable", "m.all(k, m[k] > 0)", "true", vars: #"{"m": {"a": 1, "b": 2}}"#),
    ]

    static let existsOne: [EvalCase] = [
        .ok("macros/exists_one/list_empty", "[].exists_one(a, a == 7)", "false"),
        .ok("macros/exists_one/list_one_true", "[7].exists_one(a, a == 7)", "true"),
        .ok("macros/exists_one/list_one_false", "[8].exists_one(a, a == 7)", "false"),
        .ok("macros/exists_one/list_none", "[1, 2, 3].exists_one(x, x > 20)", "false"),
        .ok("macros/exists_one/list_one", "[6, 7, 8].exists_one(foo, foo % 5 == 2)", "true"),
        .ok("macros/exists_one/list_many", "[0, 1, 2, 3, 4].exists_one(n, n % 2 == 1)", "false"),
        .ok("macros/exists_one/list_all", "['foal', 'foo', 'four'].exists_one(n, n.startsWith('fo'))", "false"),
        .fails("macros/exists_one/list_no_shortcircuit", "[3, 2, 1, 0].exists_one(n, 12 / n > 1)", .divisionByZero),
        .ok("macros/exists_one/map_one", "{6: 'six', 7: 'seven', 8: 'eight'}.exists_one(foo, foo % 5 == 2)", "true"),
        .fails("covenant/exists_one/error_after_match", "[2, 0].exists_one(n, 2 / n == 1)", .divisionByZero),
    ]

    static let map: [EvalCase] = [
        .ok("macros/map/list_empty", "[].map(n, n / 2)", "[]"),
        .ok("macros/map/list_one", "[3].map(n, n * n)", "[9]"),
        .ok("macros/map/list_many", "[2, 4, 6].map(n, n / 2)", "[1,2,3]"),
        .fails("macros/map/list_error", "[2, 1, 0].map(n, 4 / n)", .divisionByZero),
        .ok("covenant/map/three_args", "[1, 2, 3, 4].map(n, n % 2 == 0, n * 10)", "[20,40]"),
        .ok("covenant/map/three_args_none", "[1, 3].map(n, n > 5, n)", "[]"),
        .fails("covenant/map/three_args_filter_error", "[1, 0].map(n, 1 / n == 1, n)", .divisionByZero),
        .ok("covenant/map/to_strings", "[1, 2].map(n, string(n))", #"["1","2"]"#),
        .ok("covenant/map/to_lists", "['a', 'b'].map(x, [x, x])", #"[["a","a"],["b","b"]]"#),
        .typed("covenant/map/result_type", "[1, 2].map(n, n > 1)", "list(bool)"),
        .typed("covenant/map/three_arg_result_type", "[1, 2].map(n, n > 1, double(n))", "list(double)"),
        .rejects("covenant/map/on_map", "{'a': 1}.map(k, k)", "E0208", "not supported on maps"),
        .rejects("covenant/map/non_bool_filter", "[1].map(n, n, n)", "E0203", "must be bool"),
        .fails("covenant/map/on_dyn_map", "dyn({'a': 1}).map(k, k)", .noMatchingOverload),
        .ok("covenant/map/chained", "[1, 2, 3].map(x, x * 2).filter(x, x > 2)", "[4,6]"),
    ]

    static let filter: [EvalCase] = [
        .ok("macros/filter/list_empty", "[].filter(n, n % 2 == 0)", "[]"),
        .ok("macros/filter/list_one_true", "[2].filter(n, n == 2)", "[2]"),
        .ok("macros/filter/list_one_false", "[1].filter(n, n > 3)", "[]"),
        .ok("macros/filter/list_none", "[1, 2, 3].filter(e, e > 3)", "[]"),
        .ok("macros/filter/list_some", "[0, 1, 2, 3, 4].filter(x, x % 2 == 1)", "[1,3]"),
        .ok("macros/filter/list_all", "[1, 2, 3].filter(n, n > 0)", "[1,2,3]"),
        .fails("macros/filter/list_no_shortcircuit", "[3, 2, 1, 0].filter(n, 12 / n > 4)", .divisionByZero),
        .typed("covenant/filter/result_type", "['a'].filter(s, s != '')", "list(string)"),
        .rejects("covenant/filter/on_map", "{'a': 1}.filter(k, true)", "E0208"),
        .ok("covenant/filter/size", "size([1, 2, 3].filter(x, x > 1))", "2"),
    ]

    static let nested: [EvalCase] = [
        .ok("macros/nested/filter_all", "['signer'].filter(signer, ['artifact'].all(artifact, true))", #"["signer"]"#),
        .ok("macros/nested/all_all", "['signer'].all(signer, ['artifact'].all(artifact, true))", "true"),
        .ok("covenant/nested/shadowing_inner_wins", "[1, 2].all(x, [10, 20].all(x, x >= 10))", "true"),
        .ok("covenant/nested/shadowing_restores_outer", "[1, 2].map(x, [10].map(x, x + 1)[0] + x)", "[12,13]"),
        .ok("covenant/nested/outer_visible", "[1, 2].map(x, [10, 20].map(y, x * y))", "[[10,20],[20,40]]"),
        .ok("covenant/nested/in_range", "[1, 2].map(x, x + 1).all(y, y > 1)", "true"),
        .ok("covenant/nested/in_range_of_inner", "[1].all(x, [x].map(y, y + 1).all(z, z == x + 1))", "true"),
        .ok("covenant/nested/three_levels", "[[[1, 2]], [[3]]].map(a, a.map(b, b.map(c, c * 2)))", "[[[2,4]],[[6]]]"),
        .ok("covenant/nested/variable_shadows_global", "[5].map(x, x)", "[5]", vars: #"{"x": 99}"#),
        .ok("covenant/nested/global_after_comprehension", "[5].map(x, x)[0] + x", "104", vars: #"{"x": 99}"#),
        .ok("covenant/nested/exists_in_filter", "[[1, 2], [3]].filter(l, l.exists(e, e == 3))", "[[3]]"),
        .ok("covenant/nested/sibling_comprehensions", "[1].map(x, x) + [2].map(y, y)", "[1,2]"),
        .rejects("covenant/nested/variable_out_of_scope", "[1].map(x, x) + [x]", "E0201", "`x`"),
    ]

    static let allCases = has + exists + all + existsOne + map + filter + nested

    @Test(arguments: allCases)
    func macro(_ c: EvalCase) { check(c) }

    @Test func idsAreUnique() { #expect(duplicateIDs(Self.allCases).isEmpty) }
}
