import CovenantSource

/// Tables in the four human and machine shapes: aligned text (CJK counted as two cells, numbers
/// right-aligned), Markdown, CSV (formula-safe cells) — and rows for JSON built by the caller.
struct TableRenderer {
    var headers: [String]
    var rows: [[String]]
    /// Columns aligned to the right (numbers).
    var numeric: Set<Int>

    func text() -> String {
        let cleanRows = rows.map { $0.map(VerdictFormat.clean) }
        var widths = headers.map { DisplayWidth.of($0) }
        for row in cleanRows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], DisplayWidth.of(cell)) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: max(0, widths[i] - DisplayWidth.of(cell)))
                parts.append(numeric.contains(i) ? pad + cell : cell + pad)
            }
            var s = parts.joined(separator: "  ")
            while s.hasSuffix(" ") { s.removeLast() }
            return s + "\n"
        }
        var out = line(headers)
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in cleanRows { out += line(row) }
        return out
    }

    func markdown() -> String {
        func esc(_ s: String) -> String { VerdictFormat.clean(s).replacingAll("|", with: "\\|") }
        var out = "| " + headers.map(esc).joined(separator: " | ") + " |\n"
        out += "|" + headers.indices.map { numeric.contains($0) ? "---:|" : "---|" }.joined() + "\n"
        for row in rows { out += "| " + row.map(esc).joined(separator: " | ") + " |\n" }
        return out
    }

    func csv() -> String {
        var out = headers.map(VerdictFormat.csvCell).joined(separator: ",") + "\n"
        for row in rows { out += row.map(VerdictFormat.csvCell).joined(separator: ",") + "\n" }
        return out
    }
}

/// Number formatting for reports.
enum Numbers {
    static func percent(_ x: Double?) -> String {
        guard let x else { return "-" }
        let tenths = Int((x * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    static func signed(_ n: Int) -> String { n > 0 ? "+\(n)" : String(n) }
}
