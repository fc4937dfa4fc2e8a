import CovenantCEL
import Testing

/// The token writer gives exactly the bytes ``JSON/write(_:)`` gives for the equivalent value —
/// escapes, integers at their limits, timestamps, nesting, and output far past its first capacity.
@Suite struct JSONWriterTests {
    static let strings = ["", "plain", "quote \" and \\ backslash", "line\nbreak\ttab\r", "\u{01}\u{1F}\u{7F}",
                          "js \u{2028} \u{2029} separators", "长名字的事实 é e\u{301}", String(repeating: "long ", count: 300)]
    static let ints: [Int64] = [0, 7, -1, 10, -10, 1_234_567_890, .max, .min]

    @Test func tokensGiveTheBytesOfTheValue() throws {
        let t = try #require(Timestamp(seconds: 1_782_000_000, nanos: 120_000_000))
        var w = JSONWriter(capacity: 8)
        var expected = MapValue()
        w.beginObject()
        for (i, s) in Self.strings.enumerated() {
            // Keys made at run time and keys encoded once (``JSONKey``) escape alike.
            if i.isMultiple(of: 2) { w.key(text: "s\(i) \(s)") } else { w.key(JSONKey("s\(i) \(s)")) }
            w.string(s)
            expected.set("s\(i) \(s)", .string(s))
        }
        // Keys held in words (up to 24 bytes with quotes and colon) and longer ones, at the edge.
        for n in 19...23 {
            let name = String(repeating: "k", count: n)
            w.key(JSONKey(name)); w.int(Int64(n))
            expected.set(name, .int(Int64(n)))
        }
        w.key(JSONKey("ints")); w.array(Self.ints) { w, i in w.int(i) }
        expected.set("ints", .list(Self.ints.map(Value.int)))
        w.key("when"); w.timestamp(t)
        expected.set("when", .string(t.rfc3339))
        // In lists: the comma before each item goes with it (escaped strings take another way).
        w.key("strings"); w.array(Self.strings + Self.strings.reversed()) { w, s in w.string(s) }
        expected.set("strings", .list((Self.strings + Self.strings.reversed()).map(Value.string)))
        w.key("times"); w.array([t, t, t]) { w, t in w.timestamp(t) }
        expected.set("times", .list([t, t, t].map { .string($0.rfc3339) }))
        w.key("nothing"); w.null()
        expected.set("nothing", .null)
        w.key("nested"); w.object { w in w.key("empty"); w.array([Int]()) { _, _ in }; w.key("value"); w.value(.list([.bool(true), .double(2.5)])) }
        expected.set("nested", .map(MapValue([("empty", .list([])), ("value", .list([.bool(true), .double(2.5)]))])))
        w.key("source"); w.string("rules/zh/公约.yaml", number: 42)
        expected.set("source", .string("rules/zh/公约.yaml:42"))
        // Other separators than the usual `:`, one that needs escaping among them.
        w.key("line"); w.string("file", separator: "#", number: -7)
        expected.set("line", .string("file#-7"))
        w.key("quoted"); w.string("a", separator: "\"", number: 0)
        expected.set("quoted", .string("a\"0"))
        w.key("wide"); w.string("页", separator: "第", number: 3)
        expected.set("wide", .string("页第3"))
        w.endObject()
        #expect(w.text == JSON.write(.map(expected)))
        #expect(w.bytes == Array(JSON.write(.map(expected)).utf8))
        let taken = w.takeBytes()
        #expect(taken == Array(JSON.write(.map(expected)).utf8))
        #expect(w.bytes.isEmpty)
    }

    @Test(arguments: ints)
    func integersAsJSONWritesThem(_ i: Int64) {
        var w = JSONWriter()
        w.int(i)
        #expect(w.text == String(i))
        #expect(w.text == JSON.write(.int(i)))
    }
}
