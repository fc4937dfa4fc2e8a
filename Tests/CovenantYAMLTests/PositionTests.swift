import CovenantSource
import Testing

@testable import CovenantYAML

@Suite("positions")
struct PositionTests {
    static let styles = """
        plain: hello
        single: 'it''s'
        double: "a\\tb"
        lit: |
          line1
          line2
        fold: >
          a
          b
        """ + "\n"

    struct StyleCase: Sendable, CustomTestStringConvertible {
        var key: String
        var text: String
        var style: YAMLScalarStyle
        var keySpan: String
        var valueSpan: String
        var testDescription: String { key }
    }

    @Test(arguments: [
        StyleCase(key: "plain", text: "hello", style: .plain, keySpan: "1:1-1:6", valueSpan: "1:8-1:13"),
        StyleCase(key: "single", text: "it's", style: .singleQuoted, keySpan: "2:1-2:7", valueSpan: "2:9-2:16"),
        StyleCase(key: "double", text: "a\tb", style: .doubleQuoted, keySpan: "3:1-3:7", valueSpan: "3:9-3:15"),
        StyleCase(key: "lit", text: "line1\nline2\n", style: .literal, keySpan: "4:1-4:4", valueSpan: "4:6-7:1"),
        StyleCase(key: "fold", text: "a b\n", style: .folded, keySpan: "7:1-7:5", valueSpan: "7:7-10:1"),
    ])
    func scalarStyleAndPosition(_ c: StyleCase) throws {
        let node = try #require(root(Self.styles))
        let pair = try #require(node.pair(forKey: c.key))
        #expect(pair.key.span.short == c.keySpan)
        #expect(pair.key.style == .plain)
        #expect(pair.value.string == c.text)
        #expect(pair.value.style == c.style)
        #expect(pair.value.span.short == c.valueSpan)
        #expect(pair.value.span.file == "t.yaml")
    }

    @Test func offsetsAreUTF8ByteOffsets() throws {
        let node = try #require(root("plain: hello\nsingle: 'x'\n"))
        #expect(node["plain"]?.span.start.offset == 7)
        #expect(node.pair(forKey: "single")?.key.span.start.offset == 13)
        #expect(node["single"]?.span.start.offset == 21)
        #expect(node["single"]?.span.end.offset == 24)
    }

    @Test func cjkTextBeforeANodeCountsScalarsInColumnsAndBytesInOffsets() throws {
        let node = try #require(root("名字: 张三\n备注: [甲, 乙]\n"))
        let name = try #require(node["名字"])
        #expect(name.string == "张三")
        #expect(name.span.start.line == 1)
        #expect(name.span.start.column == 5)
        #expect(name.span.start.offset == 8)
        #expect(name.span.end.column == 7)
        let list = try #require(node["备注"])
        #expect(list.span.short == "2:5-2:11")
        #expect(list[1]?.span.start.column == 9)
        #expect(list[1]?.span.start.offset == 15 + 6 + 2 + 1 + 3 + 2)
    }

    @Test func flowCollections() throws {
        let node = try #require(root(#"k: [a, "b", {x: 1}]"#))
        let seq = try #require(node["k"])
        #expect(seq.span.short == "1:4-1:20")
        #expect(seq[0]?.span.short == "1:5-1:6")
        #expect(seq[1]?.span.short == "1:8-1:11")
        #expect(seq[1]?.style == .doubleQuoted)
        let map = try #require(seq[2])
        #expect(map.isMapping)
        #expect(map.span.short == "1:13-1:19")
        #expect(map.pair(forKey: "x")?.key.span.short == "1:14-1:15")
        #expect(map["x"]?.span.short == "1:17-1:18")
    }

    @Test func blockCollections() throws {
        let text = """
            items:
              - one
              - two
            nested:
              inner: value
            """
        let node = try #require(root(text))
        #expect(node.span.start.line == 1 && node.span.start.column == 1)
        let items = try #require(node["items"]?.sequence)
        #expect(node["items"]?.span.start.line == 2)
        #expect(node["items"]?.span.start.column == 3)
        #expect(items.map(\.span.short) == ["2:5-2:8", "3:5-3:8"])
        let nested = try #require(node["nested"])
        #expect(nested.span.start.line == 5 && nested.span.start.column == 3)
        #expect(nested.pair(forKey: "inner")?.key.span.short == "5:3-5:8")
        #expect(nested["inner"]?.span.short == "5:10-5:15")
    }

    @Test func emptyValueIsANullScalarRightAfterTheColon() throws {
        let node = try #require(root("k:\nm: 1\n"))
        let k = try #require(node["k"])
        #expect(k.isNull)
        #expect(k.string == "")
        #expect(k.span.short == "1:3-1:3")
    }

    @Test func crlfLineEndings() throws {
        let node = try #require(root("a: 1\r\nb: 2\r\n"))
        let b = try #require(node.pair(forKey: "b"))
        #expect(b.key.span.start.line == 2)
        #expect(b.key.span.start.column == 1)
        #expect(b.key.span.start.offset == 6)
        #expect(b.value.span.start.offset == 9)
    }

    @Test func linesBreakLikeSourceTextNotAtLineSeparator() throws {
        // libyaml counts U+2028 as a line break; SourceText (and so the caret) does not.
        let s = try #require(stream("a: \"x\u{2028}y\"\nb: 1\n"))
        let b = try #require(s.documents.first?.root.pair(forKey: "b"))
        #expect(b.key.span.start.line == 2)
        #expect(b.key.span.start.column == 1)
        #expect(s.source.line(2) == "b: 1")
    }

    @Test func everyOffsetAgreesWithSourceText() throws {
        let text = """
            名称: "老市区 居民公约"
            zones: [走廊, stairwell, 大堂]
            rules:
              - id: ebike.corridor-charging   # 注释
                title: { zh: 禁止在楼道充电, en: No charging }
                note: |
                  第一行
                  second
              - id: pet.leash
                violation: "!facts.leashed"
            """
        let s = try #require(stream(text))
        let nodes = allNodes(try #require(s.documents.first?.root))
        #expect(nodes.count > 20)
        for node in nodes {
            #expect(s.source.location(ofUTF8Offset: node.span.start.offset) == node.span.start)
            #expect(s.source.location(ofUTF8Offset: node.span.end.offset) == node.span.end)
        }
    }

    @Test func trackerMovesBackwardsAcrossLines() {
        var tracker = PositionTracker(bytes: Array("ab\n名c\r\nd".utf8))
        #expect(tracker.location(ofCharacter: 7) == SourceLocation(line: 3, column: 1, offset: 9))
        #expect(tracker.location(ofCharacter: 4) == SourceLocation(line: 2, column: 2, offset: 6))
        #expect(tracker.location(ofCharacter: 1) == SourceLocation(line: 1, column: 2, offset: 1))
        #expect(tracker.location(ofCharacter: 3) == SourceLocation(line: 2, column: 1, offset: 3))
        #expect(tracker.location(ofCharacter: 99) == SourceLocation(line: 3, column: 2, offset: 10))
    }

    @Test func utf8BOMIsSkipped() throws {
        let s = try YAMLReader.parseStream(bytes: [0xEF, 0xBB, 0xBF] + Array("a: 1\n".utf8), file: "t.yaml")
        #expect(s.source.text == "a: 1\n")
        let key = try #require(s.documents.first?.root.mapping?.first?.key)
        #expect(key.string == "a")
        #expect(key.span.start == SourceLocation(line: 1, column: 1, offset: 0))
    }
}
