import CovenantSource

/// Turns CEL source text into tokens, following the lexis of the CEL language definition:
/// identifiers, reserved words, decimal and hex int/uint literals, doubles, all string forms
/// (quoted, triple-quoted, raw) with every escape, bytes literals, `//` comments.
struct Lexer {
    let bytes: [UInt8]
    var pos = 0

    init(_ text: String) {
        self.bytes = Array(text.utf8)
    }

    static let reservedWords: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let",
        "loop", "package", "namespace", "return", "var", "void", "while",
    ]

    mutating func tokenize() throws(CELSyntaxError) -> [Token] {
        var tokens: [Token] = []
        while true {
            let token = try next()
            tokens.append(token)
            if token.kind == .eof { return tokens }
        }
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        let i = pos + offset
        return i < bytes.count ? bytes[i] : nil
    }

    private mutating func skipTrivia() {
        while let c = peek() {
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C {
                pos += 1
            } else if c == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "/") {
                while let d = peek(), d != 0x0A, d != 0x0D { pos += 1 }
            } else {
                return
            }
        }
    }

    private static func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    private static func isHex(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
    }

    mutating func next() throws(CELSyntaxError) -> Token {
        skipTrivia()
        let start = pos
        guard let c = peek() else { return Token(kind: .eof, start: pos, end: pos) }

        // String and bytes literals with prefixes r, b, br, rb (any case).
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
            let s = try lexString(raw: false, bytes: false, start: start)
            return Token(kind: .string(s.string), start: start, end: pos)
        }
        if Self.isIdentStart(c) {
            var raw = false
            var isBytes = false
            var look = 0
            while look < 2, let p = peek(look), p == UInt8(ascii: "r") || p == UInt8(ascii: "R")
                || p == UInt8(ascii: "b") || p == UInt8(ascii: "B")
            {
                if p == UInt8(ascii: "r") || p == UInt8(ascii: "R") {
                    if raw { break }
                    raw = true
                } else {
                    if isBytes { break }
                    isBytes = true
                }
                look += 1
                if let q = peek(look), q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") {
                    pos += look
                    let s = try lexString(raw: raw, bytes: isBytes, start: start)
                    if isBytes { return Token(kind: .bytes(s.bytes), start: start, end: pos) }
                    return Token(kind: .string(s.string), start: start, end: pos)
                }
            }
            while let d = peek(), Self.isIdentStart(d) || Self.isDigit(d) { pos += 1 }
            let word = String(decoding: bytes[start..<pos], as: UTF8.self)
            let kind: TokenKind
            switch word {
            case "true": kind = .trueLit
            case "false": kind = .falseLit
            case "null": kind = .nullLit
            case "in": kind = .inKeyword
            default: kind = Self.reservedWords.contains(word) ? .reserved(word) : .ident(word)
            }
            return Token(kind: kind, start: start, end: pos)
        }
        if Self.isDigit(c) || (c == UInt8(ascii: ".") && peek(1).map(Self.isDigit) == true) {
            return try lexNumber(start: start)
        }
        let two: String? = peek(1).map { String(decoding: [c, $0], as: UTF8.self) }
        if let two, ["<=", ">=", "==", "!=", "&&", "||"].contains(two) {
            pos += 2
            return Token(kind: .punct(two), start: start, end: pos)
        }
        let single = "()[]{}.,:?!-+*/%<>"
        if c < 0x80, single.utf8.contains(c) {
            pos += 1
            return Token(kind: .punct(String(UnicodeScalar(c))), start: start, end: pos)
        }
        // Unknown character: report the whole scalar.
        var end = pos + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        let text = String(decoding: bytes[pos..<end], as: UTF8.self)
        if c == UInt8(ascii: "=") {
            throw CELSyntaxError(.unexpectedCharacter("="), start: start, end: end,
                                 help: LocalizedText(en: "use `==` to compare", zh: "比较请用 `==`"))
        }
        if c == UInt8(ascii: "&") || c == UInt8(ascii: "|") {
            throw CELSyntaxError(.unexpectedCharacter(text), start: start, end: end,
                                 help: LocalizedText(en: "use `&&` or `||`", zh: "请用 `&&` 或 `||`"))
        }
        throw CELSyntaxError(.unexpectedCharacter(text), start: start, end: end)
    }

    private mutating func lexNumber(start: Int) throws(CELSyntaxError) -> Token {
        // Hex int/uint.
        if peek() == UInt8(ascii: "0"), let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            pos += 2
            let digitsStart = pos
            while let d = peek(), Self.isHex(d) { pos += 1 }
            if pos == digitsStart {
                throw CELSyntaxError(.invalidNumber("0x"), start: start, end: pos)
            }
            let digits = String(decoding: bytes[digitsStart..<pos], as: UTF8.self)
            if let u = peek(), u == UInt8(ascii: "u") || u == UInt8(ascii: "U") {
                pos += 1
                guard let value = UInt64(digits, radix: 16) else {
                    throw CELSyntaxError(.numberOutOfRange(text(start)), start: start, end: pos)
                }
                return Token(kind: .uint(value), start: start, end: pos)
            }
            guard let value = Int64(digits, radix: 16) else {
                if digits.lowercased().trimmingLeadingZeros() == "8000000000000000" {
                    return Token(kind: .intOverflow(text(start)), start: start, end: pos)
                }
                throw CELSyntaxError(.numberOutOfRange(text(start)), start: start, end: pos)
            }
            try rejectIdentAfterNumber(start: start)
            return Token(kind: .int(value), start: start, end: pos)
        }
        while let d = peek(), Self.isDigit(d) { pos += 1 }
        var isDouble = false
        if peek() == UInt8(ascii: "."), let d = peek(1), Self.isDigit(d) {
            isDouble = true
            pos += 1
            while let d = peek(), Self.isDigit(d) { pos += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var look = 1
            if let s = peek(1), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { look = 2 }
            if let d = peek(look), Self.isDigit(d) {
                isDouble = true
                pos += look
                while let d = peek(), Self.isDigit(d) { pos += 1 }
            } else {
                throw CELSyntaxError(.invalidNumber(text(start) + "e"), start: start, end: pos + 1)
            }
        }
        let literal = text(start)
        if isDouble {
            guard let value = Double(literal) else {
                throw CELSyntaxError(.invalidNumber(literal), start: start, end: pos)
            }
            // A literal beyond the double range would silently become infinity.
            guard value.isFinite else {
                throw CELSyntaxError(.numberOutOfRange(literal), start: start, end: pos,
                                     help: LocalizedText(en: "double literals range up to about 1.8e308",
                                                         zh: "double 字面量的范围约为 ±1.8e308"))
            }
            try rejectIdentAfterNumber(start: start)
            return Token(kind: .double(value), start: start, end: pos)
        }
        if let u = peek(), u == UInt8(ascii: "u") || u == UInt8(ascii: "U") {
            pos += 1
            guard let value = UInt64(literal) else {
                throw CELSyntaxError(.numberOutOfRange(text(start)), start: start, end: pos)
            }
            try rejectIdentAfterNumber(start: start)
            return Token(kind: .uint(value), start: start, end: pos)
        }
        guard let value = Int64(literal) else {
            if literal.trimmingLeadingZeros() == "9223372036854775808" {
                return Token(kind: .intOverflow(literal), start: start, end: pos)
            }
            throw CELSyntaxError(.numberOutOfRange(literal), start: start, end: pos)
        }
        try rejectIdentAfterNumber(start: start)
        return Token(kind: .int(value), start: start, end: pos)
    }

    private mutating func rejectIdentAfterNumber(start: Int) throws(CELSyntaxError) {
        if let d = peek(), Self.isIdentStart(d) {
            var end = pos
            while end < bytes.count, Self.isIdentStart(bytes[end]) || Self.isDigit(bytes[end]) { end += 1 }
            let literal = String(decoding: bytes[start..<end], as: UTF8.self)
            throw CELSyntaxError(.invalidNumber(literal), start: start, end: end)
        }
    }

    private func text(_ start: Int) -> String {
        String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    struct LexedString {
        var string: String
        var bytes: [UInt8]
    }

    /// Lexes a quoted literal starting at the opening quote (prefixes already consumed).
    private mutating func lexString(raw: Bool, bytes isBytes: Bool, start: Int) throws(CELSyntaxError) -> LexedString {
        let quote = bytes[pos]
        let triple = peek(1) == quote && peek(2) == quote
        pos += triple ? 3 : 1
        var out: [UInt8] = []
        while true {
            guard let c = peek() else {
                throw CELSyntaxError(.unterminatedString, start: start, end: pos)
            }
            if triple {
                if c == quote, peek(1) == quote, peek(2) == quote {
                    pos += 3
                    break
                }
            } else {
                if c == quote {
                    pos += 1
                    break
                }
                if c == 0x0A || c == 0x0D {
                    throw CELSyntaxError(.unterminatedString, start: start, end: pos,
                                         help: LocalizedText(en: "use a triple-quoted string for text over several lines",
                                                             zh: "多行文本请用三引号字符串"))
                }
            }
            if c == UInt8(ascii: "\\") && !raw {
                try lexEscape(into: &out, isBytes: isBytes)
                continue
            }
            out.append(c)
            pos += 1
        }
        if isBytes { return LexedString(string: "", bytes: out) }
        // Escapes of code points were encoded as UTF-8 already; the source text is valid UTF-8.
        guard let s = String(validating: out, as: UTF8.self) else {
            throw CELSyntaxError(.invalidEscape("\\"), start: start, end: pos)
        }
        return LexedString(string: s, bytes: [])
    }

    private mutating func lexEscape(into out: inout [UInt8], isBytes: Bool) throws(CELSyntaxError) {
        let escStart = pos
        pos += 1
        guard let e = peek() else { throw CELSyntaxError(.unterminatedString, start: escStart, end: pos) }
        func appendScalar(_ value: UInt32) throws(CELSyntaxError) {
            guard let scalar = Unicode.Scalar(value) else {
                throw CELSyntaxError(.invalidEscape(text(escStart)), start: escStart, end: pos)
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        switch e {
        case UInt8(ascii: "a"): out.append(0x07); pos += 1
        case UInt8(ascii: "b"): out.append(0x08); pos += 1
        case UInt8(ascii: "f"): out.append(0x0C); pos += 1
        case UInt8(ascii: "n"): out.append(0x0A); pos += 1
        case UInt8(ascii: "r"): out.append(0x0D); pos += 1
        case UInt8(ascii: "t"): out.append(0x09); pos += 1
        case UInt8(ascii: "v"): out.append(0x0B); pos += 1
        case UInt8(ascii: "\\"), UInt8(ascii: "?"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"):
            out.append(e); pos += 1
        case UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = (e == UInt8(ascii: "u")) ? 4 : (e == UInt8(ascii: "U") ? 8 : 2)
            pos += 1
            var value: UInt32 = 0
            for _ in 0..<count {
                guard let h = peek(), Self.isHex(h) else {
                    throw CELSyntaxError(.invalidEscape(text(escStart)), start: escStart, end: pos)
                }
                value = value * 16 + UInt32(String(UnicodeScalar(h)), radix: 16)!
                pos += 1
            }
            if isBytes && count == 2 {
                out.append(UInt8(value))
            } else if isBytes {
                throw CELSyntaxError(.invalidEscape(text(escStart)), start: escStart, end: pos,
                                     help: LocalizedText(en: "`\\u` and `\\U` escapes are only valid in strings",
                                                         zh: "`\\u` 与 `\\U` 转义只能用于字符串"))
            } else {
                // A `\u` high surrogate immediately followed by a `\u` low surrogate encodes one
                // code point outside the BMP (the language definition allows such pairs); any other
                // surrogate is not a code point.
                if count == 4, value >= 0xD800, value <= 0xDBFF, let low = lowSurrogate(at: pos) {
                    pos += 6
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                } else if value >= 0xD800 && value <= 0xDFFF {
                    throw CELSyntaxError(.invalidEscape(text(escStart)), start: escStart, end: pos,
                                         help: LocalizedText(en: "surrogate code points are only valid as a `\\uD8xx\\uDCxx` pair",
                                                             zh: "代理码点只能以 `\\uD8xx\\uDCxx` 成对出现"))
                }
                try appendScalar(value)
            }
        case UInt8(ascii: "0")...UInt8(ascii: "3"):
            var value: UInt32 = 0
            for _ in 0..<3 {
                guard let d = peek(), d >= 0x30, d <= 0x37 else {
                    throw CELSyntaxError(.invalidEscape(text(escStart)), start: escStart, end: pos)
                }
                value = value * 8 + UInt32(d - 0x30)
                pos += 1
            }
            if isBytes { out.append(UInt8(value)) } else { try appendScalar(value) }
        default:
            pos += 1
            throw CELSyntaxError(.invalidEscape(text(escStart)), start: escStart, end: pos)
        }
    }
}

extension Lexer {
    /// The value of a `\uDC00`…`\uDFFF` escape starting at byte `i`, if there is one.
    fileprivate func lowSurrogate(at i: Int) -> UInt32? {
        guard i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else { return nil }
        guard let value = UInt32(String(decoding: bytes[i + 2..<i + 6], as: UTF8.self), radix: 16),
              value >= 0xDC00, value <= 0xDFFF
        else { return nil }
        return value
    }
}

extension String {
    func trimmingLeadingZeros() -> String {
        let trimmed = self.drop { $0 == "0" }
        return trimmed.isEmpty ? "0" : String(trimmed)
    }
}
