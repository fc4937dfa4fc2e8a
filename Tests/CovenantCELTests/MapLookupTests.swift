import CovenantCEL
import Testing

/// Map lookups by string key follow CEL: keys are equal when their code points are (no Unicode
/// normalisation), however the strings are stored — small or large, built apart or shared.
@Suite struct MapLookupTests {
    /// Keys of equal length that differ, long keys (stored out of line), keys that are canonically
    /// equivalent but not equal, and a key built at run time rather than written in the program.
    static let keys = ["species", "leashed", "count", "hours", "e\u{301}", "\u{e9}",
                       "a_fact_name_longer_than_fifteen_bytes", "a_fact_name_longer_than_fifteen_bytez", "长名字的事实"]

    @Test(arguments: keys)
    func everyKeyFindsItsOwnEntry(_ wanted: String) throws {
        var map = MapValue()
        for (i, key) in Self.keys.enumerated() {
            // Rebuilt from its bytes: the same text in other storage than the program's literal.
            map.set(String(decoding: Array(key.utf8), as: UTF8.self), .int(Int64(i)))
        }
        // Its position by code points (Swift's own `==` would match the canonically equivalent key).
        let expected = Value.int(Int64(Self.keys.firstIndex { $0.unicodeScalars.elementsEqual(wanted.unicodeScalars) }!))
        let env = CELEnvironment(variables: [("m", .map(.string, .int))])
        let activation = env.activation(["m": .map(map)])
        let literal = wanted.replacingOccurrences(of: "\\", with: "\\\\")
        #expect(try env.compile("m[\"\(literal)\"]").evaluate(activation) == expected)
        #expect(map[wanted] == expected)
        if wanted.unicodeScalars.allSatisfy({ $0.isASCII }) {
            #expect(try env.compile("m.\(wanted)").evaluate(activation) == expected)
            #expect(try env.compile("has(m.\(wanted))").evaluate(activation) == .bool(true))
        }
    }

    @Test func aMissingKeyIsMissingEvenWhenCanonicallyEquivalent() throws {
        let env = CELEnvironment(variables: [("m", .map(.string, .int))])
        let activation = env.activation(["m": .map(MapValue([("e\u{301}", .int(1)), ("species", .int(2))]))])
        #expect(try env.compile("\"\u{e9}\" in m").evaluate(activation) == .bool(false))
        #expect(try env.compile("\"e\u{301}\" in m").evaluate(activation) == .bool(true))
        #expect(try env.compile("has(m.leashed)").evaluate(activation) == .bool(false))
        #expect(throws: EvalError.self) { try env.compile("m.leashed").evaluate(activation) }
    }
}
