import Testing
@testable import CovenantCEL

/// The grammar (cel-spec `parse`, and the syntax of the language definition): precedence and
/// associativity shown by evaluation, the nesting and repetition every implementation must
/// support, reserved words, comments, trailing commas in list and map literals, and the
/// positions (UTF-8 byte offsets) of syntax errors.
@Suite("Conformance: parsing")
struct ParserTests {
    static let precedence: [EvalCase] = [
        .ok("covenant/parse/mul_before_add", "1 + 2 * 3", "7"),
        .ok("covenant/parse/parens_first", "(1 + 2) * 3", "9"),
        .ok("covenant/parse/sub_left_assoc", "10 - 4 - 3", "3"),
        .ok("covenant/parse/div_left_assoc", "100 / 10 / 5", "2"),
        .ok("covenant/parse/mul_mod_left_assoc", "2 * 3 % 4", "2"),
        .ok("covenant/parse/mod_mul_left_assoc", "7 % 4 * 2", "6"),
        .ok("covenant/parse/unary_minus_binds_tight", "-2 * 3", "-6"),
        .ok("covenant/parse/minus_minus", "2 - -2", "4"),
        .ok("covenant/parse/minus_space_literal", "- 1", "-1"),
        .ok("covenant/parse/minus_variable", "-x", "-5", vars: #"{"x": 5}"#),
        .ok("covenant/parse/minus_member", "-x.y", "-5", vars: #"{"x": {"y": 5}}"#),
        .ok("covenant/parse/relation_left_assoc", "1 < 2 == true", "true"),
        .ok("covenant/parse/in_is_relation", "1 in [1] == true", "true"),
        .ok("covenant/parse/add_before_relation", "1 + 2 < 4 && 3 > 2", "true"),
        .ok("covenant/parse/and_before_or", "true || false && false", "true"),
        .ok("covenant/parse/not_before_or", "!true || true", "true"),
        .ok("covenant/parse/or_before_conditional", "1 + 1 == 2 ? 'y' : 'n'", #""y""#),
        .ok("covenant/parse/conditional_right_assoc", "true ? 1 : false ? 2 : 3", "1"),
        .ok("covenant/parse/conditional_nested_in_parens", "true ? (false ? 1 : 2) : 3", "2"),
        .rejects("covenant/parse/conditional_middle_is_or_expression", "true ? false ? 1 : 2 : 3", "E0106", "`:`", at: 13),
        .ok("covenant/parse/index_before_mul", "[1, 2, 3][1] * 2", "4"),
        .ok("covenant/parse/call_before_add", "'ab'.size() + 1", "3"),
        .ok("covenant/parse/concat_then_compare", "'ab' + 'c' == 'abc'", "true"),
        .ok("covenant/parse/leading_dot_ident", ".x + 1", "2", vars: #"{"x": 1}"#),
        .ok("covenant/parse/map_then_index", "{'a': [1, 2]}['a'][1]", "2"),
        .ok("covenant/parse/member_call_on_parens", "('a' + 'b').size()", "2"),
    ]

    static let lexical: [EvalCase] = [
        .ok("covenant/parse/comment_line", "1 + // one\n 2", "3"),
        .ok("covenant/parse/comment_first", "// first\n42", "42"),
        .ok("covenant/parse/comment_trailing", "42 // trailing", "42"),
        .ok("covenant/parse/comment_markers_in_string", "'//' + 'x'", #""//x""#),
        .ok("covenant/parse/comment_crlf", "1 // a\r\n+ 1", "2"),
        .ok("covenant/parse/whitespace_kinds", "\t1\r\n+\u{0C}2 ", "3"),
        .ok("covenant/parse/trailing_comma_list", "[1, 2,]", "[1,2]"),
        .ok("covenant/parse/trailing_comma_map", "{'a': 1,}", #"{"a":1}"#),
        .ok("covenant/parse/trailing_comma_nested", "[[1,], {'k': [2,],},]", #"[[1],{"k":[2]}]"#),
        .ok("covenant/parse/multiline", "1 +\n2 +\n3", "6"),
        .ok("covenant/parse/underscore_ident", "_x + x_1", "3", vars: #"{"_x": 1, "x_1": 2}"#),
        .ok("covenant/parse/ident_prefix_of_keyword", "index + iff + nullable + trueish", "10",
            vars: #"{"index": 1, "iff": 2, "nullable": 3, "trueish": 4}"#),
        .ok("covenant/parse/ident_starting_with_r", "rate + bytes_in", "3", vars: #"{"rate": 1, "bytes_in": 2}"#),
    ]

    static let nest: [EvalCase] = [
        .ok("parse/nest/list_index", "a[a[a[a[a[a[a[a[a[a[a[a[0]]]]]]]]]]]]", "0", vars: #"{"a": [0]}"#),
        .ok("parse/nest/funcall", "int(uint(int(uint(int(uint(int(uint(int(uint(int(uint(7))))))))))))", "7"),
        .ok("parse/nest/list_literal", "size([[[[[[[[[[[[0]]]]]]]]]]]])", "1"),
        .ok("parse/nest/map_literal", "size({0: {0: {0: {0: {0: {0: {0: {0: {0: {0: {0: {0: 'foo'}}}}}}}}}}}})", "1"),
        .ok("parse/nest/parens", "((((((((((((((((((((((((((((((((7))))))))))))))))))))))))))))))))", "7"),
        .ok("parse/repeat/conditional", "true ? true : true ? true : true ? true : true ? true : true ? true : true ? true : true ? true : true ? true : true ? true : true ? true : true ? true : true ? true : true ? true : true ? true : true ? true : true ? true : true ? true : true ? true : true ? true : true ? true : true ? true : true ? true : true ? true : true ? true : false", "true"),
        .ok("parse/repeat/or", "false || false || false || false || false || false || false || false || false || false || false || false || false || false || false || false || false || false || false || false || false || false || false || false || false || false || false || false || false || false || false || false || true", "true"),
        .ok("parse/repeat/and", "true && true && true && true && true && true && true && true && true && true && true && true && true && true && true && true && true && true && true && true && true && true && true && true && true && true && true && true && true && true && true && true && false", "false"),
        .ok("parse/repeat/add_sub", "3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3 - 3 + 3", "3"),
        .ok("parse/repeat/mul_div", "4 * 4 / 4 * 4 / 4 * 4 / 4 * 4 / 4 * 4 / 4 * 4 / 4 * 4 / 4 * 4 / 4 * 4 / 4 * 4 / 4 * 4 / 4 * 4 / 4", "4"),
        .ok("parse/repeat/not", "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!true", "true"),
        .ok("parse/repeat/unary_neg", "--------------------------------19", "19"),
        .ok("parse/repeat/index", "[[[[[[[[[[[['foo']]]]]]]]]]]][0][0][0][0][0][0][0][0][0][0][0][0]", #""foo""#),
        .ok("parse/repeat/list_literal", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31][17]", "17"),
        .ok("parse/repeat/map_literal", "{0: 'zero', 1: 'one', 2: 'two', 3: 'three', 4: 'four', 5: 'five', 6: 'six', 7: 'seven', 8: 'eight', 9: 'nine', 10: 'ten', 11: 'eleven', 12: 'twelve', 13: 'thirteen', 14: 'fourteen', 15: 'fifteen', 16: 'sixteen', 17: 'seventeen', 18: 'eighteen', 19: 'nineteen', 20: 'twenty', 21: 'twenty-one', 22: 'twenty-two', 23: 'twenty-three', 24: 'twenty-four', 25: 'twenty-five', 26: 'twenty-six', 27: 'twenty-seven', 28: 'twenty-eight', 29: 'twenty-nine', 30: 'thirty', 31: 'thirty-one'}[17]", #""seventeen""#),
    ]

    static let errors: [EvalCase] = [
        .rejects("covenant/parse/reserved_as", "as", "E0107", "`as` is a reserved word", at: 0),
        .rejects("covenant/parse/reserved_break", "break", "E0107", "`break` is a reserved word", at: 0),
        .rejects("covenant/parse/reserved_const", "const", "E0107", "`const` is a reserved word", at: 0),
        .rejects("covenant/parse/reserved_continue", "continue", "E0107", "`continue` is a reserved word", at: 0),
        .rejects("covenant/parse/reserved_else", "else", "E0107", "`else` is a reserved word", at: 0),
        .rejects("covenant/parse/reserved_for", "for", "E0107", "`for` is a reserved word", at: 0),
        .rejects("covenant/parse/reserved_function", "function", "E0107", "`function` is a reserved word", at: 0),
        .rejects("covenant/parse/reserved_if", "if", "E0107", "`if` is a reserved word", at: 0),
        .rejects("covenant/parse/reserved_import", "import", "E0107", "`import` is a reserved word", at: 0),
        .rejects("covenant/parse/reserved_let", "let", "E0107", "`let` is a reserved word", at: 0),
        .rejects("covenant/parse/reserved_loop", "loop", "E0107", "`loop` is a reserved word", at: 0),
        .rejects("covenant/parse/reserved_package", "package", "E0107", "`package` is a reserved word", at: 0),
        .rejects("covenant/parse/reserved_namespace", "namespace", "E0107", "`namespace` is a reserved word", at: 0),
        .rejects("covenant/parse/reserved_return", "return", "E0107", "`return` is a reserved word", at: 0),
        .rejects("covenant/parse/reserved_var", "var", "E0107", "`var` is a reserved word", at: 0),
        .rejects("covenant/parse/reserved_void", "void", "E0107", "`void` is a reserved word", at: 0),
        .rejects("covenant/parse/reserved_while", "while", "E0107", "`while` is a reserved word", at: 0),
        .rejects("covenant/parse/reserved_in_selection", "x.while", "E0107", at: 2, vars: #"{"x": {}}"#),
        .rejects("covenant/parse/reserved_in_expression", "1 + let", "E0107", at: 4),
        .rejects("covenant/parse/reserved_as_function", "if(true)", "E0107", at: 0),
        .rejects("covenant/parse/reserved_as_macro_variable", "[1].all(var, true)", "E0107", at: 8),
        .rejects("covenant/parse/in_alone", "in", "E0106", "unexpected `in`", at: 0),
        .rejects("covenant/parse/dangling_plus", "1 +", "E0106", "expected an operand", at: 3),
        .rejects("covenant/parse/dangling_plus_space", "1 + ", "E0106", at: 4),
        .rejects("covenant/parse/unclosed_call", "a.b(", "E0106", at: 4),
        .rejects("covenant/parse/unclosed_call_args", "size([1]", "E0106", "`)`", at: 8),
        .rejects("covenant/parse/unclosed_paren", "(1 + 2", "E0106", "expected `)` to close `(`", at: 6),
        .rejects("covenant/parse/unclosed_list", "[1, 2", "E0106", "`]`", at: 5),
        .rejects("covenant/parse/unclosed_map", "{'a': 1", "E0106", "`}`", at: 7),
        .rejects("covenant/parse/map_missing_colon", "{'a' 1}", "E0106", "`:`", at: 5),
        .rejects("covenant/parse/unclosed_index", "[1][0", "E0106", "`]`", at: 5),
        .rejects("covenant/parse/extra_close_paren", "(1))", "E0106", "end of expression", at: 3),
        .rejects("covenant/parse/two_operands", "1 2", "E0106", "expected end of expression", at: 2),
        .rejects("covenant/parse/dangling_dot", "a.", "E0106", at: 2),
        .rejects("covenant/parse/number_after_dot", "a.1", "E0106", at: 1),
        .rejects("covenant/parse/conditional_missing_colon", "true ? 1", "E0106", "`:`", at: 8),
        .rejects("covenant/parse/single_equals", "1 = 2", "E0101", "`=`", help: "`==`", at: 2),
        .rejects("covenant/parse/single_ampersand", "a & b", "E0101", help: "`&&`", at: 2),
        .rejects("covenant/parse/single_pipe", "a | b", "E0101", help: "`||`", at: 2),
        .rejects("covenant/parse/unknown_character", "1 # 2", "E0101", "`#`", at: 2),
        .rejects("covenant/parse/non_ascii_identifier", "1 + é", "E0101", "`é`", at: 4),
        .rejects("covenant/parse/position_is_bytes", "'公约' + # ", "E0101", at: 11),
        .rejects("covenant/parse/empty", "", "E0100", "empty expression", at: 0),
        .rejects("covenant/parse/blank", "   ", "E0100", "empty expression"),
        .rejects("covenant/parse/only_comment", "// nothing", "E0100", "empty expression"),
        .rejects("covenant/parse/minus_alone", "-", "E0106", at: 1),
        .rejects("covenant/parse/not_alone", "!", "E0106", at: 1),
        .rejects("covenant/parse/empty_list_comma", "[,]", "E0106", at: 1),
        .rejects("covenant/parse/double_comma", "[1,,2]", "E0106", at: 3),
        .rejects("covenant/parse/empty_map_comma", "{,}", "E0106", at: 1),
        .rejects("covenant/parse/call_trailing_comma", "size([1],)", "E0106", at: 9),
        .rejects("covenant/parse/call_only_comma", "size(,)", "E0106", at: 5),
        .rejects("covenant/parse/unterminated_in_call", "size('abc)", "E0104", at: 5),
        .rejects("covenant/parse/operator_at_start", "* 2", "E0106", at: 0),
        .rejects("covenant/parse/relation_without_right", "1 <", "E0106", at: 3),
        .rejects("covenant/parse/has_two_args", "has(a.b, c)", "E0202", vars: #"{"a": {}, "c": 1}"#),
        .rejects("covenant/parse/macro_variable_not_ident", "[1].map(x + 1, x)", "E0110", at: 8),
        .rejects("covenant/parse/message_construction", "a{b: 1}", "E0100", "message construction is not supported", at: 1,
                 vars: #"{"a": {}}"#),
    ]

    static let all = precedence + lexical + nest + errors

    @Test(arguments: all)
    func parse(_ c: EvalCase) { check(c) }

    @Test func idsAreUnique() { #expect(duplicateIDs(Self.all).isEmpty) }
}
