/// HTML building blocks: everything that came from an input is escaped here.
enum HTML {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Masks a name for public output: the family name and one `*` per remaining character (王**).
    static func maskName(_ name: String) -> String {
        guard let first = name.first else { return "" }
        return String(first) + String(repeating: "*", count: max(1, name.count - 1))
    }

    /// Masks a household id for public output, keeping building and unit: H-12-2-301 → H-12-2-***.
    static func maskHousehold(_ id: String) -> String {
        var parts = id.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { return String(repeating: "*", count: max(3, id.count)) }
        parts[parts.count - 1] = String(repeating: "*", count: max(3, parts[parts.count - 1].count))
        return parts.joined(separator: "-")
    }
}

/// Inline SVG charts (no JavaScript, no network).
enum Charts {
    static let palette = ["#2f6db5", "#d9822b", "#3a9d5d", "#c23b3b", "#7d5ba6", "#8c6d31", "#2b9c9c", "#b5487a"]

    /// Horizontal bars: one row per label, values 0…max, with the value printed.
    static func bars(_ items: [(label: String, value: Double, text: String)], max maxValue: Double? = nil,
                     width: Int = 640, color: String = "#2f6db5") -> String {
        guard !items.isEmpty else { return "<p class=\"empty\">—</p>" }
        let rowHeight = 22
        let labelWidth = 150
        let barWidth = width - labelWidth - 170
        let top = maxValue ?? max(items.map(\.value).max() ?? 1, 1e-9)
        var svg = "<svg class=\"chart\" role=\"img\" width=\"\(width)\" height=\"\(items.count * rowHeight + 6)\" viewBox=\"0 0 \(width) \(items.count * rowHeight + 6)\" xmlns=\"http://www.w3.org/2000/svg\">"
        for (i, item) in items.enumerated() {
            let y = i * rowHeight + 3
            let w = top > 0 ? Int((item.value / top) * Double(barWidth)) : 0
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 15)\" text-anchor=\"end\" font-size=\"12\">\(HTML.escape(item.label))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(max(w, 1))\" height=\"\(rowHeight - 8)\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(labelWidth + max(w, 1) + 6)\" y=\"\(y + 15)\" font-size=\"12\">\(HTML.escape(item.text))</text>"
        }
        return svg + "</svg>"
    }

    /// A line chart: x labels (months), one series per name.
    static func lines(x: [String], series: [(name: String, values: [Double])], width: Int = 640, height: Int = 240) -> String {
        guard !x.isEmpty, !series.isEmpty else { return "<p class=\"empty\">—</p>" }
        let left = 40, right = 150, top = 12, bottom = 30
        let plotW = width - left - right, plotH = height - top - bottom
        let maxV = max(series.flatMap(\.values).max() ?? 1, 1)
        func px(_ i: Int) -> Int { x.count == 1 ? left + plotW / 2 : left + i * plotW / (x.count - 1) }
        func py(_ v: Double) -> Int { top + plotH - Int(v / maxV * Double(plotH)) }
        var svg = "<svg class=\"chart\" role=\"img\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<line x1=\"\(left)\" y1=\"\(top + plotH)\" x2=\"\(left + plotW)\" y2=\"\(top + plotH)\" stroke=\"#999\"/>"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotH)\" stroke=\"#999\"/>"
        svg += "<text x=\"\(left - 6)\" y=\"\(top + 10)\" text-anchor=\"end\" font-size=\"11\">\(Int(maxV))</text>"
        svg += "<text x=\"\(left - 6)\" y=\"\(top + plotH)\" text-anchor=\"end\" font-size=\"11\">0</text>"
        for (i, label) in x.enumerated() {
            svg += "<text x=\"\(px(i))\" y=\"\(height - 10)\" text-anchor=\"middle\" font-size=\"11\">\(HTML.escape(label))</text>"
        }
        for (k, s) in series.enumerated() {
            let color = palette[k % palette.count]
            let points = s.values.enumerated().map { "\(px($0.offset)),\(py($0.element))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(points)\"/>"
            for (i, v) in s.values.enumerated() {
                svg += "<circle cx=\"\(px(i))\" cy=\"\(py(v))\" r=\"3\" fill=\"\(color)\"/>"
            }
            let ly = top + 14 * k + 8
            svg += "<rect x=\"\(left + plotW + 12)\" y=\"\(ly - 8)\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(left + plotW + 26)\" y=\"\(ly + 1)\" font-size=\"11\">\(HTML.escape(s.name))</text>"
        }
        return svg + "</svg>"
    }
}
