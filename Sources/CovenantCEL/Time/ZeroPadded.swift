/// Decimal digits written straight into bytes, zero-padded to a width: how times and dates are
/// spelled without building strings (an RFC 3339 timestamp per verdict, a local date per record).
package enum ZeroPadded {
    /// Writes `value` (≥ 0, fewer than `width` + 1 digits) as exactly `width` digits at `at`.
    /// Two and four digits — every field of a date and a time — are written a pair at a time.
    @inline(__always)
    package static func write(_ value: Int, width: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at: Int) {
        // Out of range, a pair would not be two digits (100 at width 2 is `:0`): every caller
        // guards its fields (dates of years 0–9999, times of day, nanoseconds).
        assert(value >= 0 && (width > 4 || value < [1, 10, 100, 1_000, 10_000][width]), "\(value) has more than \(width) digits")
        let v = UInt(bitPattern: value)
        switch width {
        case 2:
            pair(v, into: buffer, at: at)
        case 4:
            let high = v / 100
            pair(high, into: buffer, at: at)
            pair(v &- high &* 100, into: buffer, at: at + 2)
        default:
            var rest = v
            for k in stride(from: at + width - 1, through: at, by: -1) {
                buffer[k] = UInt8(truncatingIfNeeded: 0x30 &+ rest % 10)
                rest /= 10
            }
        }
    }

    /// The two digits of `v` (0...99).
    @inline(__always)
    static func pair(_ v: UInt, into buffer: UnsafeMutableBufferPointer<UInt8>, at: Int) {
        let tens = v / 10
        buffer[at] = UInt8(truncatingIfNeeded: 0x30 &+ tens)
        buffer[at + 1] = UInt8(truncatingIfNeeded: 0x30 &+ v &- tens &* 10)
    }
}
