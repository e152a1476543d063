import CForesightSupport

/// A set of dense customer ids as bits (64 per word): an insert (which says whether it was new) is a shift and a mask, where a
/// `Set<UInt32>` of 400k customers hashed and missed the cache on each.
struct CustomerBits: Sendable {
    private(set) var words: [UInt64] = []

    init() {}

    /// - Returns: whether `c` was not in the set.
    @inline(__always) @discardableResult
    mutating func insert(_ c: UInt32) -> Bool {
        let w = Int(c >> 6), bit = UInt64(1) << UInt64(c & 63)
        if w >= words.count { words += [UInt64](repeating: 0, count: max(w + 1 - words.count, words.count, 256)) }
        let old = words[w]
        words[w] = old | bit
        return old & bit == 0
    }
}

/// Bits in lanes (one per trigger and kind) per customer, each customer's side by side (``stride`` words: one for up to 64
/// lanes). An event tests and sets the bits of several triggers for its customer: a set per trigger made
/// that one cache miss per trigger (each set 50 KB at 400k customers); here it is one, and the next line's
/// customer's word can be loaded ahead (``prefetch(_:)``).
struct TriggerBits: Sendable {
    let lanes: Int
    let stride: Int
    private(set) var words: [UInt64] = []

    init(lanes: Int) {
        self.lanes = lanes
        stride = max(1, (lanes + 63) / 64)
    }

    @inline(__always)
    private func word(_ t: Int, _ c: UInt32) -> Int { Int(c) &* stride &+ (t >> 6) }

    @inline(__always)
    func contains(_ t: Int, _ c: UInt32) -> Bool {
        let i = word(t, c)
        return i < words.count && words[i] & (UInt64(1) << UInt64(t & 63)) != 0
    }

    @inline(__always)
    mutating func insert(_ t: Int, _ c: UInt32) {
        let i = word(t, c)
        if i >= words.count {
            // Geometric growth, in whole customers.
            let customers = max(Int(c) + 1, 2 * (words.count / stride), 1024)
            words += [UInt64](repeating: 0, count: customers * stride - words.count)
        }
        words[i] |= UInt64(1) << UInt64(t & 63)
    }

    @inline(__always)
    mutating func remove(_ t: Int, _ c: UInt32) {
        let i = word(t, c)
        guard i < words.count else { return }
        let bit = UInt64(1) << UInt64(t & 63)
        if words[i] & bit != 0 { words[i] &= ~bit }
    }

    /// Sets lane `t` of customer `c` to `value` (a bit that does not change is not written).
    @inline(__always)
    mutating func set(_ t: Int, _ c: UInt32, _ value: Bool) {
        guard contains(t, c) != value else { return }
        if value { insert(t, c) } else { remove(t, c) }
    }

    /// Clears lanes `lanes` of every customer.
    mutating func clear(lanes range: Range<Int>) {
        guard !range.isEmpty else { return }
        var mask = [UInt64](repeating: ~0, count: stride)
        for t in range where t < lanes { mask[t >> 6] &= ~(UInt64(1) << UInt64(t & 63)) }
        for i in words.indices where words[i] & ~mask[i % stride] != 0 { words[i] &= mask[i % stride] }
    }

    /// The customers in lane `t`, ascending.
    func members(_ t: Int) -> [UInt32] {
        var out: [UInt32] = []
        let bit = UInt64(1) << UInt64(t & 63)
        var i = t >> 6, c: UInt32 = 0
        while i < words.count {
            if words[i] & bit != 0 { out.append(c) }
            i += stride
            c += 1
        }
        return out
    }

    /// Starts loading customer `c`'s word (or words).
    @inline(__always)
    func prefetch(_ c: UInt32) {
        words.withUnsafeBufferPointer { w in
            let i = Int(c) &* stride
            if i < w.count, let base = w.baseAddress { foresight_prefetch_write(base + i) }
        }
    }

    /// The table after an erasure: the erased customers' words gone, the others' moved down with them.
    func renumbered(_ r: CustomerRenumbering) -> TriggerBits {
        var out = TriggerBits(lanes: lanes)
        out.words.reserveCapacity(words.count)
        for c in 0..<(words.count / stride) where r.id(UInt32(c)) != nil {
            out.words += words[(c * stride)..<((c + 1) * stride)]
        }
        return out
    }
}
