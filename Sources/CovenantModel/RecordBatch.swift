/// A run of consecutive records whose decoding may happen on any thread: the unit the engine
/// spreads over its workers. A reader that holds raw lines hands them over undecoded, so that the
/// costly part — parsing — is done in parallel too; records already in memory are a batch as well.
public struct RecordBatch: Sendable {
    /// How many records readers put in one batch.
    public static let standardSize = 2048

    /// Number of records.
    public let count: Int
    private let decode: @Sendable (Int) -> IncidentRecord

    /// A batch of `count` records, the `i`th made by `decode(i)` (called once per record, from any thread).
    public init(count: Int, decode: @escaping @Sendable (Int) -> IncidentRecord) {
        self.count = count
        self.decode = decode
    }

    /// A batch of records already decoded.
    public init(_ records: [IncidentRecord]) {
        self.count = records.count
        self.decode = { records[$0] }
    }

    /// The `i`th record (decoded now).
    public subscript(i: Int) -> IncidentRecord { decode(i) }
}

/// Groups records read one at a time into batches of ``RecordBatch/standardSize``.
public struct RecordBatcher {
    private var pending: [IncidentRecord] = []

    public init() {}

    /// Adds a record; returns a full batch when this one completes it.
    public mutating func add(_ record: IncidentRecord) -> RecordBatch? {
        pending.append(record)
        guard pending.count >= RecordBatch.standardSize else { return nil }
        defer { pending.removeAll(keepingCapacity: true) }
        return RecordBatch(pending)
    }

    /// The records not yet handed over, if any.
    public mutating func finish() -> RecordBatch? {
        guard !pending.isEmpty else { return nil }
        defer { pending = [] }
        return RecordBatch(pending)
    }
}
