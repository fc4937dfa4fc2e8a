import CovenantSource

/// One document of a YAML stream.
public struct YAMLDocument: Sendable, Hashable {
    /// The document's root node (an empty document has an empty plain scalar, which ``YAMLNode/isNull``).
    public var root: YAMLNode
    /// Where the document starts: the `---` marker when there is one, else its first token.
    public var span: SourceSpan
    /// The text of the file the document came from, for rendering diagnostics about it.
    public var source: SourceText

    /// Creates a document.
    public init(root: YAMLNode, span: SourceSpan, source: SourceText) {
        self.root = root
        self.span = span
        self.source = source
    }
}

/// All documents of one file, with the file's text.
public struct YAMLStream: Sendable, Hashable {
    /// The file's text (without a leading UTF-8 BOM); node offsets are UTF-8 offsets into it.
    public var source: SourceText
    /// The documents in order; a file that is empty or holds only comments has none.
    public var documents: [YAMLDocument]

    /// Creates a stream.
    public init(source: SourceText, documents: [YAMLDocument]) {
        self.source = source
        self.documents = documents
    }
}
