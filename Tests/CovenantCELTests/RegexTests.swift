import Foundation
import Testing
@testable import CovenantCEL

/// One `pattern.matches(text)` expectation.
struct RegexMatchCase: Sendable, CustomTestStringConvertible {
    let pattern: String
    let text: String
    let expected: Bool

    init(_ pattern: String, _ text: String, _ expected: Bool) {
        self.pattern = pattern
        self.text = text
        self.expected = expected
    }

    var testDescription: String {
        "\(pattern.debugDescription).matches(\(text.debugDescription)) == \(expected)"
    }
}

/// One pattern that must be rejected, with its message and offset.
struct RegexRejectionCase: Sendable, CustomTestStringConvertible {
    let pattern: String
    let message: String
    let offset: Int

    init(_ pattern: String, _ message: String, at offset: Int) {
        self.pattern = pattern
        self.message = message
        self.offset = offset
    }

    var testDescription: String { "\(pattern.debugDescription) → \(message) @\(offset)" }
}

@Suite("Regular expressions (RE2 subset, linear time)")
struct RegexTests {
    static let literalsAndSearch: [RegexMatchCase] = [
        .init("ell", "hello", true),
        .init("hello", "hello", true),
        .init("xyz", "hello", false),
        .init("", "", true),
        .init("", "abc", true),
        .init("abc", "", false),
        .init("abc", "ababc", true),
        .init("a.c", "abc", true),
        .init("a.c", "a\nc", false),
        .init("a.c", "a中c", true),
        .init("a b", "a b", true),
        .init("a#b", "a#b", true),
        .init("a{", "a{", true),
        .init("a{,3}", "a{,3}", true),
        .init("x{2,1", "x{2,1", true),
        .init("}", "}", true),
        .init("]", "]", true),
    ]

