/// How serious a diagnostic is.
public enum Severity: String, Sendable, Hashable, Comparable {
    case error
    case warning
    case note

    private var rank: Int {
        switch self {
        case .error: return 0
        case .warning: return 1
        case .note: return 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }

    /// The word printed before the message.
    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.error, .en): return "error"
        case (.warning, .en): return "warning"
        case (.note, .en): return "note"
        case (.error, .zh): return "错误"
        case (.warning, .zh): return "警告"
        case (.note, .zh): return "注"
        }
    }
}

/// One problem found in an input, with where it is and what to do about it.
///
/// Every stage (YAML reader, expression checker, loader) reports through this one shape, and
/// ``DiagnosticRenderer`` prints it the one way: `file:line:col: error: message`, the source
/// line, a caret, and a hint.
public struct Diagnostic: Hashable, Sendable, Error {
    /// Error, warning or note.
    public var severity: Severity
    /// A stable code such as `Y0003` or `E0201`, listed in docs/diagnostics.md.
    public var code: String
    /// What is wrong, in zh and en.
    public var message: LocalizedText
    /// Where it is, when it has a position.
    public var span: SourceSpan?
    /// What to do about it, when there is advice to give.
    public var help: LocalizedText?

    /// Creates a diagnostic.
    public init(
        _ severity: Severity = .error, code: String, message: LocalizedText,
        span: SourceSpan? = nil, help: LocalizedText? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.span = span
        self.help = help
    }
}
