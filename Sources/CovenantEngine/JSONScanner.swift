import CovenantCEL

/// A strict, give-up-early JSON tokenizer over valid UTF-8 bytes, for ``IncidentFastPath``.
///
/// Every method either recognises what it expects — and then accepts exactly what RFC 8259 (and
/// `JSON.parse`) accepts — or returns nil/false. Whatever it cannot take on cheaply (an escape in a
/// string, a 19-digit integer, deep nesting) sets ``gaveUp``: the caller then leaves the record to
/// the general reader, which either accepts it or reports the error with its position.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    /// Set when the input is not something this scanner decides on; the result must be discarded.
    private(set) var gaveUp = false

    /// Deepest nesting skipped (the general reader allows 128; deeper input goes to it).
    static let maxDepth = 64

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    @inline(__always)
    mutating func space() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    @inline(__always)
    private mutating func peek() -> UInt8? {
        space()
        return position < bytes.count ? bytes[position] : nil
    }

    /// Only blanks remain.
    mutating func atEnd() -> Bool {
        space()
        return position == bytes.count && !gaveUp
    }

    // MARK: - Tokens

    /// A string without escapes: the range of its bytes. Nil (nothing consumed) when the next token
    /// is not a string; nil with ``gaveUp`` set when it holds an escape or a control character.
    mutating func rawString() -> Range<Int>? {
        guard let base = bytes.baseAddress else { return nil }
        // Compact JSON: the string usually starts right here (no blanks to skip).
        if position >= bytes.count || base[position] != 0x22 {
            guard peek() == 0x22 else { return nil }
        }
        let start = position + 1
        // Most strings (keys, labels, ids) end within sixteen bytes: found in two words, no loop.
        if start + 16 <= bytes.count {
            let raw = UnsafeRawPointer(base + start)
            var special = Self.specialBytes(UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)))
            var offset = 0
            if special == 0 {
                special = Self.specialBytes(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
                offset = 8
            }
            if special != 0 {
                let end = start + offset + special.trailingZeroBitCount >> 3
                guard base[end] == 0x22 else {
                    gaveUp = true
                    return nil
                }
                position = end + 1
                return start..<end
            }
            return rawString(from: start, plainUpTo: start + 16)
        }
        return rawString(from: start, plainUpTo: start)
    }

    /// The rest of a string begun at `start`, its bytes before `plain` known to be plain.
    private mutating func rawString(from start: Int, plainUpTo plain: Int) -> Range<Int>? {
        var i = plainRun(from: plain)
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x22 {
                position = i + 1
                return start..<i
            }
            if c == 0x5C || c < 0x20 { break }
            i += 1
        }
        gaveUp = true
        return nil
    }

    /// Past the plain string bytes from `i`, eight at a time: the index of the first quote,
    /// backslash or control character, when it lies in a word of eight; else where fewer than eight
    /// bytes are left, for a byte loop to finish.
    @inline(__always)
    func plainRun(from i: Int) -> Int {
        guard let base = bytes.baseAddress else { return i }
        var i = i
        while i + 8 <= bytes.count {
            // Little-endian: the input's first byte is the word's lowest.
            let word = UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let special = Self.specialBytes(word)
            if special != 0 { return i + special.trailingZeroBitCount >> 3 }
            i += 8
        }
        return i
    }

    /// The high bit of each of eight bytes that may be `"`, `\` or below 0x20. The lowest flagged
    /// byte is always one of them (a borrow that flags a byte wrongly comes only from a flagged byte
    /// below it), so the first special byte of a word is found exactly.
    @inline(__always)
    static func specialBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let quote = w ^ (0x22 &* ones), backslash = w ^ (0x5C &* ones)
        let zeroQuote = (quote &- ones) & ~quote
        let zeroBackslash = (backslash &- ones) & ~backslash
        let control = (w &- 0x20 &* ones) & ~w
        return (zeroQuote | zeroBackslash | control) & highs
    }

    mutating func string() -> String? {
        rawString().map(text)
    }

    /// The text of a range of the input.
    func text(_ range: Range<Int>) -> String {
        JSONScanner.string(UnsafeBufferPointer(rebasing: bytes[range]))
    }

    /// A string of UTF-8 bytes. Up to fifteen bytes (ids, households, grids, labels) it is made
    /// in place, where the standard library checks an all-ASCII small string with a mask instead
    /// of validating it byte by byte (`String(decoding:as:)` cost ≈ 250 instructions a label);
    /// anything else is validated (and repaired) as usual.
    @inline(__always)
    static func string(_ utf8: UnsafeBufferPointer<UInt8>) -> String {
        let n = utf8.count
        guard n <= 15, let base = utf8.baseAddress else { return String(decoding: utf8, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: n) { buffer in
            buffer.baseAddress!.update(from: base, count: n)
            return n
        }
    }

    /// The incident time a range of the input spells (``IncidentParser/incidentTime(utf8:)``,
    /// without a string).
    func incidentTime(_ range: Range<Int>) -> Timestamp? {
        IncidentParser.incidentTime(utf8: UnsafeBufferPointer(rebasing: bytes[range]))
    }

    /// A copy of a range of the input.
    func bytes(_ range: Range<Int>) -> [UInt8] {
        Array(bytes[range])
    }

    /// Whether two ranges hold the same bytes.
    func same(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        a.count == b.count && bytes[a].elementsEqual(bytes[b])
    }

    /// Whether a range holds the UTF-8 of `string`.
    func equals(_ range: Range<Int>, _ string: StaticString) -> Bool {
        let n = string.utf8CodeUnitCount
        guard range.count == n else { return false }
        let expected = string.utf8Start
        for k in 0..<n where bytes[range.lowerBound + k] != expected[k] { return false }
        return true
    }

    /// The first sixteen bytes of a range as two little-endian words, zero past its end (two loads
    /// where the input allows, else byte by byte). Keys are compared with ``KeyName``s this way.
    @inline(__always)
    func words(_ range: Range<Int>) -> (UInt64, UInt64) {
        let n = range.count
        guard let base = bytes.baseAddress else { return (0, 0) }
        if range.lowerBound + 16 <= bytes.count {
            let raw = UnsafeRawPointer(base + range.lowerBound)
            let w0 = raw.loadUnaligned(as: UInt64.self), w1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            if n >= 16 { return (w0, w1) }
            if n >= 8 { return (w0, w1 & KeyName.low(n - 8)) }
            return (w0 & KeyName.low(n), 0)
        }
        return KeyName.words(UnsafeBufferPointer(rebasing: bytes[range]))
    }

    /// Whether a range holds `name`, given the range's ``words(_:)`` (for a name over sixteen bytes:
    /// whether it starts like it and is as long).
    @inline(__always)
    func matches(_ range: Range<Int>, _ words: (UInt64, UInt64), _ name: KeyName) -> Bool {
        name.count == range.count && name.w0 == words.0 && name.w1 == words.1
    }

    /// Which of `names` a range holds, compared a word at a time in place; the `expected` one is
    /// tried first (records usually list names in the declared order).
    func index(of range: Range<Int>, in names: KeyNames, tryingFirst expected: Int = 0) -> Int? {
        let w = words(range)
        // Past sixteen bytes, names alike in length and start are told apart by their other bytes.
        let long = range.count > 16
        return names.words.withUnsafeBufferPointer { words in
            @inline(__always) func hit(_ i: Int) -> Bool {
                matches(range, w, words[i]) && (!long || equals(range, names.long[i]))
            }
            if expected < words.count, hit(expected) { return expected }
            for i in 0..<words.count where i != expected && hit(i) { return i }
            return nil
        }
    }

    /// Whether a range of the input holds exactly `name`'s bytes.
    @inline(__always)
    func equals(_ range: Range<Int>, _ name: [UInt8]) -> Bool {
        let n = range.count
        guard name.count == n, let base = bytes.baseAddress else { return false }
        let key = base + range.lowerBound
        return name.withUnsafeBufferPointer { p in
            var k = 0
            while k < n, p[k] == key[k] { k += 1 }
            return k == n
        }
    }

    /// `null` (consumed) or nothing.
    mutating func null() -> Bool { literal("null") }

    mutating func bool() -> Bool? {
        if literal("true") { return true }
        if literal("false") { return false }
        return nil
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        guard let first = peek(), first == word.utf8Start[0] else { return false }
        let n = word.utf8CodeUnitCount
        guard position + n <= bytes.count else { return false }
        for k in 0..<n where bytes[position + k] != word.utf8Start[k] { return false }
        position += n
        return true
    }

    enum Number { case int(Int64), double(Double) }

    /// A number as `JSON.parse` reads it: integers of up to 18 digits exactly, others as doubles.
    /// A longer integer or a double out of range sets ``gaveUp``.
    mutating func number() -> Number? {
        guard let first = peek(), first == 0x2D || (first >= 0x30 && first <= 0x39) else { return nil }
        let start = position
        var i = position
        if bytes[i] == 0x2D { i += 1 }
        let intStart = i
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
        let digits = i - intStart
        guard digits > 0, !(bytes[intStart] == 0x30 && digits > 1) else {
            gaveUp = true
            return nil
        }
        var isDouble = false
        if i < bytes.count, bytes[i] == 0x2E {
            isDouble = true
            i += 1
            let fraction = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            if i == fraction { gaveUp = true; return nil }
        }
        if i < bytes.count, bytes[i] == 0x65 || bytes[i] == 0x45 {
            isDouble = true
            i += 1
            if i < bytes.count, bytes[i] == 0x2B || bytes[i] == 0x2D { i += 1 }
            let exponent = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            if i == exponent { gaveUp = true; return nil }
        }
        position = i
        if !isDouble {
            guard digits <= 18 else { gaveUp = true; return nil }
            var n: Int64 = 0
            for k in intStart..<intStart + digits { n = n * 10 + Int64(bytes[k] &- 0x30) }
            return .int(intStart > start ? -n : n)
        }
        if let d = Self.shortDecimal(bytes, from: intStart, to: i, negative: intStart > start) { return .double(d) }
        guard let d = Double(text(start..<i)), d.isFinite else {
            gaveUp = true
            return nil
        }
        return .double(d)
    }

    /// A decimal without an exponent and of at most 15 digits (`2.5`, `-0.75`), exactly as
    /// `Double(String)` reads it: its digits as an integer (exact below 2^53) divided by a power of
    /// ten (exact up to 10^22) is one correctly rounded operation. Nil for anything else.
    static func shortDecimal(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to end: Int, negative: Bool) -> Double? {
        var mantissa: Int64 = 0
        var digits = 0
        var fraction = -1
        for k in from..<end {
            let c = bytes[k]
            if c == 0x2E { fraction = 0; continue }
            guard c >= 0x30, c <= 0x39 else { return nil }
            mantissa = mantissa * 10 + Int64(c &- 0x30)
            digits += 1
            if fraction >= 0 { fraction += 1 }
            if digits > 15 { return nil }
        }
        guard fraction > 0 else { return nil }
        let value = Double(mantissa) / powersOfTen[fraction]
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = (0...15).map { k in (0..<k).reduce(1.0) { r, _ in r * 10 } }

    /// A grouping label: a string, or an integer written as its digits.
    mutating func labelText() -> String? {
        label().map(text)
    }

    /// Where a label is: a string's bytes, or an integer (its text made only when needed).
    enum Label { case bytes(Range<Int>), int(Int64) }

    /// A grouping label, not yet made a string (see ``text(_:)-(Label)``).
    mutating func label() -> Label? {
        if let range = rawString() { return .bytes(range) }
        if case .int(let i)? = number() { return .int(i) }
        return nil
    }

    /// A label's text: a string's, or an integer's digits.
    func text(_ label: Label) -> String {
        switch label {
        case .bytes(let range): text(range)
        case .int(let i): String(i)
        }
    }

    // MARK: - Structures

    /// An object: `member` is called with each key's range, positioned at its value, and must consume
    /// the value (returning false to give up). False when the next token is not an object, or when
    /// a key repeats (which `JSON.parse` refuses).
    mutating func object(_ member: (inout JSONScanner, Range<Int>) -> Bool) -> Bool {
        guard let empty = enter(0x7B, closing: 0x7D) else { return false }
        if empty { return true }
        // The keys seen so far, for refusing a repeated one: on the stack for the usual handful,
        // in an array beyond that.
        return withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: Self.inlineKeys) { inline in
            var count = 0
            var more: [Range<Int>] = []
            func seen(_ key: Range<Int>) -> Bool {
                for k in 0..<min(count, Self.inlineKeys) where same(inline[k], key) { return true }
                return more.contains { same($0, key) }
            }
            while true {
                guard let key = rawString(), !seen(key), peek() == 0x3A else { return false }
                if count < Self.inlineKeys {
                    (inline.baseAddress! + count).initialize(to: key)
                } else {
                    more.append(key)
                }
                count += 1
                position += 1
                guard member(&self, key), !gaveUp else { return false }
                if let closed = next(closing: 0x7D) { return closed }
            }
        }
    }

    /// Steps into a container opened by `open`: nil (nothing consumed) when the next token is
    /// something else; true when it closes at once (consumed whole), false when elements follow.
    @inline(__always)
    private mutating func enter(_ open: UInt8, closing: UInt8) -> Bool? {
        guard peek() == open else { return nil }
        position += 1
        guard peek() == closing else { return false }
        position += 1
        return true
    }

    /// After an element: a comma (consumed; nil, another element follows), the container's closing
    /// bracket (consumed; true) or anything else (false).
    @inline(__always)
    private mutating func next(closing: UInt8) -> Bool? {
        switch peek() {
        case 0x2C?: position += 1; return nil
        case closing?: position += 1; return true
        default: return false
        }
    }

    /// Keys of an object checked for repeats without a heap allocation.
    static let inlineKeys = 24

    /// An array: `element` is called positioned at each element and must consume it.
    mutating func array(_ element: (inout JSONScanner) -> Bool) -> Bool {
        guard let empty = enter(0x5B, closing: 0x5D) else { return false }
        if empty { return true }
        while true {
            guard element(&self), !gaveUp else { return false }
            if let closed = next(closing: 0x5D) { return closed }
        }
    }

    /// Skips one value, checking it as strictly as `JSON.parse` does (duplicate keys included).
    mutating func skipValue(depth: Int) -> Bool {
        guard depth <= Self.maxDepth else {
            gaveUp = true
            return false
        }
        switch peek() {
        case 0x7B?:
            return object { s, _ in s.skipValue(depth: depth + 1) }
        case 0x5B?:
            return array { $0.skipValue(depth: depth + 1) }
        case 0x22?:
            return rawString() != nil
        case 0x74?, 0x66?:
            return bool() != nil
        case 0x6E?:
            return null()
        case nil:
            return false
        default:
            return number() != nil
        }
    }

    // MARK: - Unchecked skipping

    /// The members of an object, keys as ranges, without checking for repeated keys: for readers
    /// that take only known keys and catch a repeat themselves (a bit per known name), and for those
    /// that only look for a few fields and may accept what is not valid JSON (see ``skipUnchecked()``).
    /// (It repeats ``object(_:)``'s loop without the check: one loop with a flag measured 4 % more
    /// instructions for a whole `tally`.)
    mutating func membersUnchecked(_ member: (inout JSONScanner, Range<Int>) -> Bool) -> Bool {
        guard let empty = enter(0x7B, closing: 0x7D) else { return false }
        if empty { return true }
        while true {
            guard let key = rawString(), peek() == 0x3A else { return false }
            position += 1
            guard member(&self, key), !gaveUp else { return false }
            if let closed = next(closing: 0x7D) { return closed }
        }
    }

    /// The members of an object whose keys are usually `names`, in that order (a record's envelope,
    /// `where`, a category's facts, as an app writes them): each key is first compared in place,
    /// a word at a time, with the name expected next and the one after it — no scan for the closing
    /// quote, no search of the names — and only otherwise read as a string and handed to `lookup`.
    /// `member` gets the key's index among `names` (nil: none of them) and its range.
    @inline(__always)
    mutating func membersPredicted(
        _ names: KeyNames, lookup: (JSONScanner, Range<Int>, _ expected: Int) -> Int?,
        _ member: (inout JSONScanner, Int?, Range<Int>) -> Bool
    ) -> Bool {
        guard let empty = enter(0x7B, closing: 0x7D) else { return false }
        if empty { return true }
        guard let base = bytes.baseAddress else { return false }
        let end = bytes.count
        return names.words.withUnsafeBufferPointer { words in
            var expected = 0
            while true {
                var index: Int?
                var key: Range<Int>?
                // The name expected next, and the one after it, compared in place (compact JSON:
                // the key's opening quote right here, sixteen bytes readable after it).
                let start = position + 1
                if start + 16 <= end, base[position] == 0x22 {
                    let raw = UnsafeRawPointer(base + start)
                    let w0 = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
                    let w1 = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                    var candidate = expected
                    let last = min(words.count, expected + 2)
                    while candidate < last {
                        let name = words[candidate]
                        let n = name.count
                        // (A sixteen-byte name's closing quote may lie past the sixteen bytes read.)
                        if name.plain, start + n < end, base[start + n] == 0x22, w0 & name.m0 == name.w0, w1 & name.m1 == name.w1 {
                            index = candidate
                            key = start..<(start + n)
                            position = start + n + 1
                            break
                        }
                        candidate += 1
                    }
                }
                if key == nil {
                    guard let k = rawString() else { return false }
                    key = k
                    index = lookup(self, k, expected)
                }
                guard let key, peek() == 0x3A else { return false }
                position += 1
                if let index { expected = index + 1 }
                guard member(&self, index, key), !gaveUp else { return false }
                if let closed = next(closing: 0x7D) { return closed }
            }
        }
    }

    /// Skips one value by its brackets and quotes alone, without checking what is inside. On valid
    /// JSON it ends exactly where ``skipValue(depth:)`` does; on invalid JSON it may accept, so use
    /// it only where an invalid record is refused elsewhere anyway.
    mutating func skipUnchecked() -> Bool {
        guard let first = peek() else { return false }
        var depth = 0
        var i = position
        if first != 0x7B, first != 0x5B, first != 0x22 {
            // A number or a literal: up to the next delimiter.
            scan: while i < bytes.count {
                switch bytes[i] {
                case 0x2C, 0x7D, 0x5D, 0x20, 0x09, 0x0A, 0x0D: break scan
                default: i += 1
                }
            }
            guard i > position else { return false }
            position = i
            return true
        }
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            switch c {
            case 0x22:
                // A string: to its closing quote, stepping over escapes (eight plain bytes at a time).
                i = plainRun(from: i)
                while i < bytes.count, bytes[i] != 0x22 { i += bytes[i] == 0x5C ? 2 : 1 }
                i += 1
                if depth == 0 { position = min(i, bytes.count); return i <= bytes.count }
            case 0x7B, 0x5B:
                depth += 1
            case 0x7D, 0x5D:
                depth -= 1
                if depth == 0 { position = i; return true }
            default:
                break
            }
        }
        return false
    }
}

