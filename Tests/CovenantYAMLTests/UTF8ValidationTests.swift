import Testing

@testable import CovenantYAML

@Suite("UTF-8 validation")
struct UTF8ValidationTests {
    @Test(arguments: [
        "", "plain ascii\n", "名字: 张三", "emoji 🙂 and 𝄞", "tab\tcr\r\nnel\u{85}", "\u{A0}\u{D7FF}\u{E000}\u{FFFD}\u{10FFFF}",
    ])
    func acceptsWellFormedAllowedText(_ text: String) {
        #expect(UTF8Validation.firstProblem(in: Array(text.utf8)) == nil)
    }

    @Test(arguments: [
        ([0x61, 0xC1, 0xBF] as [UInt8], UTF8Validation.Problem.invalidByte(offset: 1, byte: 0xC1)),
        ([0xE0, 0x80, 0x80], .invalidByte(offset: 0, byte: 0xE0)),
        ([0xF0, 0x80, 0x80, 0x80], .invalidByte(offset: 0, byte: 0xF0)),
        ([0xF5, 0x80, 0x80, 0x80], .invalidByte(offset: 0, byte: 0xF5)),
        ([0x61, 0x62, 0xE4, 0xB8, 0x41], .invalidByte(offset: 2, byte: 0xE4)),
        ([0x01], .controlCharacter(offset: 0, value: 0x01)),
        ([0x61, 0xC2, 0x80], .controlCharacter(offset: 1, value: 0x80)),
        ([0xEF, 0xBF, 0xBE], .controlCharacter(offset: 0, value: 0xFFFE)),
    ])
    func findsTheFirstProblem(_ bytes: [UInt8], _ problem: UTF8Validation.Problem) {
        #expect(UTF8Validation.firstProblem(in: bytes) == problem)
    }

    @Test func foreignEncodingNeedsTwoBytes() {
        #expect(UTF8Validation.foreignEncoding([0x61]) == nil)
        #expect(UTF8Validation.foreignEncoding(Array("ab".utf8)) == nil)
        #expect(UTF8Validation.foreignEncoding([0xEF, 0xBB, 0xBF, 0x61]) == nil)
    }
}
