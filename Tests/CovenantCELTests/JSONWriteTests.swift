import CovenantCEL
import Testing

@Suite("JSON output")
struct JSONWriteTests {
    @Test(arguments: [
        (Value.int(0), "0"), (.int(7), "7"), (.int(10), "10"), (.int(-1), "-1"), (.int(-10), "-10"),
        (.int(Int64.max), "9223372036854775807"), (.int(Int64.min), "-9223372036854775808"),
        (.uint(18_446_744_073_709_551_615), "18446744073709551615"), (.double(2), "2.0"), (.double(-0.5), "-0.5"),
        (.bool(true), "true"), (.null, "null"), (.string(""), #""""#),
        (.string("a\"b\\c\nd\te\r"), #""a\"b\\c\nd\te\r""#), (.string("\u{01}\u{7F}"), #""\u0001\u007f""#),
        (.string("行\u{2028}—…"), #""行\u2028—…""#), (.list([.int(1), .list([]), .map(MapValue())]), "[1,[],{}]"),
        (.map(MapValue([("k", .int(-3)), ("z", .string("é"))])), #"{"k":-3,"z":"é"}"#),
    ])
    func writes(_ value: Value, _ json: String) {
        #expect(JSON.write(value) == json)
    }

    /// What is written reads back as the same value.
    @Test func roundTrips() throws {
        for n: Int64 in [0, 1, -1, 42, -42, 1_000_000_007, Int64.max, Int64.min + 1] {
            #expect(try JSON.parse(JSON.write(.int(n))) == .int(n))
        }
        let text = "quote \" backslash \\ tab \t bell \u{07} line-sep \u{2028} 中文"
        #expect(try JSON.parse(JSON.write(.string(text))) == .string(text))
    }

    /// A `\u` escape is exactly four hex digits: a sign or a space in their place is an error,
    /// not a number read leniently.
    @Test(arguments: [#""\u+041""#, #""\u-000""#, #""\u 041""#, #""\u04""#, #""\u004g""#])
    func unicodeEscapesNeedFourHexDigits(_ text: String) {
        #expect(throws: (any Error).self) { try JSON.parse(text) }
    }

    @Test func unicodeEscapesOfEveryHexDigit() throws {
        #expect(try JSON.parse(#""\u0041\u00e9\u00E9\u4e2D""#) == .string("Aéé中"))
    }
}
