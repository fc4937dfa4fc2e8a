/// The text of one source (a file, or an expression typed on the command line) with a line table,
/// so diagnostics can show the offending line.
public struct SourceText: Sendable, Hashable {
    /// The name printed in diagnostics.
    public var name: String
    /// The full text.
    public var text: String
    /// UTF-8 offsets where each line starts.
    private var lineStarts: [Int]

    /// Creates a source from its name and text.
    public init(name: String, text: String) {
        self.name = name
        self.text = text
        var starts = [0]
        var index = 0
        let bytes = Array(text.utf8)
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                starts.append(index + 1)
            } else if byte == UInt8(ascii: "\r") {
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
                starts.append(index + 1)
            }
            index += 1
        }
        self.lineStarts = starts
    }

    /// Number of lines.
    public var lineCount: Int { lineStarts.count }

    /// The text of 1-based line `n` without its line break, or nil when out of range.
    public func line(_ n: Int) -> String? {
        guard n >= 1, n <= lineStarts.count else { return nil }
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: lineStarts[n - 1])
        var end = n < lineStarts.count
            ? utf8.index(utf8.startIndex, offsetBy: lineStarts[n])
            : utf8.endIndex
        while end > start {
            let before = utf8.index(before: end)
            let byte = utf8[before]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { end = before } else { break }
        }
        return String(text[start..<end])
    }

    /// The location of a UTF-8 byte offset: line, and column counted in Unicode scalars.
    public func location(ofUTF8Offset offset: Int) -> SourceLocation {
        let clamped = max(0, min(offset, text.utf8.count))
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
        }
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: lineStarts[low])
        let end = utf8.index(utf8.startIndex, offsetBy: clamped)
        let column = text.unicodeScalars[start..<end].count + 1
        return SourceLocation(line: low + 1, column: column, offset: clamped)
    }
}
