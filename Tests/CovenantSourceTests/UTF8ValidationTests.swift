import Testing
@testable import CovenantSource

@Suite("UTF-8 validation")
struct UTF8ValidationTests {
    @Test(arguments: [
        [], Array("plain ascii text that is longer than eight bytes".utf8), Array("居民公约 no. 7".utf8),
        Array("emoji 🐕 and more".utf8), [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF],
        [0xEE, 0x80, 0x80], [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],
    ] as [[UInt8]])
    func acceptsWellFormed(_ bytes: [UInt8]) {
        #expect(UTF8Validation.isValid(bytes))
    }

    @Test(arguments: [
        [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF],          // stray continuation, overlong 2-byte
        [0xC2], [0xE4, 0xB8], [0xF0, 0x9F, 0x90],           // truncated
        [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF],             // overlong 3-byte
        [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],             // surrogates
        [0xF0, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], // overlong 4-byte, above U+10FFFF
        [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xC2, 0x41],
        Array("eight+ ascii bytes then".utf8) + [0xFE],
    ] as [[UInt8]])
    func rejectsMalformed(_ bytes: [UInt8]) {
        #expect(!UTF8Validation.isValid(bytes))
    }

    /// Agrees with the standard library on every prefix of a mixed text and on random bytes.
    @Test func agreesWithTheStandardLibrary() {
        var generator = SystemRandomNumberGenerator()
        let mixed = Array("居民 ok 🐕 é\u{10FFFF}".utf8)
        for k in 0...mixed.count {
            let slice = Array(mixed[..<k])
            #expect(UTF8Validation.isValid(slice) == (String(validating: slice, as: UTF8.self) != nil), "prefix \(k)")
        }
        for _ in 0..<5_000 {
            let length = Int.random(in: 0...12, using: &generator)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &generator) ? UInt8.random(in: 0x20...0x7E, using: &generator) : UInt8.random(in: 0x80...0xFF, using: &generator)
            }
            #expect(UTF8Validation.isValid(bytes) == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
        }
    }
}
