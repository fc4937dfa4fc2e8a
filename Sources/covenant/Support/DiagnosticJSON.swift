import CovenantCEL
import CovenantSource

/// Diagnostics as JSON for editors and CI: one object per diagnostic with file, line, column,
/// end position, severity, code, message and help.
enum DiagnosticJSON {
    static func object(_ d: Diagnostic, language: Language) -> Value {
        var m = MapValue()
        m.set("severity", .string(d.severity.rawValue))
        m.set("code", .string(d.code))
        m.set("message", .string(d.message.text(language)))
        if let span = d.span {
            m.set("file", .string(span.file))
            m.set("line", .int(Int64(span.start.line)))
            m.set("column", .int(Int64(span.start.column)))
            m.set("end_line", .int(Int64(span.end.line)))
            m.set("end_column", .int(Int64(span.end.column)))
        }
        if let help = d.help { m.set("help", .string(help.text(language))) }
        return .map(m)
    }

    static func array(_ diagnostics: [Diagnostic], language: Language) -> String {
        JSON.write(.list(diagnostics.map { object($0, language: language) }))
    }
}
