/// A position in a source file: 1-based line and column (columns count Unicode scalars,
/// as libyaml's marks do) plus the 0-based UTF-8 byte offset.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column, counted in Unicode scalars.
    public var column: Int
    /// 0-based UTF-8 byte offset from the start of the text (or -1 when unknown).
    public var offset: Int

    /// Creates a location.
    public init(line: Int, column: Int, offset: Int = -1) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// A range in a named source file.
public struct SourceSpan: Hashable, Sendable, CustomStringConvertible {
    /// The file name as the user gave it (or a pseudo name such as `<expr>`).
    public var file: String
    /// Where the span starts.
    public var start: SourceLocation
    /// Where the span ends (exclusive); equal to `start` for a point.
    public var end: SourceLocation

    /// Creates a span.
    public init(file: String, start: SourceLocation, end: SourceLocation? = nil) {
        self.file = file
        self.start = start
        self.end = end ?? start
    }

    /// `file:line:col`.
    public var description: String { "\(file):\(start.line):\(start.column)" }
}
