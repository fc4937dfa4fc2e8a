/// Decimal digits written straight into bytes, zero-padded to a width: how times and dates are
/// spelled without building strings (an RFC 3339 timestamp per verdict, a local date per record).
package enum ZeroPadded {
    /// Writes `value` (≥ 0, fewer than `width` + 1 digits) as exactly `width` digits at `at`.
    @inline(__always)
    package static func write(_ value: Int, width: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at: Int) {
        var v = value
        for k in stride(from: at + width - 1, through: at, by: -1) {
            buffer[k] = UInt8(0x30 + v % 10)
            v /= 10
        }
    }
}
