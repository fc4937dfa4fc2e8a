import CovenantSource

/// Converts libyaml marks into ``SourceLocation``s.
///
/// libyaml's `mark.index` counts characters (Unicode scalars), not bytes. The tracker walks a
/// cursor over the UTF-8 bytes to the mark's character index, keeping line, column and byte
/// offset as it goes. Marks arrive almost in order, so the walk costs O(file) in total.
///
/// Lines break at LF, CRLF and CR, exactly as ``SourceText`` breaks them, so positions always
/// match the line the renderer shows. (libyaml also breaks lines at U+0085, U+2028 and U+2029,
/// which is why its own `mark.line` and `mark.column` are not used.)
struct PositionTracker {
    let bytes: [UInt8]
    private(set) var index = 0
    private(set) var offset = 0
    private(set) var line = 1
    private(set) var column = 1

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private static func width(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    /// The location of the character with index `target` (clamped to the end of the text).
    mutating func location(ofCharacter target: Int) -> SourceLocation {
        while index < target, offset < bytes.count { stepForward() }
        while index > target, offset > 0 { stepBackward() }
        return SourceLocation(line: line, column: column, offset: offset)
    }

    private mutating func stepForward() {
        let byte = bytes[offset]
        offset += Self.width(byte)
        index += 1
        if byte == 0x0A || (byte == 0x0D && (offset >= bytes.count || bytes[offset] != 0x0A)) {
            line += 1
            column = 1
        } else {
            column += 1
        }
    }

    private mutating func stepBackward() {
        offset -= 1
        while offset > 0, bytes[offset] & 0xC0 == 0x80 { offset -= 1 }
        index -= 1
        let byte = bytes[offset]
        if byte == 0x0A || (byte == 0x0D && (offset + 1 >= bytes.count || bytes[offset + 1] != 0x0A)) {
            line -= 1
            column = columnAtOffset()
        } else {
            column -= 1
        }
    }

    /// The column of `offset`, by counting back to the start of its line.
    private func columnAtOffset() -> Int {
        var i = offset
        var count = 1
        if i > 0, i < bytes.count, bytes[i] == 0x0A, bytes[i - 1] == 0x0D {
            count += 1
            i -= 1
        }
        while i > 0 {
            let previous = bytes[i - 1]
            if previous == 0x0A || previous == 0x0D { break }
            if previous & 0xC0 != 0x80 { count += 1 }
            i -= 1
        }
        return count
    }
}
