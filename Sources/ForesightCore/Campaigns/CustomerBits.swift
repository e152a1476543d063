/// A set of dense customer ids as bits (64 per word): an insert or a test is a shift and a mask, where a
/// `Set<UInt32>` of 400k customers hashed and missed the cache on each.
struct CustomerBits: Sendable {
    private(set) var words: [UInt64] = []

    init() {}

    init(_ members: some Sequence<UInt32>) {
        for c in members { insert(c) }
    }

    init(words: [UInt64]) { self.words = words }

    /// - Returns: whether `c` was not in the set.
    @inline(__always) @discardableResult
    mutating func insert(_ c: UInt32) -> Bool {
        let w = Int(c >> 6), bit = UInt64(1) << UInt64(c & 63)
        if w >= words.count { words += [UInt64](repeating: 0, count: max(w + 1 - words.count, words.count, 256)) }
        let old = words[w]
        words[w] = old | bit
        return old & bit == 0
    }

    @inline(__always)
    mutating func remove(_ c: UInt32) {
        let w = Int(c >> 6)
        guard w < words.count else { return }
        words[w] &= ~(UInt64(1) << UInt64(c & 63))
    }

    @inline(__always)
    func contains(_ c: UInt32) -> Bool {
        let w = Int(c >> 6)
        return w < words.count && words[w] & (UInt64(1) << UInt64(c & 63)) != 0
    }

    /// The members, ascending.
    var sorted: [UInt32] {
        var out: [UInt32] = []
        for w in words.indices where words[w] != 0 {
            var b = words[w]
            while b != 0 {
                out.append(UInt32(w << 6 | b.trailingZeroBitCount))
                b &= b - 1
            }
        }
        return out
    }

    /// The set after an erasure: the erased customers gone, the others renumbered.
    func renumbered(_ r: CustomerRenumbering) -> CustomerBits { CustomerBits(words: r.bits(words)) }
}
