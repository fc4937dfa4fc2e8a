import CovenantSource
import Testing

@testable import CovenantYAML

@Suite("scalars and nodes")
struct ScalarTests {
    struct Raw: Sendable, CustomTestStringConvertible {
        var source: String
        var text: String
        var style: YAMLScalarStyle
        var testDescription: String { source }
    }

    /// YAML 1.1 would turn most of these into booleans, octals, floats or null; the reader never does.
    @Test(arguments: [
        Raw(source: "no", text: "no", style: .plain),
        Raw(source: "on", text: "on", style: .plain),
        Raw(source: "Yes", text: "Yes", style: .plain),
        Raw(source: "010", text: "010", style: .plain),
        Raw(source: "1e3", text: "1e3", style: .plain),
        Raw(source: "0x1F", text: "0x1F", style: .plain),
        Raw(source: ".inf", text: ".inf", style: .plain),
        Raw(source: "~", text: "~", style: .plain),
        Raw(source: "2026-01-01", text: "2026-01-01", style: .plain),
        Raw(source: "\"no\"", text: "no", style: .doubleQuoted),
        Raw(source: "'010'", text: "010", style: .singleQuoted),
    ])
    func scalarsKeepTheirTextAndStyle(_ c: Raw) throws {
        let node = try #require(root("v: \(c.source)\n")?["v"])
        #expect(node.string == c.text)
        #expect(node.style == c.style)
        #expect(node.tag == nil)
    }

    @Test(arguments: [
        ("v: ~", true), ("v: null", true), ("v: Null", true), ("v: NULL", true), ("v:", true),
        ("v: !!null ''", true), ("v: '~'", false), ("v: \"null\"", false), ("v: nil", false),
        ("v: !!str null", false), ("v: nULL", false), ("v: []", false),
    ])
    func nulls(_ text: String, _ isNull: Bool) throws {
        let node = try #require(root(text)?["v"])
        #expect(node.isNull == isNull)
    }

    @Test func tagsAreKeptAsLibyamlResolvesThem() throws {
        let node = try #require(root("a: !!str 123\nb: !custom x\nc: !!map {k: v}\nd: 5\n"))
        #expect(node["a"]?.tag == "tag:yaml.org,2002:str")
        #expect(node["a"]?.string == "123")
        #expect(node["b"]?.tag == "!custom")
        #expect(node["c"]?.tag == "tag:yaml.org,2002:map")
        #expect(node["c"]?["k"]?.string == "v")
        #expect(node["d"]?.tag == nil)
    }

    @Test func mappingsKeepFileOrder() throws {
        let node = try #require(root("zeta: 1\nalpha: 2\nmid: 3\n"))
        #expect(node.mapping?.map { $0.key.string } == ["zeta", "alpha", "mid"])
    }

    @Test func accessorsReturnNilForTheWrongKind() throws {
        let node = try #require(root("s: text\nl: [1, 2]\nm: {k: v}\n"))
        let s = try #require(node["s"]), l = try #require(node["l"]), m = try #require(node["m"])
        #expect(s.isScalar && !s.isSequence && !s.isMapping)
        #expect(s.sequence == nil && s.mapping == nil && s["k"] == nil && s[0] == nil)
        #expect(l.isSequence && l.string == nil && l.mapping == nil && l["k"] == nil)
        #expect(l[1]?.string == "2" && l[2] == nil && l[-1] == nil)
        #expect(m.isMapping && m.string == nil && m.sequence == nil && m[0] == nil)
        #expect(m["k"]?.string == "v" && m["missing"] == nil)
        #expect(!m.isNull && !l.isNull)
    }

    @Test func scalarKeysInAnyStyleAreLookedUpByText() throws {
        let node = try #require(root("'quoted key': 1\n\"double\": 2\n"))
        #expect(node["quoted key"]?.string == "1")
        #expect(node["double"]?.string == "2")
    }

    @Test func aliasesResolveToACopyPositionedAtTheAlias() throws {
        let text = """
            base: &b {x: 1, y: [2, 3]}
            use: *b
            name: &n hello
            again: *n
            """
        let node = try #require(root(text))
        let base = try #require(node["base"])
        let use = try #require(node["use"])
        #expect(base.anchor == "b")
        #expect(use["x"]?.string == "1")
        #expect(use["y"]?[1]?.string == "3")
        #expect(use.span.short == "2:6-2:8")
        #expect(use["x"]?.span == base["x"]?.span)
        #expect(node["again"]?.string == "hello")
        #expect(node["again"]?.span.short == "4:8-4:10")
    }

    @Test func laterAnchorOverridesEarlier() throws {
        let node = try #require(root("a: &x 1\nb: &x 2\nc: *x\n"))
        #expect(node["c"]?.string == "2")
    }

    @Test func quotedMergeKeyIsAnOrdinaryKey() throws {
        let node = try #require(root("\"<<\": 1\n"))
        #expect(node["<<"]?.string == "1")
    }

    @Test func sequenceRootAndScalarRoot() throws {
        #expect(root("- a\n- b\n")?.sequence?.count == 2)
        #expect(root("just text")?.string == "just text")
    }
}
