/// A fixed number of slots in memory of their own, freed with their holder: the per-batch tables
/// that worker threads and lanes write slot by slot, each its own slots (see ``LaneOutcomes``,
/// ``LaneInputs``). Not copyable, so the memory has one owner.
struct Slots<Element>: ~Copyable {
    let buffer: UnsafeMutableBufferPointer<Element>

    init(count: Int, repeating value: Element) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: value)
    }

    deinit {
        _ = buffer.deinitialize()
        buffer.deallocate()
    }
}
