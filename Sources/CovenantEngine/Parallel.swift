import Dispatch

/// Data parallelism over index ranges, on Dispatch's thread pool.
enum Parallel {
    /// `[transform(0), transform(1), …, transform(count - 1)]`, computed in contiguous stripes of
    /// at least ``minimumStripe`` indices: at most `workers` stripes, or — `nil` — as many as Dispatch
    /// balances over the active cores. The order of the result is the order of the indices.
    static func map<T>(_ count: Int, workers: Int?, _ transform: (Int) -> T) -> [T] {
        let stripes = min(workers ?? Int.max, count / minimumStripe)
        if stripes <= 1 {
            // A loop over `Int`s: `(0..<count).map` — when `T` is generic, not specialized — stepped
            // its range through protocol witnesses, a thousand instructions per element.
            return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                var i = 0
                while i < count {
                    (buffer.baseAddress! + i).initialize(to: transform(i))
                    i += 1
                    initialized = i
                }
            }
        }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = UncheckedPointer(buffer.baseAddress!)
            withoutActuallyEscaping(transform) { transform in
                let work = UncheckedClosure(transform)
                DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
                    let lower = count * stripe / stripes
                    let upper = count * (stripe + 1) / stripes
                    for i in lower..<upper { (base.pointer + i).initialize(to: work.body(i)) }
                }
            }
            initialized = count
        }
    }

    /// Fewer items than this per thread are not worth a thread.
    static let minimumStripe = 128
}

/// A pointer handed to worker threads that write disjoint elements through it.
private struct UncheckedPointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

/// A closure called from worker threads; what it reads is immutable for the duration of the call.
private struct UncheckedClosure<T>: @unchecked Sendable {
    let body: (Int) -> T
    init(_ body: @escaping (Int) -> T) { self.body = body }
}

/// Work started now — on a Dispatch thread, or at once on this one when `async` is false — whose
/// result is collected later with ``wait()``.
final class Pending<T>: @unchecked Sendable {
    // `result` is written once, by the work, before `done` is signalled; read only after `wait`.
    private var result: [T] = []
    private let done = DispatchSemaphore(value: 0)

    /// Work that someone else finishes: the result is handed over with ``fulfil(_:)``.
    init() {}

    init(async: Bool, _ work: @escaping @Sendable () -> [T]) {
        guard async else {
            result = work()
            done.signal()
            return
        }
        DispatchQueue.global().async {
            self.result = work()
            self.done.signal()
        }
    }

    /// `transform` over `count` indices (see ``Parallel/map(_:workers:_:)``), started now.
    convenience init(async: Bool, count: Int, workers: Int?, _ transform: @escaping @Sendable (Int) -> T) {
        self.init(async: async) { Parallel.map(count, workers: workers, transform) }
    }

    /// Hands over the result of work begun with ``init()``. Call once.
    func fulfil(_ result: [T]) {
        self.result = result
        done.signal()
    }

    /// The result (waiting for it when the work is still running). Call once. The result is moved
    /// out, not shared: whoever drops it last frees it — often a later stage on a worker, not the
    /// caller.
    func wait() -> [T] {
        done.wait()
        defer { result = [] }
        return result
    }
}

/// Batches at work, oldest first: up to `depth` run ahead on Dispatch threads while the caller
/// takes in the oldest, in order. With more than one batch ahead the workers stay busy while the
/// caller's own share (tallying, numbering offences, writing) runs.
struct Pipeline<T, Context> {
    let depth: Int
    private var queue: [(context: Context, work: Pending<T>)] = []

    init(depth: Int) { self.depth = max(0, depth) }

    /// Adds work already started; takes in, oldest first, whatever is now more than `depth` behind.
    mutating func add(_ context: Context, _ work: Pending<T>, take: (Context, consuming [T]) throws -> Void) rethrows {
        queue.append((context, work))
        while queue.count > depth {
            let (context, work) = queue.removeFirst()
            try take(context, work.wait())
        }
    }

    /// Takes in everything still at work, oldest first.
    mutating func drain(take: (Context, consuming [T]) throws -> Void) rethrows {
        while !queue.isEmpty {
            let (context, work) = queue.removeFirst()
            try take(context, work.wait())
        }
    }
}
