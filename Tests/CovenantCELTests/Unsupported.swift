import Testing
@testable import CovenantCEL

/// Parts of CEL deliberately left out of Covenant's subset, with the reason. docs/cel-subset.md
/// lists the same. cel-spec conformance files that only exercise these (proto2, proto3,
/// wrappers, enums, optionals, dynamic, namespace, the `*_ext` libraries, block_ext,
/// bindings_ext, macros2, unknowns, type_deduction) are not mirrored.
let unsupportedFeatures: [(feature: String, reason: String)] = [
    ("Protocol buffer messages and message construction (`M{f: v}`)",
     "rules see facts as declared records read from YAML/JSON; there are no message descriptors"),
    ("Well-known protobuf types other than Timestamp/Duration (Any, Struct, Value, ListValue, wrapper types)",
     "values come from JSON-like data, which already maps to null, bool, int, uint, double, string, list and map"),
    ("Protocol buffer enums and enum constants", "no message descriptors; categories are plain strings"),
    ("Containers, packages and qualified variable names (`a.b.c` as one name)",
     "variables are simple names; `a.b.c` is always field selection (only google.protobuf.Timestamp and google.protobuf.Duration resolve as qualified type names)"),
    ("Optional values and optional syntax (`a.?b`, `[?x]`, `{?k: v}`, `optional.of`)",
     "`has()` and declared optional record fields cover presence tests"),
    ("Two-variable comprehensions and transform macros (`all(k, v, p)`, `transformList`, `transformMap`)",
     "not part of the language definition's standard macros"),
    ("Extension libraries (strings, math, encoders, lists, sets, network, bindings `cel.bind`, `cel.@block`)",
     "outside the standard definitions; the standard functions suffice for rule conditions"),
    ("User-defined functions and overloads", "the function set is fixed so that rule files behave the same everywhere"),
    ("Unknowns and partial evaluation", "incidents are evaluated with complete data"),
    ("`map()`/`filter()` over maps", "the language definition supports them on lists only"),
    ("`dyn` as a type denotation", "cel-spec's conformance tests treat a bare `dyn` as an unknown variable"),
    ("Unsigned fixed time-zone offsets (`'02:00'`)", "the language definition's FixedTZ grammar requires a sign"),
]

/// One unsupported construct and the clean compile error it must give.
struct UnsupportedSyntax: Sendable, CustomTestStringConvertible {
    let expr: String
    let code: String
    var testDescription: String { expr }
}

@Suite("Unsupported syntax is a clean compile error")
struct UnsupportedTests {
    static let examples: [UnsupportedSyntax] = [
        .init(expr: "TestAllTypes{single_int64: 1}", code: "E0100"),
        .init(expr: "google.protobuf.Int64Value{value: 1}", code: "E0100"),
        .init(expr: "google.protobuf.Struct{}", code: "E0100"),
        .init(expr: "TestAllTypes.NestedEnum.BAR", code: "E0201"),
        .init(expr: "a.b.c", code: "E0201"),
        .init(expr: ".a.b", code: "E0201"),
        .init(expr: "x.?y", code: "E0106"),
        .init(expr: "[?x]", code: "E0106"),
        .init(expr: "{?'k': 1}", code: "E0106"),
        .init(expr: "optional.of(1)", code: "E0201"),
        .init(expr: "[1].all(i, v, v > 0)", code: "E0201"),
        .init(expr: "[1].exists(i, v, v > 0)", code: "E0201"),
        .init(expr: "[1].transformList(i, v, v)", code: "E0201"),
        .init(expr: "{'a': 1}.transformMap(k, v, v)", code: "E0201"),
        .init(expr: "'a'.upperAscii()", code: "E0202"),
        .init(expr: "'a,b'.split(',')", code: "E0202"),
        .init(expr: "'%d'.format([1])", code: "E0202"),
        .init(expr: "math.greatest(1, 2)", code: "E0201"),
        .init(expr: "base64.encode(b'a')", code: "E0201"),
        .init(expr: "[2, 1].sort()", code: "E0202"),
        .init(expr: "cel.bind(x, 1, x)", code: "E0201"),
        .init(expr: "{'a': 1}.map(k, k)", code: "E0208"),
        .init(expr: "{'a': 1}.filter(k, true)", code: "E0208"),
        .init(expr: "dyn", code: "E0201"),
        .init(expr: "timestamp(0).getHours('08:00')", code: "E0209"),
        .init(expr: "timestamp(0).seconds", code: "E0205"),
    ]

    @Test(arguments: examples)
    func rejected(_ example: UnsupportedSyntax) {
        let env = CELEnvironment(variables: [("x", .dyn)])
        do throws(CELCompileError) {
            let program = try env.compile(example.expr)
            Issue.record("\(example.expr) compiled to a \(program.resultType)")
        } catch {
            #expect(error.issues.first?.code == example.code, "\(error.issues.first?.message.en ?? "")")
            for issue in error.issues {
                #expect(issue.start >= 0 && issue.start <= issue.end && issue.end <= example.expr.utf8.count + 1)
            }
        }
    }
}
