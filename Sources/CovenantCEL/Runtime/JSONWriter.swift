/// Writes compact JSON token by token straight into bytes — the same bytes ``JSON/write(_:)``
/// writes for the equivalent ``Value`` — for callers that would otherwise build a value tree only
/// to serialise it (a verdict per output line). Not copyable: it owns the memory it writes into,
/// so each token is a copy into place, with no check that the memory is its own alone (an array's
/// uniqueness check per write was a tenth of a verdict's writing).
package struct JSONWriter: ~Copyable {
    /// What has been written is `base[..<length]`; the rest, up to `capacity`, is room.
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var length = 0
    /// One bit per open container, innermost lowest: set once it holds an element.
    private var filled: UInt64 = 0
    private var depth = 0
    private var afterKey = false

    /// A writer with room for `capacity` bytes (it grows as needed).
    package init(capacity: Int = 256) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// What has been written.
    package var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: length)) }

    /// The text written.
    package var text: String { String(decoding: UnsafeBufferPointer(start: base, count: length), as: UTF8.self) }

    /// What has been written, as bytes; the writer is empty afterwards.
    package mutating func takeBytes() -> [UInt8] {
        let out = bytes
        length = 0
        filled = 0
        depth = 0
        afterKey = false
        return out
    }

    /// Calls `body` with room for `count` bytes at the end of the output; it returns how many it
    /// wrote (at most `count`).
    @inline(__always)
    private mutating func write(upTo count: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        if length + count > capacity { grow(to: length + count) }
        length += body(UnsafeMutableBufferPointer(start: base + length, count: count))
    }

    @inline(never)
    private mutating func grow(to needed: Int) {
        let bigger = max(needed, 2 * capacity)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
        moved.initialize(from: base, count: length)
        base.deallocate()
        base = moved
        capacity = bigger
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8) {
        write(upTo: 1) { b in
            b[0] = byte
            return 1
        }
    }

    /// Bytes as they are.
    @inline(__always)
    private mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        write(upTo: bytes.count) { b in
            if let from = bytes.baseAddress, !bytes.isEmpty { b.baseAddress!.initialize(from: from, count: bytes.count) }
            return bytes.count
        }
    }

    /// A JSON string's inside: copied as it is when nothing in it may need escaping, else escaped.
    private mutating func putStringContent(_ s: String) {
        if JSON.withPlainUTF8(s, { put($0) }) { return }
        var escaped: [UInt8] = []
        JSON.writeEscapedContent(s, into: &escaped)
        escaped.withUnsafeBufferPointer { put($0) }
    }

    private mutating func element() {
        if comma() == 1 { put(0x2C) }
    }

    /// Notes that an element begins; 1 when a comma must come before it, else 0 (it is the value
    /// of a key, the first of its container, or not in one). The writers of small tokens put the
    /// comma and the token in one write.
    @inline(__always)
    private mutating func comma() -> Int {
        if afterKey {
            afterKey = false
            return 0
        }
        guard depth > 0 else { return 0 }
        let c = Int(filled & 1)
        filled |= 1
        return c
    }

    /// Writes a comma when `c` is 1, then `count` bytes from `body` (given room for them, after
    /// the comma); returns nothing.
    @inline(__always)
    private mutating func write(comma c: Int, upTo count: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Int) {
        write(upTo: c + count) { b in
            if c == 1 { b[0] = 0x2C }
            return c + body(UnsafeMutableBufferPointer(rebasing: b[c...]))
        }
    }

    private mutating func open(_ byte: UInt8) {
        element()
        precondition(depth < 64, "JSONWriter nests at most 64 containers")
        put(byte)
        filled <<= 1
        depth += 1
    }

    private mutating func close(_ byte: UInt8) {
        put(byte)
        filled >>= 1
        depth -= 1
    }

    package mutating func beginObject() { open(0x7B) }
    package mutating func endObject() { close(0x7D) }
    package mutating func beginArray() { open(0x5B) }
    package mutating func endArray() { close(0x5D) }

    /// An object member's key made at run time; the next value written is its value.
    package mutating func key(text name: String) {
        element()
        put(0x22)
        putStringContent(name)
        put(0x22)
        put(0x3A)
        afterKey = true
    }

    /// An object member's key encoded once (``JSONKey``): its quotes, text and colon copied as they
    /// are (three word stores for a key of up to 24 bytes, else one copy); the next value written
    /// is its value.
    package mutating func key(_ key: JSONKey) {
        let c = comma()
        if key.count <= JSONKey.inlineBytes {
            // Stored in three words: copied as three unaligned stores into room for all of them
            // (bytes past the key are room, written over by what comes next).
            let needed = length + c + JSONKey.inlineBytes
            if needed > capacity { grow(to: needed) }
            let at = UnsafeMutableRawPointer(base + length)
            // The comma, stored either way: without one (`c` is 0) the key's first word covers it.
            at.storeBytes(of: 0x2C, as: UInt8.self)
            let to = at + c
            to.storeBytes(of: key.words.0, toByteOffset: 0, as: UInt64.self)
            to.storeBytes(of: key.words.1, toByteOffset: 8, as: UInt64.self)
            to.storeBytes(of: key.words.2, toByteOffset: 16, as: UInt64.self)
            length += c + key.count
        } else {
            key.long.withUnsafeBufferPointer { bytes in
                write(comma: c, upTo: bytes.count) { out in
                    out.baseAddress!.initialize(from: bytes.baseAddress!, count: bytes.count)
                    return bytes.count
                }
            }
        }
        afterKey = true
    }

    /// An object member's key known when the program is written (a field name); the next value
    /// written is its value. Its bytes are copied as they are when nothing in them needs escaping.
    /// (A key written for every record is better made a ``JSONKey`` once: this checks it each time.)
    package mutating func key(_ name: StaticString) {
        guard name.hasPointerRepresentation else {
            key(text: name.description)
            return
        }
        let text = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        guard JSON.isPlain(text) else {
            key(text: name.description)
            return
        }
        // The comma, the quotes, the name and the colon in one write.
        write(comma: comma(), upTo: text.count + 3) { b in
            b[0] = 0x22
            if !text.isEmpty { (b.baseAddress! + 1).initialize(from: text.baseAddress!, count: text.count) }
            b[text.count + 1] = 0x22
            b[text.count + 2] = 0x3A
            return text.count + 3
        }
        afterKey = true
    }

    package mutating func string(_ s: String) {
        let c = comma()
        // Plain text (the usual case): the comma, the quotes and the text in one write — from the
        // string's bytes read in place, in one closure (through `JSON.withPlainUTF8`'s, the write was
        // a call of its own).
        @inline(__always) func putPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard JSON.isPlain(bytes) else { return false }
            write(comma: c, upTo: bytes.count + 2) { out in
                out[0] = 0x22
                if let from = bytes.baseAddress, !bytes.isEmpty { (out.baseAddress! + 1).initialize(from: from, count: bytes.count) }
                out[bytes.count + 1] = 0x22
                return bytes.count + 2
            }
            return true
        }
        guard !JSON.withUTF8InPlace(s, putPlain) else { return }
        if c == 1 { put(0x2C) }
        put(0x22)
        putStringContent(s)
        put(0x22)
    }

    /// One string of `text`, a separator and the decimal digits of `number` — `file:line` — written
    /// without joining them into a string first.
    package mutating func string(_ text: String, separator: Character = ":", number: Int) {
        element()
        put(0x22)
        putStringContent(text)
        // The usual `:` as its byte, with no string made of it.
        if separator == ":" { put(0x3A) } else { putStringContent(String(separator)) }
        write(upTo: JSON.maxIntegerBytes) { JSON.writeInteger(Int64(number), to: $0) }
        put(0x22)
    }

    /// A timestamp as its RFC 3339 string (``Timestamp/rfc3339``), written without making the string.
    package mutating func timestamp(_ t: Timestamp) {
        write(comma: comma(), upTo: Timestamp.rfc3339MaxBytes + 2) { b in
            b[0] = 0x22
            let n = t.writeRFC3339(to: UnsafeMutableBufferPointer(rebasing: b[1...]))
            b[n + 1] = 0x22
            return n + 2
        }
    }

    package mutating func int(_ i: Int64) {
        write(comma: comma(), upTo: JSON.maxIntegerBytes) { JSON.writeInteger(i, to: $0) }
    }

    package mutating func null() {
        element()
        write(upTo: 4) { b in
            b[0] = 0x6E; b[1] = 0x75; b[2] = 0x6C; b[3] = 0x6C
            return 4
        }
    }

    /// An array of `items`, each written by `element`.
    @inlinable
    package mutating func array<C: Collection>(_ items: C, _ element: (inout JSONWriter, C.Element) -> Void) {
        beginArray()
        for item in items { element(&self, item) }
        endArray()
    }

    /// An object whose members `members` writes.
    @inlinable
    package mutating func object(_ members: (inout JSONWriter) -> Void) {
        beginObject()
        members(&self)
        endObject()
    }

    /// A byte outside the JSON document (e.g. the newline that ends an NDJSON line).
    package mutating func raw(_ byte: UInt8) { put(byte) }

    /// Any value, as ``JSON/write(_:)`` writes it.
    package mutating func value(_ v: Value) {
        element()
        var out: [UInt8] = []
        JSON.write(v, into: &out)
        out.withUnsafeBufferPointer { put($0) }
    }
}

/// An object member's key, encoded once — quotes, escaped text and colon — for writers that put
/// the same field names in every record (``JSONWriter/key(_:)-(JSONKey)``).
package struct JSONKey: Sendable {
    /// Keys of up to this many encoded bytes (quotes and colon included) are held in ``words``.
    static let inlineBytes = 24

    /// `"name":` as written, when it fits ``inlineBytes``: its bytes in order, the first in the
    /// lowest byte of the first word (stored as they are, little- or big-endian alike).
    let words: (UInt64, UInt64, UInt64)
    /// `"name":` as written, when it is longer.
    let long: [UInt8]
    /// How many bytes `"name":` takes.
    let count: Int

    package init(_ name: String) {
        var out: [UInt8] = [0x22]
        JSON.writeStringContent(name, into: &out)
        out += [0x22, 0x3A]
        count = out.count
        if out.count <= Self.inlineBytes {
            var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
            withUnsafeMutableBytes(of: &words) { $0.copyBytes(from: out) }
            self.words = words
            long = []
        } else {
            words = (0, 0, 0)
            long = out
        }
    }
}
