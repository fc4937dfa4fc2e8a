/// An append-only array stored in fixed-size chunks: growing it never copies what it holds, so its
/// peak memory is its size (an `Array` that doubles briefly holds both the old and the new buffer —
/// for the millions of violations the offence index keeps, hundreds of megabytes).
struct ChunkedArray<Element>: Sendable where Element: Sendable {
    private static var chunkBits: Int { 16 }
    private static var chunkSize: Int { 1 << chunkBits }
    private var chunks: [[Element]] = []
    private(set) var count = 0

    init() {}

    var last: Element? { count == 0 ? nil : self[count - 1] }

    mutating func append(_ element: Element) {
        if count & (Self.chunkSize - 1) == 0 {
            // The first chunk grows as an array does (small inputs stay small); later ones are made whole.
            var chunk: [Element] = []
            if count > 0 { chunk.reserveCapacity(Self.chunkSize) }
            chunks.append(chunk)
        }
        chunks[chunks.count - 1].append(element)
        count += 1
    }

    subscript(i: Int) -> Element {
        chunks[i >> Self.chunkBits][i & (Self.chunkSize - 1)]
    }
}
