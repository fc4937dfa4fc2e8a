import CovenantCEL
import CovenantModel
import CovenantSource
import CovenantYAML

/// Compiles an expression held in a YAML scalar, reporting CEL errors at their position in the
/// rule file: plain and quoted scalars start at the scalar (one column later for quotes); block
/// scalars (`|`, `>`) start on the next line at the block's indentation.
enum ConditionCompiler {
    static func source(for node: YAMLNode, text: String, file: SourceText) -> CELSource {
        let style = node.style ?? .plain
        var origin = node.span.start
        var continuation: Int?
        switch style {
        case .singleQuoted, .doubleQuoted:
            origin.column += 1
        case .literal, .folded:
            let line = node.span.start.line + 1
            let indent = file.line(line).map { $0.prefix { $0 == " " }.count } ?? 0
            origin = SourceLocation(line: line, column: indent + 1)
            continuation = indent + 1
        case .plain:
            let indent = file.line(node.span.start.line + 1).map { $0.prefix { $0 == " " }.count } ?? 0
            continuation = indent + 1
        }
        return CELSource(file: node.span.file, text: text, origin: origin, continuationColumn: continuation,
                         positions: positions(of: text, in: node, style: style, file: file))
    }

    /// Where each UTF-8 byte of a scalar's `text` (and its end) is written in the file: the text is
    /// walked beside the scalar's source, whose bytes that the text does not hold — a quote, an
    /// escape's backslash, a folded line break and the next line's indentation, a block's header
    /// and indentation — are stepped over. Nil when the two cannot be matched so (an escape such as
    /// `\n` stands for a byte the source does not hold), for the caller's cruder placing.
    static func positions(of text: String, in node: YAMLNode, style: YAMLScalarStyle, file: SourceText) -> [SourceLocation]? {
        let start = node.span.start.offset, end = node.span.end.offset
        let result = file.text.utf8.withContiguousStorageIfAvailable { source -> [SourceLocation]? in
            guard start >= 0, end >= start, end <= source.count else { return nil }
            var j = start
            switch style {
            case .singleQuoted, .doubleQuoted: j += 1
            case .literal, .folded:
                // The text starts on the line after the header (`|-`, `>+2`, a comment).
                while j < end, source[j] != 0x0A, source[j] != 0x0D { j += 1 }
            case .plain: break
            }
            // Line and column kept as the walk goes (as `SourceText` counts them: lines break at
            // LF, CRLF and CR; columns count Unicode scalars), found once at the start.
            var here = file.location(ofUTF8Offset: start)
            func location(_ offset: Int) -> SourceLocation {
                while here.offset < offset {
                    let b = source[here.offset]
                    here.offset += 1
                    if b == 0x0A || (b == 0x0D && (here.offset >= source.count || source[here.offset] != 0x0A)) {
                        here.line += 1
                        here.column = 1
                    } else if b != 0x0D, b & 0xC0 != 0x80 {
                        here.column += 1
                    }
                }
                return here
            }
            var positions: [SourceLocation] = []
            positions.reserveCapacity(text.utf8.count + 1)
            for byte in text.utf8 {
                // A double-quoted escape for one ASCII byte (`\t`, `\"`, …) stands where its backslash is.
                if style == .doubleQuoted, j + 1 < end, source[j] == 0x5C, byte != 0x5C || source[j + 1] == 0x5C,
                   escapedByte(source[j + 1]) == byte {
                    positions.append(location(j))
                    j += 2
                    continue
                }
                while j < end, source[j] != byte {
                    // Only what a scalar's text may leave out is stepped over.
                    let c = source[j]
                    guard c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x5C || c == 0x27 || c == 0x22 else { return nil }
                    j += 1
                }
                guard j < end else { return nil }
                positions.append(location(j))
                j += 1
            }
            positions.append(location(j))
            return positions
        }
        return result ?? nil
    }

    /// The byte a YAML double-quoted escape of one ASCII byte stands for (`t` → tab), else nil.
    private static func escapedByte(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "0"): 0x00
        case UInt8(ascii: "a"): 0x07
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "t"), 0x09: 0x09
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "v"): 0x0B
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "e"): 0x1B
        case UInt8(ascii: " "), UInt8(ascii: "\""), UInt8(ascii: "/"), UInt8(ascii: "\\"): letter
        default: nil
        }
    }

    /// Compiles a condition; nil (with diagnostics) when it does not compile.
    static func compile(
        _ node: YAMLNode, environment: CELEnvironment, expecting: CELType?, file: SourceText,
        what: LocalizedText, _ d: inout Diagnostics
    ) -> Condition? {
        guard let scalar = node.scalar, !node.isNull else {
            d.error(LoaderMessage.wrongType(expected: "an expression (a string)", found: NodeReader.describe(node)), at: node.span)
            return nil
        }
        var text = scalar.text
        // A plain `true`/`false` or a number is a valid expression too.
        if scalar.style == .folded || scalar.style == .literal {
            while text.hasSuffix("\n") { text.removeLast() }
        }
        let source = source(for: node, text: text, file: file)
        do {
            let program = try environment.compile(text, expecting: expecting)
            return Condition(text: text, source: source, program: program)
        } catch {
            for issue in error.issues {
                var diagnostic = source.diagnostic(for: issue)
                if issue.code == "E0210" {
                    diagnostic.help = LocalizedText(en: "\(what.en) must be a bool condition", zh: "\(what.zh)必须是布尔条件")
                }
                d.items.append(diagnostic)
            }
            return nil
        }
    }
}
