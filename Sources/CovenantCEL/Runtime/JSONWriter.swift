/// Writes compact JSON token by token straight into bytes — the same bytes ``JSON/write(_:)``
/// writes for the equivalent ``Value`` — for callers that would otherwise build a value tree only
/// to serialise it (a verdict per output line).
public struct JSONWriter {
    /// What has been written.
    public private(set) var bytes: [UInt8] = []
    /// One bit per open container, innermost lowest: set once it holds an element.
    private var filled: UInt64 = 0
    private var depth = 0
    private var afterKey = false

    /// A writer with room for `capacity` bytes.
    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    /// The text written.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func element() {
        if afterKey {
            afterKey = false
            return
        }
        guard depth > 0 else { return }
        if filled & 1 != 0 { bytes.append(0x2C) }
        filled |= 1
    }

    private mutating func open(_ byte: UInt8) {
        element()
        precondition(depth < 64, "JSONWriter nests at most 64 containers")
        bytes.append(byte)
        filled <<= 1
        depth += 1
    }

    private mutating func close(_ byte: UInt8) {
        bytes.append(byte)
        filled >>= 1
        depth -= 1
    }

    public mutating func beginObject() { open(0x7B) }
    public mutating func endObject() { close(0x7D) }
    public mutating func beginArray() { open(0x5B) }
    public mutating func endArray() { close(0x5D) }

    /// An object member's key made at run time; the next value written is its value.
    public mutating func key(text name: String) {
        element()
        JSON.writeString(name, into: &bytes)
        bytes.append(0x3A)
        afterKey = true
    }

    /// An object member's key known when the program is written (a field name); the next value
    /// written is its value. Its bytes are copied as they are when nothing in them needs escaping.
    public mutating func key(_ name: StaticString) {
        guard name.hasPointerRepresentation else {
            key(text: name.description)
            return
        }
        let text = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        guard !text.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 >= 0x7F }) else {
            key(text: name.description)
            return
        }
        element()
        bytes.append(0x22)
        bytes.append(contentsOf: text)
        bytes.append(0x22)
        bytes.append(0x3A)
        afterKey = true
    }

    public mutating func string(_ s: String) {
        element()
        JSON.writeString(s, into: &bytes)
    }

    /// One string of `text`, a separator and the decimal digits of `number` — `file:line` — written
    /// without joining them into a string first.
    public mutating func string(_ text: String, separator: Character = ":", number: Int) {
        element()
        bytes.append(0x22)
        JSON.writeStringContent(text, into: &bytes)
        JSON.writeStringContent(String(separator), into: &bytes)
        JSON.appendInteger(Int64(number), into: &bytes)
        bytes.append(0x22)
    }

    /// A timestamp as its RFC 3339 string (``Timestamp/rfc3339``), written without making the string.
    public mutating func timestamp(_ t: Timestamp) {
        element()
        bytes.append(0x22)
        t.writeRFC3339(into: &bytes)
        bytes.append(0x22)
    }

    public mutating func int(_ i: Int64) {
        element()
        JSON.appendInteger(i, into: &bytes)
    }

    public mutating func null() {
        element()
        bytes.append(contentsOf: "null".utf8)
    }

    /// An array of `items`, each written by `element`.
    @inlinable
    public mutating func array<C: Collection>(_ items: C, _ element: (inout JSONWriter, C.Element) -> Void) {
        beginArray()
        for item in items { element(&self, item) }
        endArray()
    }

    /// An object whose members `members` writes.
    @inlinable
    public mutating func object(_ members: (inout JSONWriter) -> Void) {
        beginObject()
        members(&self)
        endObject()
    }

    /// A byte outside the JSON document (e.g. the newline that ends an NDJSON line).
    public mutating func raw(_ byte: UInt8) { bytes.append(byte) }

    /// Any value, as ``JSON/write(_:)`` writes it.
    public mutating func value(_ v: Value) {
        element()
        JSON.write(v, into: &bytes)
    }
}
