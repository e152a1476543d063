/// A fast 64-bit hash of a byte run, used for interning and duplicate detection.
///
/// Eight bytes at a time with a multiply–xorshift step and a SplitMix64 finaliser: good enough spread for
/// open-addressing tables and for 64-bit fingerprints of message ids (10M ids collide with probability
/// about 3e-6).
/// - Parameters:
///   - base: the first byte; may be nil when `count` is 0.
///   - count: the number of bytes.
/// - Complexity: O(count).
@inlinable @inline(__always)
public func hashBytes(_ base: UnsafeRawPointer?, _ count: Int) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ (UInt64(truncatingIfNeeded: count) &* 0xD6E8_FEB8_6659_FD93)
    if let base, count > 0 {
        var i = 0
        while i &+ 8 <= count {
            let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i &+= 8
        }
        if i < count {
            // The last 1–7 bytes as one little-endian word, zero-padded. Loaded without a byte loop: from
            // the word ending at the last byte when the key has 8 bytes or more, else from two overlapping
            // loads of 4, 2 or 1 bytes (the overlap holds the same bytes twice, so OR-ing them is exact).
            let r = count &- i
            var w: UInt64
            if count >= 8 {
                w = base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self) >> UInt64((8 &- r) &* 8)
            } else if r >= 4 {
                w = UInt64(base.loadUnaligned(as: UInt32.self))
                    | UInt64(base.loadUnaligned(fromByteOffset: r &- 4, as: UInt32.self)) << UInt64((r &- 4) &* 8)
            } else if r >= 2 {
                w = UInt64(base.loadUnaligned(as: UInt16.self))
                    | UInt64(base.loadUnaligned(fromByteOffset: r &- 2, as: UInt16.self)) << UInt64((r &- 2) &* 8)
            } else {
                w = UInt64(base.load(as: UInt8.self))
            }
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
        }
    }
    h = (h ^ (h >> 30)) &* 0xBF58_476D_1CE4_E5B9
    h = (h ^ (h >> 27)) &* 0x94D0_49BB_1331_11EB
    return h ^ (h >> 31)
}

/// Hashes a buffer with ``hashBytes(_:_:)``.
@inlinable @inline(__always)
public func hashBytes(_ buffer: UnsafeRawBufferPointer) -> UInt64 {
    hashBytes(buffer.baseAddress, buffer.count)
}

/// Hashes the UTF-8 bytes of a string with ``hashBytes(_:_:)``.
public func hashString(_ string: String) -> UInt64 {
    var s = string
    return s.withUTF8 { hashBytes(UnsafeRawBufferPointer($0)) }
}
