/// A signed span of time with nanosecond precision, within CEL's range of ±315,576,000,000 seconds
/// (about 10,000 years).
public struct CELDuration: Sendable, Hashable, Comparable {
    /// Total nanoseconds.
    public let nanoseconds: Int128

    /// Largest magnitude in seconds.
    public static let maxSeconds: Int128 = 315_576_000_000

    /// Creates a duration; nil when out of range.
    public init?(nanoseconds: Int128) {
        guard nanoseconds <= Self.maxSeconds * 1_000_000_000 + 999_999_999,
              nanoseconds >= -(Self.maxSeconds * 1_000_000_000 + 999_999_999)
        else { return nil }
        self.nanoseconds = nanoseconds
    }

    /// Creates a duration of whole seconds; nil when out of range.
    public init?(seconds: Int64) {
        self.init(nanoseconds: Int128(seconds) * 1_000_000_000)
    }

    public static func < (a: CELDuration, b: CELDuration) -> Bool { a.nanoseconds < b.nanoseconds }

    /// Whole seconds, truncated toward zero.
    public var seconds: Int64 { Int64(nanoseconds / 1_000_000_000) }

    /// The CEL/JSON string form: seconds with a fraction only when needed, e.g. `3600s`, `1.5s`, `-0.000000001s`.
    public var celString: String {
        let negative = nanoseconds < 0
        let magnitude = negative ? -nanoseconds : nanoseconds
        let whole = magnitude / 1_000_000_000
        let frac = Int(magnitude % 1_000_000_000)
        var out = (negative ? "-" : "") + String(whole)
        if frac != 0 {
            var f = pad(frac, 9)
            while f.hasSuffix("0") { f.removeLast() }
            out += "." + f
        }
        return out + "s"
    }

    /// Parses a duration string as CEL's `duration()` does (Go's syntax): an optional sign and a
    /// sequence of decimal numbers with units `h`, `m`, `s`, `ms`, `us` (`µs`), `ns`, e.g. `1h30m`,
    /// `-1.5s`, `100ms`; `0` alone is zero.
    public static func parse(_ text: String) -> CELDuration? {
        var scalars = Array(text.unicodeScalars)
        var negative = false
        if let first = scalars.first, first == "-" || first == "+" {
            negative = first == "-"
            scalars.removeFirst()
        }
        if scalars == ["0"] { return CELDuration(nanoseconds: 0) }
        guard !scalars.isEmpty else { return nil }
        var total: Int128 = 0
        var i = 0
        let limit = Self.maxSeconds * 1_000_000_000 * 2
        while i < scalars.count {
            var whole: Int128 = 0
            var fracDigits: [Int] = []
            var sawDigit = false
            while i < scalars.count, let d = scalars[i].properties.numericType != nil ? Int(String(scalars[i])) : nil,
                  scalars[i].isASCII
            {
                whole = whole * 10 + Int128(d)
                if whole > limit { return nil }
                sawDigit = true
                i += 1
            }
            if i < scalars.count, scalars[i] == "." {
                i += 1
                while i < scalars.count, scalars[i].isASCII, let d = Int(String(scalars[i])) {
                    if fracDigits.count < 18 { fracDigits.append(d) }
                    sawDigit = true
                    i += 1
                }
            }
            guard sawDigit else { return nil }
            var unit = ""
            while i < scalars.count, !(scalars[i].isASCII && (scalars[i].properties.numericType != nil || scalars[i] == ".")) {
                unit.unicodeScalars.append(scalars[i])
                i += 1
            }
            let scale: Int128
            switch unit {
            case "h": scale = 3_600_000_000_000
            case "m": scale = 60_000_000_000
            case "s": scale = 1_000_000_000
            case "ms": scale = 1_000_000
            case "us", "µs", "μs": scale = 1_000
            case "ns": scale = 1
            default: return nil
            }
            var part = whole * scale
            var fracScale = scale
            for d in fracDigits {
                fracScale /= 10
                part += Int128(d) * fracScale
            }
            total += part
            if total > limit { return nil }
        }
        return CELDuration(nanoseconds: negative ? -total : total)
    }
}
