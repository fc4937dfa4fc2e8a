import Testing
@testable import CovenantCEL

/// The type checker: undeclared names and functions with did-you-mean help, overload
/// resolution, inferred result types, declared records (`facts`), and the expected result type
/// of a rule condition (E0210).
@Suite("Checker")
struct CheckerTests {
    /// A record like an incident's facts: `count` and `name` always present, `opt` optional.
    static let facts = CELType.record(RecordType(name: "Facts", fields: [
        "count": .init(.int),
        "name": .init(.string),
        "opt": .init(.double, optional: true),
        "tags": .init(.list(.string)),
    ]))
    static let factsValue = #"{"facts": {"count": 3, "name": "ebike", "tags": ["a", "b"]}}"#

    static let cases: [EvalCase] = [
        // Undeclared references and functions
        .rejects("covenant/check/undeclared_reference", "fact.count", "E0201", "undeclared reference to `fact`",
                 help: "did you mean `facts`?", at: 0, types: ["facts": facts]),
        .rejects("covenant/check/undeclared_lists_declared_names", "zzz", "E0201", help: "declared names: `alpha`, `beta`",
                 types: ["alpha": .int, "beta": .int]),
        .rejects("covenant/check/undeclared_in_comprehension", "[1].all(item, itme > 0)", "E0201", help: "did you mean `item`?", at: 14),
        .rejects("covenant/check/undeclared_function", "sizee('a')", "E0202", "undeclared function `sizee`", help: "did you mean `size`?"),
        .rejects("covenant/check/undeclared_method", "'a'.startswith('a')", "E0202", help: "did you mean `startsWith`?"),
        .rejects("covenant/check/no_matching_overload", "size(1)", "E0203", "no matching overload for `size` applied to (int)"),
        .rejects("covenant/check/no_matching_overload_position", "[1, 2 + 'a']", "E0203", at: 6),  // at the operator, as cel-go
        .rejects("covenant/check/method_as_function", "startsWith('a', 'b')", "E0203", help: "call it as a method"),
        .rejects("covenant/check/function_as_method", "1.int()", "E0203", help: "call it as a function"),
        .rejects("covenant/check/select_on_string", "'a'.b", "E0205", "type `string` has no fields"),
        .rejects("covenant/check/select_on_int_keyed_map", "{1: 2}.a", "E0205", "needs a map with string keys"),
        .rejects("covenant/check/conditional_branches", "true ? 1 : 'a'", "E0207", help: "convert one branch"),
        .rejects("covenant/check/comprehension_on_int", "1.all(x, true)", "E0208"),
        .rejects("covenant/check/map_key_type", "{[1]: 2}", "E0206", help: "int, uint, bool or string"),
        .rejects("covenant/check/bool_condition", "1 ? 2 : 3", "E0203", "must be bool"),
        // Result types
        .typed("covenant/check/type_int", "1", "int"),
        .typed("covenant/check/type_uint", "1u", "uint"),
        .typed("covenant/check/type_double", "1.5", "double"),
        .typed("covenant/check/type_string", "'a' + 'b'", "string"),
        .typed("covenant/check/type_bytes", "b'a'", "bytes"),
        .typed("covenant/check/type_null", "null", "null_type"),
        .typed("covenant/check/type_list_int", "[1, 2]", "list(int)"),
        .typed("covenant/check/type_list_dyn", "[1, 'a']", "list(dyn)"),
        .typed("covenant/check/type_list_empty", "[]", "list(dyn)"),
        .typed("covenant/check/type_map", "{'a': 1}", "map(string, int)"),
        .typed("covenant/check/type_map_mixed", "{'a': 1, 2: 'b'}", "map(dyn, dyn)"),
        .typed("covenant/check/type_map_of_lists", "{'a': [1]}", "map(string, list(int))"),
        .typed("covenant/check/type_comparison", "1 < 2.5", "bool"),
        .typed("covenant/check/type_index_list", "x[0]", "int", vars: #"{"x": [1]}"#),
        .typed("covenant/check/type_index_map", "m['k']", "string", vars: #"{"m": {"k": "v"}}"#),
        .typed("covenant/check/type_select_map", "m.k", "string", vars: #"{"m": {"k": "v"}}"#),
        .typed("covenant/check/type_dyn", "dyn(1)", "dyn"),
        .typed("covenant/check/type_dyn_select", "dyn(1).a", "dyn"),
        .typed("covenant/check/type_of_type", "type(1)", "type(int)"),
        .typed("covenant/check/type_timestamp", "timestamp('2026-01-01T00:00:00Z')", "google.protobuf.Timestamp"),
        .typed("covenant/check/type_duration_difference", "timestamp(0) - timestamp(1)", "google.protobuf.Duration"),
        .typed("covenant/check/type_map_macro", "[1].map(x, double(x))", "list(double)"),
        .typed("covenant/check/type_filter_macro", "['a'].filter(x, x != '')", "list(string)"),
        .typed("covenant/check/type_exists", "[1].exists(x, x > 0)", "bool"),
        .typed("covenant/check/type_conditional", "true ? 1 : 2", "int"),
        .typed("covenant/check/type_size", "size('a')", "int"),
        .typed("covenant/check/type_in", "1 in [1]", "bool"),
        .typed("covenant/check/type_getter", "timestamp(0).getHours('UTC')", "int"),
        // Records
        .typed("covenant/check/record_field_type", "facts.count", "int", types: ["facts": facts]),
        .typed("covenant/check/record_list_field_type", "facts.tags", "list(string)", types: ["facts": facts]),
        .typed("covenant/check/record_type", "facts", "Facts", types: ["facts": facts]),
        .typed("covenant/check/has_optional_field", "has(facts.opt)", "bool", types: ["facts": facts]),
        .rejects("covenant/check/record_unknown_field", "facts.unknown", "E0204", "undefined field `unknown` of `Facts`",
                 help: "`Facts` has `count`, `name`, `opt`, `tags`", at: 0, types: ["facts": facts]),
        .rejects("covenant/check/record_field_did_you_mean", "facts.cuont > 1", "E0204", help: "did you mean `count`?",
                 types: ["facts": facts]),
        .rejects("covenant/check/has_unknown_field", "has(facts.nope)", "E0204", types: ["facts": facts]),
        .rejects("covenant/check/record_field_wrong_type", "facts.name + 1", "E0203", types: ["facts": facts]),
        .ok("covenant/check/record_evaluates", "facts.count * 2", "6", vars: factsValue, types: ["facts": facts]),
        .ok("covenant/check/record_has_absent", "has(facts.opt)", "false", vars: factsValue, types: ["facts": facts]),
        .ok("covenant/check/record_has_present", "has(facts.name)", "true", vars: factsValue, types: ["facts": facts]),
        .ok("covenant/check/record_size", "size(facts)", "3", vars: factsValue, types: ["facts": facts]),
        .ok("covenant/check/record_in", "'name' in facts", "true", vars: factsValue, types: ["facts": facts]),
        .ok("covenant/check/record_keys", "facts.all(k, k.size() > 2)", "true", vars: factsValue, types: ["facts": facts]),
        .ok("covenant/check/record_list_field", "facts.tags.exists(t, t == 'b')", "true", vars: factsValue, types: ["facts": facts]),
        .fails("covenant/check/record_absent_optional_select", "facts.opt > 1.0", .noSuchKey, "`opt`", vars: factsValue,
               types: ["facts": facts]),
        .ok("covenant/check/record_absent_optional_guarded", "has(facts.opt) && facts.opt > 1.0", "false", vars: factsValue,
            types: ["facts": facts]),
        // Qualified type names of the abstract types
        .ok("covenant/check/qualified_timestamp_type", "type(timestamp(0)) == google.protobuf.Timestamp", "true"),
        .ok("covenant/check/qualified_duration_type", "type(duration('1s')) == google.protobuf.Duration", "true"),
        .rejects("covenant/check/qualified_unknown_type", "google.protobuf.Any", "E0201", "`google`"),
    ]

    @Test(arguments: cases)
    func checker(_ c: EvalCase) { check(c) }

    @Test func idsAreUnique() { #expect(duplicateIDs(Self.cases).isEmpty) }

    @Test func expectingBoolRejectsInt() throws {
        let env = CELEnvironment(variables: [("facts", Self.facts)])
        do throws(CELCompileError) {
            _ = try env.compile("facts.count + 1", expecting: .bool)
            Issue.record("an int expression was accepted as a bool condition")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.issues.first?.code == "E0210")
            #expect(error.issues.first?.message.en == "expression must be of type `bool`, found `int`")
            #expect(error.issues.first?.start == 0)
            #expect(error.issues.first?.end == 15)
        }
    }

    @Test func expectingBoolAcceptsBoolAndDyn() throws {
        let env = CELEnvironment(variables: [("facts", Self.facts), ("x", .dyn)])
        _ = try env.compile("facts.count > 1", expecting: .bool)
        _ = try env.compile("x", expecting: .bool)
        _ = try env.compile("x.y.z", expecting: .bool)
    }

    @Test func expectingIntAcceptsInt() throws {
        let env = CELEnvironment(variables: [])
        #expect(try env.compile("1 + 2", expecting: .int).resultType == .int)
        #expect(throws: CELCompileError.self) { try env.compile("1.5", expecting: .int) }
    }

    @Test func reportsEveryIssue() {
        let env = CELEnvironment(variables: [])
        do throws(CELCompileError) {
            _ = try env.compile("a + b == size(1)")
            Issue.record("compiled")
        } catch {
            #expect(error.issues.map(\.code) == ["E0201", "E0201", "E0203"])
            #expect(error.issues.map(\.start) == [0, 4, 9])
        }
    }

    @Test func issuesHaveChineseMessages() {
        let env = CELEnvironment(variables: [("facts", Self.facts)])
        do throws(CELCompileError) {
            _ = try env.compile("facts.cuont")
            Issue.record("compiled")
        } catch {
            #expect(error.issues.first?.message.zh == "`Facts` 没有字段 `cuont`")
            #expect(error.issues.first?.help?.zh == "是不是 `count`？")
        }
    }
}
