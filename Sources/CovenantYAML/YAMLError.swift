import CovenantSource

/// The stable codes of the YAML reader's diagnostics (listed in docs/yaml.md).
public enum YAMLErrorCode: String, Sendable, Hashable, CaseIterable {
    /// libyaml rejected the syntax.
    case syntax = "Y0001"
    /// A tab is used for indentation.
    case tabIndentation = "Y0002"
    /// A mapping repeats a scalar key.
    case duplicateKey = "Y0003"
    /// The bytes are not valid UTF-8.
    case invalidUTF8 = "Y0004"
    /// The file is in another encoding (UTF-16 or UTF-32).
    case notUTF8 = "Y0005"
    /// The file is larger than ``YAMLLimits/maxFileBytes``.
    case fileTooLarge = "Y0006"
    /// Collections nest deeper than ``YAMLLimits/maxDepth``.
    case tooDeep = "Y0007"
    /// A scalar is longer than ``YAMLLimits/maxScalarBytes``.
    case scalarTooLong = "Y0008"
    /// Aliases expand to more than ``YAMLLimits/maxAliasExpansion`` nodes.
    case aliasExpansion = "Y0009"
    /// An alias names no anchor defined before it in the document.
    case undefinedAlias = "Y0010"
    /// A single document was required and the file has more.
    case multipleDocuments = "Y0011"
    /// A single document was required and the file has none.
    case noDocument = "Y0012"
    /// A control character YAML does not allow.
    case controlCharacter = "Y0013"
    /// A merge key `<<`, which the reader does not support.
    case mergeKey = "Y0014"
}

/// Why a YAML file could not be read: one positioned diagnostic, plus the file's text when it
/// could be decoded, so the caller can render the offending line with a caret.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The diagnostic to show (its code is one of ``YAMLErrorCode``).
    public var diagnostic: Diagnostic
    /// The file's text, or nil when it is not text the renderer can show (too large, not UTF-8).
    public var source: SourceText?

    /// Creates an error.
    public init(diagnostic: Diagnostic, source: SourceText? = nil) {
        self.diagnostic = diagnostic
        self.source = source
    }

    /// The diagnostic's code.
    public var code: YAMLErrorCode? { YAMLErrorCode(rawValue: diagnostic.code) }

    /// Where the problem is.
    public var span: SourceSpan? { diagnostic.span }

    /// The error as `renderer` prints it: `file:line:col: error: message`, the line, a caret, the help.
    public func rendered(with renderer: DiagnosticRenderer = DiagnosticRenderer()) -> String {
        renderer.render(diagnostic, source: source)
    }

    /// The English rendering without color.
    public var description: String { rendered() }
}
