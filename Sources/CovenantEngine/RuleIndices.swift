/// Indices of rules (into `convention.rules`), in the order added — what a judgement lists as
/// violated or complied with. A record meets a handful of its category's rules, so up to six are
/// kept inline and a judgement needs no allocation for them; more (or an index beyond 16 bits) go
/// to an array.
struct RuleIndices: RandomAccessCollection, Equatable, Sendable, ExpressibleByArrayLiteral {
    private var small: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0, 0, 0)
    private var smallCount: UInt8 = 0
    /// Every index, once they no longer fit inline (`small` is then unused).
    private var large: [Int]?

    static let inlineCapacity = 6

    init() {}

    init(_ indices: some Sequence<Int>) {
        for i in indices { append(i) }
    }

    init(arrayLiteral elements: Int...) { self.init(elements) }

    var startIndex: Int { 0 }
    var endIndex: Int { large?.count ?? Int(smallCount) }

    subscript(position: Int) -> Int {
        if let large { return large[position] }
        precondition(position >= 0 && position < Int(smallCount), "rule index out of range")
        return withUnsafeBytes(of: small) { Int($0.load(fromByteOffset: position &* 2, as: UInt16.self)) }
    }

    mutating func append(_ index: Int) {
        if large != nil {
            large!.append(index)
            return
        }
        if Int(smallCount) < Self.inlineCapacity, let value = UInt16(exactly: index) {
            let offset = Int(smallCount) &* 2
            withUnsafeMutableBytes(of: &small) { $0.storeBytes(of: value, toByteOffset: offset, as: UInt16.self) }
            smallCount += 1
            return
        }
        var all = Array(self)
        all.append(index)
        large = all
    }

    static func == (a: RuleIndices, b: RuleIndices) -> Bool { a.elementsEqual(b) }
}

