import CovenantSource
import Testing

@testable import CovenantYAML

@Suite("rejections")
struct RejectionTests {
    // MARK: duplicate keys

    @Test func duplicateKeyPointsAtTheSecondKeyAndNamesTheFirstLine() throws {
        let error = try #require(expectFailure("name: a\nother: b\nname: c\n", .duplicateKey, at: 3, 1))
        #expect(error.diagnostic.message.en == "duplicate key `name`")
        #expect(error.diagnostic.message.zh == "重复的键 `name`")
        #expect(error.diagnostic.help?.en == "the first `name` is on line 1")
        #expect(error.diagnostic.help?.zh == "第一个 `name` 在第 1 行")
        #expect(error.span?.short == "3:1-3:5")
    }

    @Test(arguments: [
        ("{a: 1, a: 2}", 1, 8),
        ("a: 1\n'a': 2\n", 2, 1),
        ("outer:\n  k: 1\n  j: 2\n  \"k\": 3\n", 4, 3),
        ("- {x: 1}\n- x: 1\n  y: 2\n  x: 3\n", 4, 3),
    ])
    func duplicateKeysAnywhere(_ text: String, _ line: Int, _ column: Int) {
        expectFailure(text, .duplicateKey, at: line, column)
    }

    @Test func sameKeyInSiblingMappingsIsFine() throws {
        let node = try #require(root("a: {k: 1}\nb: {k: 2}\n"))
        #expect(node["b"]?["k"]?.string == "2")
    }

    @Test func hugeDuplicateKeyIsShortenedInTheMessage() throws {
        let key = String(repeating: "k", count: 100)
        let error = try #require(expectFailure("\(key): 1\n\(key): 2\n", .duplicateKey, at: 2, 1))
        #expect(error.diagnostic.message.en == "duplicate key `\(String(repeating: "k", count: 40))…`")
    }

    // MARK: tabs

    @Test(arguments: [
        ("a:\n\tb: 1\n", 2, 1),
        ("a:\n  b: 1\n\tc: 2\n", 3, 1),
        ("a: |\n  x\n\ty\n", 3, 1),
        ("a:\n  - x\n\t- y\n", 3, 1),
        ("- a\n-\tb\n", 2, 2),
        ("a:\n  \tb: 1\n", 2, 3),
        ("a:\n    b: 1\n\t  c: 2\n", 3, 1),
        ("k: >\n\ttext\n", 2, 1),
        ("a: 1\n\t\nb: 2\n", 2, 1),
    ])
    func tabIndentation(_ text: String, _ line: Int, _ column: Int) throws {
        let error = try #require(expectFailure(text, .tabIndentation, at: line, column))
        #expect(error.diagnostic.message.en == "tab character used for indentation")
        #expect(error.diagnostic.help?.en == "indent with spaces")
        #expect(error.diagnostic.help?.zh == "请用空格缩进")
        let offset = try #require(error.span?.start.offset)
        #expect(Array(text.utf8)[offset] == UInt8(ascii: "\t"))
    }

    @Test func tabsAfterContentAreFine() throws {
        let node = try #require(root("a:\tb\nc: \"x\ty\"\n"))
        #expect(node["a"]?.string == "b")
        #expect(node["c"]?.string == "x\ty")
    }

    // MARK: encodings

    @Test(arguments: [
        ([0x61, 0x3A, 0x20, 0x62, 0x0A] + [0x6B, 0x3A, 0x20, 0x76, 0xFF, 0x0A] as [UInt8], 2, 5, "0xFF"),
        (Array("名: ".utf8) + [0xC3, 0x28], 1, 4, "0xC3"),  // truncated two-byte sequence
        (Array("a: ".utf8) + [0xC0, 0x80], 1, 4, "0xC0"),  // overlong NUL
        (Array("a: x".utf8) + [0xED, 0xA0, 0x80], 1, 5, "0xED"),  // UTF-16 surrogate
        (Array("a: ".utf8) + [0xF4, 0x90, 0x80, 0x80], 1, 4, "0xF4"),  // above U+10FFFF
        (Array("a: \r\nb: ".utf8) + [0x80], 2, 4, "0x80"),  // lone continuation byte
        (Array("a: ".utf8) + [0xE4, 0xB8], 1, 4, "0xE4"),  // truncated at end of file
    ])
    func invalidUTF8AtTheFirstBadByte(_ bytes: [UInt8], _ line: Int, _ column: Int, _ shown: String) throws {
        let error = try #require(expectFailure(bytes, .invalidUTF8, at: line, column))
        #expect(error.diagnostic.message.en == "invalid UTF-8 byte \(shown)")
        #expect(error.source != nil)
    }

