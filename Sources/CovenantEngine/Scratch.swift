/// Where the engine may put what would not fit in memory: the offences of households whose records
/// are out of time order, when there are more of them than ``Engine/spillThreshold``. The engine
/// knows nothing of files: its host gives it a scratch space (the command line's keeps anonymous
/// files in `TMPDIR`, gone when the run ends).
public protocol ScratchSpace: Sendable {
    /// A new, empty scratch file, written once from its start and then read back from its start.
    func makeFile() throws -> any ScratchFile
}

/// One scratch file: written sequentially, then rewound and read sequentially. Used by one thread
/// at a time; dropped (and its space released) when the engine no longer needs it.
public protocol ScratchFile: AnyObject {
    /// Appends bytes at the end.
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Ends writing; reading starts from the first byte.
    func rewind() throws
    /// Reads up to `buffer.count` bytes into `buffer`; returns how many (0 at the end).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// A scratch space in memory (the runs are kept as compact bytes): for hosts that may not write
/// files, and for the tests, which make the engine spill after a handful of violations.
public struct MemoryScratchSpace: ScratchSpace {
    public init() {}

    public func makeFile() throws -> any ScratchFile { MemoryScratchFile() }
}

private final class MemoryScratchFile: ScratchFile {
    private var bytes: [UInt8] = []
    private var position = 0

    func write(_ bytes: UnsafeRawBufferPointer) throws { self.bytes.append(contentsOf: bytes) }

    func rewind() throws { position = 0 }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - position)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { from in
            buffer.baseAddress!.copyMemory(from: from.baseAddress! + position, byteCount: n)
        }
        position += n
        return n
    }
}

/// Fixed-width little-endian fields and byte strings, encoded into memory.
struct ScratchBytes {
    private(set) var bytes: [UInt8] = []

    var count: Int { bytes.count }

    @inline(__always)
    mutating func put<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A length (UInt32) and the bytes.
    mutating func put(bytes more: some Collection<UInt8>) {
        put(UInt32(truncatingIfNeeded: more.count))
        bytes.append(contentsOf: more)
    }

    mutating func reserve(_ n: Int) { bytes.reserveCapacity(n) }

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }
}

/// ``ScratchBytes`` appended to a scratch file through a buffer: encode with `buffer`, then call
/// `flushIfFull`.
struct ScratchWriter {
    let file: any ScratchFile
    var buffer = ScratchBytes()
    private static let flushAt = 1 << 20

    init(_ file: any ScratchFile) {
        self.file = file
        buffer.reserve(Self.flushAt + 4096)
    }

    /// Writes out the buffer once it is large (call after each item).
    mutating func flushIfFull() throws {
        if buffer.count >= Self.flushAt { try flush() }
    }

    /// Writes out the buffer.
    mutating func flush() throws {
        guard buffer.count > 0 else { return }
        try buffer.bytes.withUnsafeBytes { try file.write($0) }
        buffer.removeAll()
    }

    /// Flushes and rewinds the file for reading.
    mutating func finish() throws -> any ScratchFile {
        try flush()
        buffer = ScratchBytes()
        try file.rewind()
        return file
    }
}

/// Reads back what a ``ScratchWriter`` wrote, through a buffer.
struct ScratchReader {
    private let file: any ScratchFile
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0

    init(_ file: any ScratchFile, bufferSize: Int = 1 << 16) {
        self.file = file
        buffer = [UInt8](repeating: 0, count: bufferSize)
    }

    /// Makes at least `n` bytes available from `start`; false at a clean end of the file (no byte
    /// left). A file that ends inside an item was cut short: an error.
    private mutating func fill(_ n: Int) throws -> Bool {
        if end - start >= n { return true }
        if start > 0 {
            let left = end - start
            buffer.withUnsafeMutableBytes { b in
                if left > 0 { b.baseAddress!.copyMemory(from: b.baseAddress! + start, byteCount: left) }
            }
            start = 0
            end = left
        }
        if buffer.count < n { buffer.append(contentsOf: repeatElement(0, count: n - buffer.count)) }
        while end < n {
            let got = try buffer.withUnsafeMutableBytes { b in
                try file.read(into: UnsafeMutableRawBufferPointer(rebasing: b[end...]))
            }
            if got == 0 {
                if end == 0 { return false }
                throw ScratchError.truncated
            }
            end += got
        }
        return true
    }

    /// Whether another item follows.
    mutating func hasMore() throws -> Bool { try fill(1) }

    mutating func get<T: FixedWidthInteger>(_: T.Type = T.self) throws -> T {
        guard try fill(MemoryLayout<T>.size) else { throw ScratchError.truncated }
        var value = T.zero
        withUnsafeMutableBytes(of: &value) { v in
            buffer.withUnsafeBytes { v.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[start..<start + MemoryLayout<T>.size])) }
        }
        start += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    /// A length and the bytes, as encoded by `ScratchBytes.put(bytes:)`.
    mutating func getBytes() throws -> [UInt8] {
        let n = Int(try get(UInt32.self))
        guard try fill(n) else { throw ScratchError.truncated }
        defer { start += n }
        return Array(buffer[start..<start + n])
    }
}

/// What can go wrong with the engine's scratch files (the host's own errors pass through as they are).
public enum ScratchError: Error, Sendable, Equatable {
    /// A scratch file ended in the middle of an item, or holds one that is not what was written:
    /// it was changed or cut short while in use.
    case truncated
}
