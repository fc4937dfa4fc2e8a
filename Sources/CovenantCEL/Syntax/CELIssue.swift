import CovenantSource

/// A problem found while compiling (parsing or checking) an expression, positioned by UTF-8
/// byte offsets into the expression text. ``CELSource`` turns it into a ``Diagnostic`` with a
/// file position.
public struct CELIssue: Sendable, Hashable, Error {
    /// Stable code, e.g. `E0101` (syntax) or `E0201` (types); see docs/diagnostics.md.
    public var code: String
    /// What is wrong, in zh and en.
    public var message: LocalizedText
    /// Byte offset where the problem starts in the expression.
    public var start: Int
    /// Byte offset where it ends (exclusive).
    public var end: Int
    /// Advice, when there is some.
    public var help: LocalizedText?

    /// Creates an issue.
    public init(code: String, message: LocalizedText, start: Int, end: Int, help: LocalizedText? = nil) {
        self.code = code
        self.message = message
        self.start = start
        self.end = end
        self.help = help
    }
}

/// Raised by the lexer and parser.
struct CELSyntaxError: Error, Sendable {
    enum Kind: Sendable {
        case unexpectedCharacter(String)
        case invalidNumber(String)
        case numberOutOfRange(String)
        case unterminatedString
        case invalidEscape(String)
        case unexpectedToken(found: LocalizedText, expected: LocalizedText)
        case reservedWord(String)
        case tooDeep(Int)
        case tooLong(Int)
        case macroArgument(String)
        case duplicateMapKey
        case other(LocalizedText)
    }

    var kind: Kind
    var start: Int
    var end: Int
    var help: LocalizedText?

    init(_ kind: Kind, start: Int, end: Int, help: LocalizedText? = nil) {
        self.kind = kind
        self.start = start
        self.end = end
        self.help = help
    }

    var issue: CELIssue {
        let (code, message): (String, LocalizedText)
        switch kind {
        case .unexpectedCharacter(let c):
            (code, message) = ("E0101", .init(en: "unexpected character `\(c)`", zh: "意外的字符 `\(c)`"))
        case .invalidNumber(let n):
            (code, message) = ("E0102", .init(en: "invalid number literal `\(n)`", zh: "无效的数字字面量 `\(n)`"))
        case .numberOutOfRange(let n):
            (code, message) = ("E0103", .init(en: "number literal `\(n)` is out of range", zh: "数字字面量 `\(n)` 超出范围"))
        case .unterminatedString:
            (code, message) = ("E0104", .init(en: "unterminated string literal", zh: "字符串字面量未结束"))
        case .invalidEscape(let e):
            (code, message) = ("E0105", .init(en: "invalid escape sequence `\(e)`", zh: "无效的转义序列 `\(e)`"))
        case .unexpectedToken(let found, let expected):
            (code, message) = ("E0106", .init(en: "unexpected \(found.en), expected \(expected.en)",
                                              zh: "意外的\(found.zh)，应为\(expected.zh)"))
        case .reservedWord(let w):
            (code, message) = ("E0107", .init(en: "`\(w)` is a reserved word", zh: "`\(w)` 是保留字"))
        case .tooDeep(let limit):
            (code, message) = ("E0108", .init(en: "expression nests deeper than the limit of \(limit)",
                                              zh: "表达式嵌套超过上限 \(limit) 层"))
        case .tooLong(let limit):
            (code, message) = ("E0109", .init(en: "expression is longer than the limit of \(limit) code points",
                                              zh: "表达式长度超过上限 \(limit) 个字符"))
        case .macroArgument(let m):
            (code, message) = ("E0110", .init(en: "invalid argument to macro `\(m)`", zh: "宏 `\(m)` 的参数无效"))
        case .duplicateMapKey:
            (code, message) = ("E0111", .init(en: "duplicate key in map literal", zh: "映射字面量中的键重复"))
        case .other(let text):
            (code, message) = ("E0100", text)
        }
        return CELIssue(code: code, message: message, start: start, end: end, help: help)
    }
}