    @Test(arguments: [
        ([0xFF, 0xFE, 0x61, 0x00], "UTF-16"),
        ([0xFE, 0xFF, 0x00, 0x61], "UTF-16"),
        ([0x61, 0x00, 0x3A, 0x00], "UTF-16"),
        ([0x00, 0x61, 0x00, 0x3A], "UTF-16"),
        ([0xFF, 0xFE, 0x00, 0x00, 0x61, 0x00, 0x00, 0x00], "UTF-32"),
        ([0x00, 0x00, 0xFE, 0xFF], "UTF-32"),
        ([0x61, 0x00, 0x00, 0x00], "UTF-32"),
    ] as [([UInt8], String)])
    func otherEncodingsAreNamed(_ bytes: [UInt8], _ encoding: String) throws {
        let error = try #require(expectFailure(bytes, .notUTF8, at: 1, 1))
        #expect(error.diagnostic.message.en == "file is not UTF-8 (looks like \(encoding))")
        #expect(error.diagnostic.message.zh == "文件不是 UTF-8 编码（看起来是 \(encoding)）")
    }

    @Test func realUTF16FileIsRecognised() {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "名字: 值\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        expectFailure(bytes, .notUTF8, at: 1, 1)
    }

    @Test(arguments: [("a: b\u{07}\n", 1, 5, "U+0007"), ("a: 1\nb: \u{0}\n", 2, 4, "U+0000"), ("k: \u{1B}[31m", 1, 4, "U+001B")])
    func controlCharacters(_ text: String, _ line: Int, _ column: Int, _ shown: String) throws {
        let error = try #require(expectFailure(text, .controlCharacter, at: line, column))
        #expect(error.diagnostic.message.en == "control character \(shown) is not allowed")
    }

    // MARK: aliases, merge keys, syntax

    @Test func undefinedAlias() throws {
        let error = try #require(expectFailure("a: 1\nb: *nope\n", .undefinedAlias, at: 2, 4))
        #expect(error.diagnostic.message.en == "undefined alias `*nope`")
        #expect(error.diagnostic.help?.en == "define `&nope` on a node before this point in the same document")
    }

    @Test func aliasBeforeItsAnchorIsUndefined() {
        expectFailure("a: *later\nb: &later 1\n", .undefinedAlias, at: 1, 4)
    }

    @Test func mergeKeyIsRejected() throws {
        let error = try #require(expectFailure("base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n", .mergeKey, at: 3, 3))
        #expect(error.diagnostic.message.en == "merge keys (`<<`) are not supported")
    }

    @Test func unclosedQuote() throws {
        let error = try #require(expectFailure("title: \"abc\nnext: 1\n", .syntax, at: 3, 1))
        #expect(error.diagnostic.message.en == "syntax error: found unexpected end of stream")
        #expect(error.diagnostic.message.zh == "语法错误：文件意外结束")
        #expect(error.diagnostic.help?.en == "the quoted string opened at line 1, column 8 is never closed")
    }

    @Test(arguments: [
        ("a: b: c\n", 1, 5, "syntax error: mapping values are not allowed in this context"),
        ("a:\n  b: 1\n c: 2\n", 3, 2, "syntax error: did not find expected key"),
        ("[a, b\n", 2, 1, "syntax error: did not find expected `,` or `]`"),
        ("{a: 1\n", 2, 1, "syntax error: did not find expected `,` or `}`"),
        ("a: 'x'y\n", 1, 7, "syntax error: did not find expected key"),
        ("a: @x\n", 1, 4, "syntax error: found character that cannot start any token"),
    ])
    func syntaxErrors(_ text: String, _ line: Int, _ column: Int, _ message: String) throws {
        let error = try #require(expectFailure(text, .syntax, at: line, column))
        #expect(error.diagnostic.message.en == message)
        #expect(!error.diagnostic.message.zh.isEmpty)
    }

    @Test func badIndentationHelpNamesTheMappingLine() throws {
        let error = try #require(failure("a:\n  b: 1\n c: 2\n"))
        #expect(error.diagnostic.help?.en
            == "check the indentation: this line does not line up with the mapping that starts on line 1")
    }
}
