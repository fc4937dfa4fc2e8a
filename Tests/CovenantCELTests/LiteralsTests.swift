import Testing
@testable import CovenantCEL

/// Literals and variables (cel-spec `basic`, and the lexis of the language definition).
@Suite("Conformance: literals")
struct LiteralsTests {
    static let cases: [EvalCase] = [
        // basic/self_eval_zeroish
        .ok("basic/self_eval_int_zero", "0", "0", type: "int"),
        .ok("basic/self_eval_uint_zero", "0u", "0", type: "uint"),
        .ok("basic/self_eval_uint_alias_zero", "0U", "0", type: "uint"),
        .ok("basic/self_eval_float_zero", "0.0", "0.0", type: "double"),
        .ok("basic/self_eval_float_zerowithexp", "0e+0", "0.0", type: "double"),
        .ok("basic/self_eval_string_empty", "''", #""""#),
        .ok("basic/self_eval_string_empty_quotes", #""""#, #""""#),
        .ok("basic/self_eval_string_raw_prefix", #"r"""#, #""""#),
        .ok("basic/self_eval_bytes_empty", #"b"""#, #""""#, type: "bytes"),
        .ok("basic/self_eval_bool_false", "false", "false"),
        .ok("basic/self_eval_null", "null", "null", type: "null_type"),
        .ok("basic/self_eval_empty_list", "[]", "[]"),
        .ok("basic/self_eval_empty_map", "{}", "{}"),
        .ok("basic/self_eval_string_raw_prefix_triple_double", #"r"""""""#, #""""#),
        .ok("basic/self_eval_string_raw_prefix_triple_single", "r''''''", #""""#),
        // basic/self_eval_nonzeroish
        .ok("basic/self_eval_int_nonzero", "42", "42"),
        .ok("basic/self_eval_uint_nonzero", "123456789u", "123456789", type: "uint"),
        .ok("basic/self_eval_uint_alias_nonzero", "123456789U", "123456789", type: "uint"),
        .ok("basic/self_eval_int_negative_min", "-9223372036854775808", "-9223372036854775808", type: "int"),
        .ok("basic/self_eval_float_negative_exp", "-2.3e+1", "-23.0"),
        .ok("basic/self_eval_string_excl", #""!""#, #""!""#),
        .ok("basic/self_eval_string_escape", #"'\''"#, #""'""#),
        .ok("basic/self_eval_bytes_escape", "b'ÿ' == b'\\303\\277'", "true"),
        .ok("basic/self_eval_bytes_invalid_utf8", #"b'\000\xff'"#, #""AP8=""#),
        .ok("basic/self_eval_list_singleitem", "[-1]", "[-1]"),
        .ok("basic/self_eval_map_singleitem", #"{"k":"v"}"#, #"{"k":"v"}"#),
        .ok("basic/self_eval_bool_true", "true", "true"),
        .ok("basic/self_eval_int_hex", "0x55555555", "1431655765", type: "int"),
        .ok("basic/self_eval_int_hex_negative", "-0x55555555", "-1431655765"),
        .ok("basic/self_eval_uint_hex", "0x55555555u", "1431655765", type: "uint"),
        .ok("basic/self_eval_uint_alias_hex", "0x55555555U", "1431655765", type: "uint"),
        .ok("basic/self_eval_unicode_escape_four", #""\u270c""#, "\"\u{270C}\""),
        .ok("basic/self_eval_unicode_escape_eight", #""\U0001f431""#, "\"\u{1F431}\""),
        .ok("basic/self_eval_ascii_escape_seq", #""\a\b\f\n\r\t\v\"\'\\""#, #""\u0007\u0008\u000c\n\r\t\u000b\"'\\""#),
        // basic/variables
        .ok("basic/self_eval_bound_lookup", "x", "123", vars: #"{"x": 123}"#),
        .ok("basic/unbound_is_runtime_error", "x || true", "true", types: ["x": .bool]),
        .fails("covenant/basic/unbound_variable", "x", .unboundVariable, "no value for `x`", types: ["x": .int]),
        .rejects("basic/self_eval_unbound_lookup", "x", "E0201", "undeclared reference to `x`", at: 0),
        // basic/functions
        .ok("basic/binop", "1 + 1", "2"),
        .rejects("basic/unbound", "f_unknown(17)", "E0202", "undeclared function `f_unknown`"),
        // basic/reserved_const: literals are never shadowed by variables of the same name
        .ok("basic/reserved_const_false", "false", "false", vars: #"{"false": true}"#),
        .ok("basic/reserved_const_true", "true", "true", vars: #"{"true": false}"#),
        .ok("basic/reserved_const_null", "null", "null", vars: #"{"null": true}"#),
        // Number lexis (langdef: INT_LIT, UINT_LIT, FLOAT_LIT)
        .ok("covenant/literals/int_max", "9223372036854775807", "9223372036854775807"),
        .ok("covenant/literals/uint_max", "18446744073709551615u", "18446744073709551615", type: "uint"),
        .ok("covenant/literals/uint_hex_max", "0xFFFFFFFFFFFFFFFFu", "18446744073709551615", type: "uint"),
        .ok("covenant/literals/hex_int_min", "-0x8000000000000000", "-9223372036854775808"),
        .ok("covenant/literals/hex_upper_x", "0X1f", "31"),
        .ok("covenant/literals/leading_zeros", "007", "7"),
        .ok("covenant/literals/double_leading_dot", ".5", "0.5"),
        .ok("covenant/literals/double_exponent_only", "1e3", "1000.0", type: "double"),
        .ok("covenant/literals/double_exponent_upper", "2E-2", "0.02"),
        .ok("covenant/literals/double_negative_zero", "-0.0", "-0.0"),
        .ok("covenant/literals/double_large", "1e300", "1e+300"),
        .ok("covenant/literals/double_denormal_underflow", "1e-400", "0.0"),
        .rejects("covenant/literals/int_overflow", "9223372036854775808", "E0103", at: 0),
        .rejects("covenant/literals/int_overflow_parenthesised", "-(9223372036854775808)", "E0103", at: 2),
        .rejects("covenant/literals/int_far_overflow", "99999999999999999999", "E0103"),
        .rejects("covenant/literals/uint_overflow", "18446744073709551616u", "E0103"),
        .rejects("covenant/literals/hex_overflow", "0x10000000000000000", "E0103"),
        .rejects("covenant/literals/hex_int_overflow", "0x8000000000000000", "E0103"),
        .rejects("covenant/literals/double_overflow", "1e400", "E0103", at: 0),
        .rejects("covenant/literals/hex_no_digits", "0x", "E0102"),
        .rejects("covenant/literals/exponent_no_digits", "1e", "E0102"),
        .rejects("covenant/literals/trailing_dot", "1.", "E0106", at: 2),
        .rejects("covenant/literals/ident_after_number", "12abc", "E0102", at: 0),
        .rejects("covenant/literals/hex_double", "0x1.5", "E0106"),
        .rejects("covenant/literals/negative_uint", "-1u", "E0203"),
        // null, bool
        .ok("covenant/literals/null_type", "type(null)", #""null_type""#),
        .ok("covenant/literals/bool_type", "type(true)", #""bool""#),
        // Aggregates
        .ok("covenant/literals/nested_list", "[[1, 2], [], [3]]", "[[1,2],[],[3]]"),
        .ok("covenant/literals/heterogeneous_list", "[1, 'a', 2.5, null, true]", #"[1,"a",2.5,null,true]"#),
        .ok("covenant/literals/map_int_keys", "{1: 'a', 2: 'b'}", #"{"1":"a","2":"b"}"#),
        .ok("covenant/literals/map_bool_keys", "{true: 1, false: 0}", #"{"true":1,"false":0}"#),
        .ok("covenant/literals/map_keeps_insertion_order", "{'b': 1, 'a': 2}", #"{"b":1,"a":2}"#),
        .ok("covenant/literals/map_computed_key", "{'a' + 'b': 1}", #"{"ab":1}"#),
        .rejects("covenant/literals/map_double_key", "{1.5: 'x'}", "E0206"),
        .rejects("covenant/literals/map_null_key", "{null: 'x'}", "E0206"),
        .rejects("covenant/literals/map_list_key", "{[1]: 'x'}", "E0206"),
        .fails("fields/map_value_repeat_key", "{true:1,false:2,true:3}[true]", .duplicateKey),
        .fails("fields/map_value_repeat_key_heterogeneous", "{0: 1, 0u: 2}[0.0]", .duplicateKey),
        .fails("fields/map_key_float", "{dyn(3.3):15.15, dyn(1.0): 5}[1.0]", .invalidArgument, "unsupported map key type"),
        .fails("fields/map_key_null", "{dyn(null):false}[dyn(null)]", .invalidArgument, "unsupported map key type"),
        .fails("covenant/literals/duplicate_string_key", "{'a': 1, 'a': 2}", .duplicateKey, "`a`"),
    ]

    @Test(arguments: cases)
    func literal(_ c: EvalCase) { check(c) }

    @Test func idsAreUnique() { #expect(duplicateIDs(Self.cases).isEmpty) }
}