/// A name keys are matched against (an envelope field, a fact, a zone, a category): its length and
/// its first sixteen bytes as two little-endian words, so that a key of the input is recognised in
/// two or three compares instead of a byte loop per candidate. A plain value (no reference
/// counting on the hot path); a longer name's other bytes are in ``KeyNames``.
struct KeyName: Sendable, Equatable {
    let count: Int
    let w0: UInt64
    let w1: UInt64

    /// At most sixteen bytes, none a quote, a backslash or a control byte: a key spelled as the
    /// name's bytes between two quotes is this name, and nothing else (see `membersPredicted`).
    let plain: Bool

    /// The masks that keep a key's first sixteen bytes to the name's length (both zero for a name
    /// that is not ``plain``, which then never matches in place).
    let m0: UInt64
    let m1: UInt64

    init(_ name: String) {
        count = name.utf8.count
        (w0, w1) = Self.words(name.utf8)
        plain = count <= 16 && name.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }
        m0 = count >= 8 ? ~0 : Self.low(count)
        m1 = count >= 16 ? ~0 : (count <= 8 ? 0 : Self.low(count - 8))
    }

    /// The first sixteen bytes as two little-endian words, zero past the end.
    static func words(_ bytes: some Collection<UInt8>) -> (UInt64, UInt64) {
        var w0: UInt64 = 0, w1: UInt64 = 0
        for (k, b) in bytes.prefix(16).enumerated() {
            if k < 8 { w0 |= UInt64(b) << UInt64(8 * k) } else { w1 |= UInt64(b) << UInt64(8 * (k - 8)) }
        }
        return (w0, w1)
    }

    /// The low `n` bytes of a word set (0 ≤ n < 8).
    @inline(__always)
    static func low(_ n: Int) -> UInt64 { n == 0 ? 0 : ~0 >> UInt64(64 - 8 * n) }
}

/// Names to find a key among (``JSONScanner/index(of:in:tryingFirst:)``).
struct KeyNames: Sendable {
    let words: [KeyName]
    /// Each name's bytes, when any is over sixteen bytes long (else empty).
    let long: [[UInt8]]

    init(_ names: [String]) {
        words = names.map(KeyName.init)
        long = names.contains { $0.utf8.count > 16 } ? names.map { Array($0.utf8) } : []
    }
}
