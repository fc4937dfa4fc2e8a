/// Checks the raw bytes before libyaml sees them: foreign encodings, malformed UTF-8, and the
/// control characters YAML forbids, each at the offset of the first offending byte.
enum UTF8Validation {
    /// What is wrong with the bytes.
    enum Problem: Equatable {
        /// The first byte of an ill-formed UTF-8 sequence, at `offset`.
        case invalidByte(offset: Int, byte: UInt8)
        /// A well-formed character YAML does not allow, starting at `offset`.
        case controlCharacter(offset: Int, value: UInt32)
    }

    /// The UTF-8 byte order mark.
    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Whether `bytes` start with the UTF-8 BOM.
    static func hasBOM(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }

    /// `"UTF-16"` or `"UTF-32"` when the first bytes are such a BOM or show the NUL pattern of
    /// those encodings (the YAML spec's own encoding detection), nil otherwise.
    static func foreignEncoding(_ b: [UInt8]) -> String? {
        if b.count >= 4 {
            if b[0] == 0x00, b[1] == 0x00, b[2] == 0xFE, b[3] == 0xFF { return "UTF-32" }
            if b[0] == 0xFF, b[1] == 0xFE, b[2] == 0x00, b[3] == 0x00 { return "UTF-32" }
            if b[0] == 0x00, b[1] == 0x00, b[2] == 0x00, b[3] != 0x00 { return "UTF-32" }
            if b[0] != 0x00, b[1] == 0x00, b[2] == 0x00, b[3] == 0x00 { return "UTF-32" }
        }
        if b.count >= 2 {
            if (b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE) { return "UTF-16" }
            if (b[0] == 0x00) != (b[1] == 0x00) { return "UTF-16" }
        }
        return nil
    }

    /// Whether libyaml's reader accepts the character (YAML's printable set).
    static func isAllowed(_ v: UInt32) -> Bool {
        v == 0x09 || v == 0x0A || v == 0x0D || (v >= 0x20 && v <= 0x7E) || v == 0x85
            || (v >= 0xA0 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || (v >= 0x10000 && v <= 0x10FFFF)
    }

    /// The first problem in `bytes`, or nil when they are well-formed UTF-8 of allowed characters.
    static func firstProblem(in bytes: [UInt8]) -> Problem? {
        let count = bytes.count
        var i = 0
        while i < count {
            let lead = bytes[i]
            if lead < 0x80 {
                if !isAllowed(UInt32(lead)) { return .controlCharacter(offset: i, value: UInt32(lead)) }
                i += 1
                continue
            }
            // Well-formed sequences (Unicode Table 3-7): the allowed range of the second byte
            // depends on the lead, the remaining bytes are 80...BF.
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return .invalidByte(offset: i, byte: lead)
            }
            guard i + length <= count else { return .invalidByte(offset: i, byte: lead) }
            let second = bytes[i + 1]
            guard second >= low, second <= high else { return .invalidByte(offset: i, byte: lead) }
            var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            value = value << 6 | UInt32(second & 0x3F)
            var k = 2
            while k < length {
                let next = bytes[i + k]
                guard next & 0xC0 == 0x80 else { return .invalidByte(offset: i, byte: lead) }
                value = value << 6 | UInt32(next & 0x3F)
                k += 1
            }
            if !isAllowed(value) { return .controlCharacter(offset: i, value: value) }
            i += length
        }
        return nil
    }
}
