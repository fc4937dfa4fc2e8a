/// Prints diagnostics the one way Covenant prints them:
///
/// ```
/// rules/zh/laoshiqu.yaml:41:23: error: unknown key `escalaton`
///    41 |     escalaton:
///       |     ^
///   = help: did you mean `escalation`?
/// ```
///
/// The caret is padded by display width, so it lands under CJK text too; tabs are kept.
public struct DiagnosticRenderer: Sendable {
    /// The language of the labels and messages.
    public var language: Language
    /// Whether to color the output with ANSI escapes (the CLI decides: only on a TTY, never with `NO_COLOR`).
    public var color: Bool

    /// Creates a renderer.
    public init(language: Language = .en, color: Bool = false) {
        self.language = language
        self.color = color
    }

    /// Renders one diagnostic; `source` supplies the line to quote when it is known.
    public func render(_ diagnostic: Diagnostic, source: SourceText? = nil) -> String {
        var out = ""
        let label = diagnostic.severity.label(language)
        let styledLabel: String
        switch diagnostic.severity {
        case .error: styledLabel = paint(label, "1;31")
        case .warning: styledLabel = paint(label, "1;33")
        case .note: styledLabel = paint(label, "1;36")
        }
        let message = Self.sanitize(diagnostic.message.text(language))
        if let span = diagnostic.span {
            out += paint("\(Self.sanitize(span.file)):\(span.start.line):\(span.start.column):", "1")
            out += " \(styledLabel): \(message)\n"
            if let source, let line = source.line(span.start.line) {
                let gutter = String(span.start.line)
                let pad = String(repeating: " ", count: gutter.count)
                let shown = Self.sanitize(line)
                out += " \(paint(gutter, "34")) \(paint("|", "34")) \(shown)\n"
                out += " \(pad) \(paint("|", "34")) \(caretLine(line: line, span: span))\n"
            }
        } else {
            out += "\(styledLabel): \(message)\n"
        }
        if let help = diagnostic.help {
            let word = language == .zh ? "提示" : "help"
            out += "  = \(paint(word, "1;32")): \(Self.sanitize(help.text(language)))\n"
        }
        return out
    }

    /// Renders several diagnostics, sorted by file and position, at most `limit` of them.
    public func render(
        _ diagnostics: [Diagnostic], sources: [String: SourceText] = [:], limit: Int = 100
    ) -> String {
        let sorted = diagnostics.enumerated().sorted { a, b in
            let sa = a.element.span, sb = b.element.span
            if sa?.file != sb?.file { return (sa?.file ?? "") < (sb?.file ?? "") }
            if let sa, let sb, sa.start != sb.start { return sa.start < sb.start }
            return a.offset < b.offset
        }.map(\.element)
        var out = ""
        for diagnostic in sorted.prefix(limit) {
            out += render(diagnostic, source: diagnostic.span.flatMap { sources[$0.file] })
        }
        if sorted.count > limit {
            let more = sorted.count - limit
            out += language == .zh ? "另有 \(more) 条错误未显示\n" : "\(more) more errors were truncated\n"
        }
        return out
    }

    func caretLine(line: String, span: SourceSpan) -> String {
        var prefix = ""
        var column = 1
        for scalar in line.unicodeScalars {
            if column >= span.start.column { break }
            if scalar == "\t" {
                prefix += "\t"
            } else {
                prefix += String(repeating: " ", count: DisplayWidth.of(scalar))
            }
            column += 1
        }
        var width = 1
        if span.end.line == span.start.line, span.end.column > span.start.column {
            let scalars = Array(line.unicodeScalars)
            let from = min(span.start.column - 1, scalars.count)
            let to = min(span.end.column - 1, scalars.count)
            if to > from {
                width = max(1, scalars[from..<to].reduce(0) { $0 + DisplayWidth.of($1) })
            }
        }
        return prefix + paint("^" + String(repeating: "~", count: width - 1), "1;31")
    }

    func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// Replaces control characters (including ANSI escapes) that came from inputs, so that nothing
    /// in a rule file or incident can act on the reader's terminal. Tabs are kept.
    public static func sanitize(_ text: String) -> String {
        var needs = false
        for scalar in text.unicodeScalars where isControl(scalar) {
            needs = true
            break
        }
        guard needs else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v == 0x09 { return false }
        return v < 0x20 || v == 0x7F || (v >= 0x80 && v < 0xA0) || v == 0x2028 || v == 0x2029
    }
}