    static let anchors: [RegexMatchCase] = [
        .init("^abc$", "abc", true),
        .init("^abc$", "abcd", false),
        .init("^abc", "xabc", false),
        .init("abc$", "abcx", false),
        .init("abc$", "xxabc", true),
        .init("^$", "", true),
        .init("^$", "a", false),
        .init("a$", "a\n", false),
        .init("^b", "a\nb", false),
        .init(#"\Aabc\z"#, "abc", true),
        .init(#"\Aabc\z"#, "abc\n", false),
        .init(#"\bfoo\b"#, "a foo b", true),
        .init(#"\bfoo\b"#, "afoob", false),
        .init(#"\Bfoo"#, "afoo", true),
        .init(#"\Bfoo"#, "foo", false),
        .init(#"\bé"#, "é", false),
        .init(#"\b"#, "", false),
        .init(#"\B"#, "", true),
        .init("^*a", "a", true),
    ]

    static let classes: [RegexMatchCase] = [
        .init("[abc]", "xbx", true),
        .init("[abc]", "xyz", false),
        .init("^[a-z]+$", "hello", true),
        .init("^[a-z]+$", "Hello", false),
        .init("[^a-z]", "abc", false),
        .init("[^a-z]", "abc1", true),
        .init("^[^a]$", "\n", true),
        .init("[]a]", "]", true),
        .init("[^]a]", "b", true),
        .init("[^]a]", "]", false),
        .init("[a-]", "-", true),
        .init("[-a]", "-", true),
        .init("[a-c-e]", "-", true),
        .init("[a-c-e]", "d", false),
        .init(#"[\]]"#, "]", true),
        .init(#"[\d]"#, "x5", true),
        .init(#"[\s\d]"#, "x y", true),
        .init(#"^[\w.-]+@[\w.-]+$"#, "a.b-c@d.e", true),
        .init(#"^[\w.-]+@[\w.-]+$"#, "a b@c", false),
        .init("^[[:alpha:]]+$", "abc", true),
        .init("[[:alpha:]]", "123", false),
        .init("[[:^digit:]]", "123", false),
        .init("[[:punct:]]", "a!", true),
        .init(#"^[\x41-\x43]+$"#, "ABCA", true),
        .init(#"^[\x41-\x43]+$"#, "ABD", false),
        .init(#"\d+"#, "abc123", true),
        .init(#"^\d+$"#, "12a", false),
        .init(#"\D"#, "123", false),
        .init(#"^\w+$"#, "abc_123", true),
        .init(#"\w"#, "é", false),
        .init(#"\W"#, "é", true),
        .init(#"\s"#, "a b", true),
        .init(#"\s"#, "a\u{0B}b", false),
        .init(#"\S"#, " \t\n", false),
        .init(#"[^\D]"#, "a1", true),
    ]

    static let escapes: [RegexMatchCase] = [
        .init(#"a\.b"#, "a.b", true),
        .init(#"a\.b"#, "axb", false),
        .init(#"^\*\+\?\(\)\[\]\{\}\|\^\$\\\-\/$"#, #"*+?()[]{}|^$\-/"#, true),
        .init(#"\n"#, "a\nb", true),
        .init(#"\t\r\f\v\a"#, "\t\r\u{0C}\u{0B}\u{07}", true),
        .init(#"\x41"#, "A", true),
        .init(#"\x{4E2D}"#, "中", true),
        .init(#"\x{1F600}"#, "😀", true),
        .init(#"\011"#, "\t", true),
        .init(#"\0"#, "\u{0}", true),
        .init(#"\Qa.b*\E+"#, "a.b**", true),
        .init(#"\Qa.b\E"#, "axb", false),
        .init(#"\_"#, "_", true),
    ]

    static let alternationAndGroups: [RegexMatchCase] = [
        .init("cat|dog", "hotdog", true),
        .init("cat|dog", "bird", false),
        .init("^(cat|dog)$", "dog", true),
        .init("^(cat|dog)$", "dogs", false),
        .init("^(?:ab)+$", "ababab", true),
        .init("^(?:ab)+$", "ababa", false),
        .init("a|", "xyz", true),
        .init("^(|a)$", "", true),
        .init("^()$", "", true),
        .init(#"^(?P<year>\d{4})-(?P<month>\d{2})$"#, "2024-05", true),
        .init(#"^(?<digit>\d)$"#, "5", true),
        .init("^(a|b|c|d)+$", "abcdcba", true),
        .init("^(a|b|c|d)+$", "abcde", false),
    ]

    static let repetitions: [RegexMatchCase] = [
        .init("^a*$", "", true),
        .init("^a+$", "", false),
        .init("^a?b$", "b", true),
        .init("^a{3}$", "aaa", true),
        .init("^a{3}$", "aa", false),
        .init("^a{3}$", "aaaa", false),
        .init("^a{2,}$", "a", false),
        .init("^a{2,}$", "aaaaa", true),
        .init("^a{2,3}$", "aaa", true),
        .init("^a{2,3}$", "aaaa", false),
        .init("^a{0}$", "", true),
        .init("^a{0}b$", "ab", false),
        .init("^(ab){2}$", "abab", true),
        .init("^a*?$", "aaa", true),
        .init("^a+?b$", "aab", true),
        .init("^a??b$", "b", true),
        .init("^a{1,2}?$", "aa", true),
        .init("^(a*)*$", "aaa", true),
        .init("^(a*)+b$", "aab", true),
        .init("^(a?){3}$", "aa", true),
        .init("^[0-9]{3}-[0-9]{4}$", "555-1234", true),
        .init("^[0-9]{3}-[0-9]{4}$", "555-123", false),
        .init("^x{1000}$", String(repeating: "x", count: 1000), true),
        .init("^x{1000}$", String(repeating: "x", count: 999), false),
    ]

    static let flags: [RegexMatchCase] = [
        .init("(?i)hello", "HeLLo", true),
        .init("hello", "HELLO", false),
        .init("(?i)^[a-z]+$", "ABC", true),
        .init("(?i:ab)c", "ABc", true),
        .init("(?i:ab)c", "ABC", false),
        .init("a(?i)b", "aB", true),
        .init("a(?i)b", "AB", false),
        .init("(?i)a(?-i)b", "Ab", true),
        .init("(?i)a(?-i)b", "AB", false),
        .init("(?i)[^a]", "A", false),
        .init("(?i)é", "É", true),
        .init("(?i)σ", "Σ", true),
        .init("(?i)ς", "σ", true),
        .init("(?i)k", "\u{212A}", true),
        .init("(?i)straße", "STRAßE", true),
        .init(#"(?i)\p{Lu}"#, "a", true),
        .init("(?s)a.c", "a\nc", true),
        .init("(?s:.)", "\n", true),
        .init("(?m)a$", "a\nb", true),
        .init("(?m)^b", "a\nb", true),
        .init(#"(?m)\Ab"#, "a\nb", false),
        .init("(?m:^b)", "a\nb", true),
        .init("(?ms)^a.b$", "x\na\nb", true),
        .init("(?U)a+", "aaa", true),
        .init("(?i)(?-i:a)", "A", false),
    ]

    static let unicode: [RegexMatchCase] = [
        .init(#"^[\x{4E00}-\x{9FFF}]+$"#, "楼梯间", true),
        .init(#"^[\x{4E00}-\x{9FFF}]+$"#, "楼梯a", false),
        .init("楼道|楼梯间", "三号楼梯间", true),
        .init("楼道|楼梯间", "楼梯", false),
        .init("^[一-龥]{2,4}$", "消防通道", true),
        .init(#"^\p{Han}+$"#, "中文", true),
        .init(#"\p{Han}"#, "abc", false),
        .init(#"^\pL+$"#, "héllo中", true),
        .init(#"\p{N}"#, "x٣", true),
        .init(#"^\P{L}+$"#, "123", true),
        .init(#"\p{Lu}"#, "abc", false),
        .init(#"\p{Lu}"#, "aBc", true),
        .init(#"[\p{Han}a]"#, "a", true),
        .init(#"\p{^L}"#, "abc", false),
        .init(#"^\p{Any}$"#, "😀", true),
        .init("^.$", "中", true),
        .init("^...$", "😀ab", true),
        .init("^.$", "e\u{301}", false),
        .init("^😀+$", "😀😀", true),
        .init("^[😀-😂]$", "😁", true),
    ]

    static let allMatchCases = literalsAndSearch + anchors + classes + escapes + alternationAndGroups
        + repetitions + flags + unicode

    @Test(arguments: allMatchCases)
    func matching(_ testCase: RegexMatchCase) throws {
        let regex = try CompiledRegex(pattern: testCase.pattern)
        #expect(regex.matches(testCase.text) == testCase.expected)
    }

    static let rejections: [RegexRejectionCase] = [
        .init(#"\1"#, "backreferences are not supported", at: 0),
        .init(#"(a)\1"#, "backreferences are not supported", at: 3),
        .init("(?P=name)", "backreferences are not supported", at: 0),
        .init("(?=a)", "lookahead assertions are not supported", at: 0),
        .init("(?!a)", "lookahead assertions are not supported", at: 0),
        .init("(?<=a)", "lookbehind assertions are not supported", at: 0),
        .init("x(?<!a)", "lookbehind assertions are not supported", at: 1),
        .init("(?>a)", "atomic groups are not supported", at: 0),
        .init("(?#note)", "comments are not supported", at: 0),
        .init("a*+", "possessive quantifiers are not supported", at: 2),
        .init("a++", "possessive quantifiers are not supported", at: 2),
        .init("a**", "bad repetition operator *", at: 2),
        .init("a{2}{3}", "bad repetition operator {3}", at: 4),
        .init("(abc", "missing closing )", at: 0),
        .init("a(b(c)", "missing closing )", at: 1),
        .init("abc)", "unexpected )", at: 3),
        .init("*a", "missing argument to repetition operator", at: 0),
        .init("a|*", "missing argument to repetition operator", at: 2),
        .init("(+)", "missing argument to repetition operator", at: 1),
        .init("{2}", "missing argument to repetition operator", at: 0),
        .init("(?i)*", "missing argument to repetition operator", at: 4),
        .init("[z-a]", "invalid character class range z-a", at: 1),
        .init(#"[a-\d]"#, #"invalid character class range a-\d"#, at: 1),
        .init("[a", "missing closing ]", at: 0),
        .init("[]", "missing closing ]", at: 0),
        .init("a{1001}", "invalid repeat count", at: 1),
        .init("a{2,1}", "invalid repeat count", at: 1),
        .init("a{0,1001}", "invalid repeat count", at: 1),
        .init(#"\q"#, #"invalid escape \q"#, at: 0),
        .init(#"\Z"#, #"invalid escape \Z"#, at: 0),
        .init(#"[\b]"#, #"invalid escape \b in character class"#, at: 1),
        .init(#"a\é"#, #"invalid escape \é"#, at: 1),
        .init(#"a\"#, "trailing backslash at end of expression", at: 1),
        .init(#"\x{110000}"#, #"invalid escape \x{110000}"#, at: 0),
        .init(#"\x{D800}"#, #"invalid escape \x{D800}"#, at: 0),
        .init(#"\xZZ"#, #"invalid escape \xZ"#, at: 0),
        .init(#"\p{Greek}"#, #"unsupported unicode class \p{Greek}"#, at: 0),
        .init("[[:foo:]]", "invalid posix class [:foo:]", at: 1),
        .init("(?x)a", "unsupported flag x", at: 2),
        .init("(?(a)b)", "invalid group syntax (?(", at: 0),
        .init("(?)", "invalid flags (?)", at: 0),
        .init("(?i-)", "invalid flags (?i-)", at: 0),
        .init("(?P<a-b>x)", "invalid capture group name a-b", at: 0),
        .init("(?P<n>a)(?P<n>b)", "duplicate capture group name n", at: 8),
        .init("(?P<n", "invalid named capture group", at: 0),
        .init("((a{100}){100})", "pattern too large", at: 0),
        .init("(a{1000}){1000}", "pattern too large", at: 0),
        .init(String(repeating: "(", count: 201) + String(repeating: ")", count: 201),
              "expression nests too deeply", at: 200),
    ]

    @Test(arguments: rejections)
    func rejection(_ testCase: RegexRejectionCase) {
        do {
            _ = try CompiledRegex(pattern: testCase.pattern)
            Issue.record("expected \(testCase.pattern.debugDescription) to be rejected")
        } catch {
            #expect(error == RegexError(message: testCase.message, offset: testCase.offset))
            // In Chinese, no English wording is left (only the pattern's text it quotes).
            #expect(!RegexError.zhWordings.contains { error.zhMessage.contains($0.0.trimmingCharacters(in: .whitespaces)) },
                    "\(error.zhMessage)")
            #expect(error.zhMessage != error.message)
        }
    }

    static let pathologicalInputs: [RegexMatchCase] = [
        .init("^(a+)+$", String(repeating: "a", count: 30_000) + "!", false),
        .init("(a|a)*b", String(repeating: "a", count: 30_000), false),
        .init("(a*)*c", String(repeating: "a", count: 30_000), false),
        .init("(x+x+)+y", String(repeating: "x", count: 30_000), false),
        .init("^(a|aa)*$", String(repeating: "a", count: 30_000), true),
        .init("(a+)+$", String(repeating: "a", count: 30_000), true),
    ]

    /// Inputs that make backtracking engines exponential; the Pike VM answers in linear time.
    @Test(arguments: pathologicalInputs)
    func linearTime(_ testCase: RegexMatchCase) throws {
        let regex = try CompiledRegex(pattern: testCase.pattern)
        #expect(regex.matches(testCase.text) == testCase.expected)
    }

    @Test(arguments: [("", 1), ("abc", 4), ("a|b", 5), ("a*", 4), ("a+", 3), ("a{3}", 4), ("a{0,2}", 5)])
    func programSize(pattern: String, expected: Int) throws {
        #expect(try CompiledRegex(pattern: pattern).programSize == expected)
    }

    @Test func largestAllowedProgramCompiles() throws {
        // `\A`, 9_998 scalars and `match`; anchored, so a single thread walks the input.
        let regex = try CompiledRegex(pattern: "^(?:a{1000}){9}a{998}")
        #expect(regex.programSize == 10_000)
        #expect(regex.matches(String(repeating: "a", count: 9_998)))
        #expect(!regex.matches(String(repeating: "a", count: 9_997)))
        #expect(throws: RegexError(message: "pattern too large", offset: 0)) {
            try CompiledRegex(pattern: "^(?:a{1000}){9}a{999}")
        }
    }

    @Test func deepNestingWithinTheLimit() throws {
        let pattern = String(repeating: "(", count: 200) + "a" + String(repeating: ")*", count: 200)
        let regex = try CompiledRegex(pattern: "^" + pattern + "b$")
        #expect(regex.matches("aaab"))
        #expect(!regex.matches("aaa"))
    }

    @Test func compiledRegexIsReusable() throws {
        let regex = try CompiledRegex(pattern: "^[a-z]+-[0-9]+$")
        #expect(regex.matches("room-101"))
        #expect(!regex.matches("room-"))
        #expect(regex.matches("hall-7"))
    }
}
