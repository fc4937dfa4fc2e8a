import CovenantSource
import Testing

@testable import CovenantYAML

@Suite("rendering")
struct RenderingTests {
    @Test func duplicateKeyRendersWithCaretAndHelp() throws {
        let error = try #require(failure("name: a\nother: b\nname: c\n"))
        let expected = """
            t.yaml:3:1: error: duplicate key `name`
             3 | name: c
               | ^~~~
              = help: the first `name` is on line 1

            """
        #expect(error.rendered() == expected)
        #expect(error.description == expected)
    }

    @Test func tabErrorRendersInChineseWithTheTabKept() throws {
        let error = try #require(failure("规则:\n  名字: 1\n\t值: 2\n"))
        let expected = """
            t.yaml:3:1: 错误: 缩进中使用了制表符
             3 | \t值: 2
               | ^
              = 提示: 请用空格缩进

            """
        #expect(error.rendered(with: DiagnosticRenderer(language: .zh)) == expected)
    }

    @Test func unclosedQuoteRendersAtEndOfFile() throws {
        // libyaml notices at the end of the stream: line 3, the empty line after the last newline.
        let error = try #require(failure("a: 1\nb: 'open\n"))
        #expect(error.rendered() == """
            t.yaml:3:1: error: syntax error: found unexpected end of stream
             3 |\u{20}
               | ^
              = help: the quoted string opened at line 2, column 4 is never closed

            """)
    }

    @Test func notUTF8RendersWithoutASourceLine() throws {
        let error = try #require(failure(bytes: [0xFF, 0xFE, 0x61, 0x00]))
        #expect(error.rendered() == """
            t.yaml:1:1: error: file is not UTF-8 (looks like UTF-16)
              = help: convert it to UTF-8, e.g. with `iconv -f UTF-16 -t UTF-8`

            """)
    }

    @Test func invalidUTF8RendersTheRepairedLine() throws {
        let error = try #require(failure(bytes: Array("名: a".utf8) + [0xFF] + Array("b\n".utf8)))
        #expect(error.rendered() == """
            t.yaml:1:5: error: invalid UTF-8 byte 0xFF
             1 | 名: a\u{FFFD}b
               |      ^
              = help: save the file as UTF-8

            """)
    }

    @Test func everyCodeHasBothLanguagesLowercaseAndNoFinalPeriod() {
        let samples: [String: String] = [
            "Y0001": "a: \"x", "Y0002": "a:\n\tb: 1", "Y0003": "a: 1\na: 2", "Y0004": "a: \u{FFFD}",
            "Y0007": "[[[1]]]", "Y0008": "a: xxxxxxxxxx", "Y0009": "a: &a x\nb: *a\nc: *a\nd: *a\ne: *a",
            "Y0010": "*a", "Y0013": "a: \u{7F}", "Y0014": "<<: 1",
        ]
        let limits = YAMLLimits(maxDepth: 2, maxAliasExpansion: 3, maxScalarBytes: 5)
        var diagnostics: [Diagnostic] = []
        for (code, text) in samples {
            var bytes = Array(text.utf8)
            if code == "Y0004" { bytes = Array("a: ".utf8) + [0xFE] }
            guard let error = failure(bytes: bytes, limits: limits) else {
                Issue.record("\(code) not raised")
                continue
            }
            #expect(error.diagnostic.code == code)
            diagnostics.append(error.diagnostic)
        }
        diagnostics.append(failure("a", limits: YAMLLimits(maxFileBytes: 0))!.diagnostic)
        diagnostics.append(failure(bytes: [0, 0x61])!.diagnostic)
        diagnostics.append(failure("a\n---\nb", single: true)!.diagnostic)
        diagnostics.append(failure("", single: true)!.diagnostic)
        #expect(Set(diagnostics.map(\.code)) == Set(YAMLErrorCode.allCases.map(\.rawValue)))
        for d in diagnostics {
            for text in [d.message.en, d.message.zh] + [d.help?.en, d.help?.zh].compactMap({ $0 }) {
                #expect(!text.isEmpty)
                #expect(!text.hasSuffix(".") && !text.hasSuffix("。"), "\(d.code): \(text)")
            }
            #expect(d.message.en.first?.isLowercase == true, "\(d.code): \(d.message.en)")
            #expect(d.message.en != d.message.zh)
            #expect(d.severity == .error)
            #expect(d.span != nil)
        }
    }
}
