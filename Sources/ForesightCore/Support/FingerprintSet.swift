/// A set of 64-bit fingerprints (hashes of message ids) in one open-addressing table.
///
/// Eight bytes per entry at a load factor of at most 0.7: 10M message ids take 128 MiB, a fraction of
/// what a `Set<String>` would.
/// - Complexity: `insert` and `contains` are O(1) expected.
public struct FingerprintSet: Sendable {
    var slots: [UInt64]
    var mask: Int
    /// The number of fingerprints held.
    public internal(set) var count = 0

    /// Creates an empty set sized for about `capacity` fingerprints.
    public init(capacity: Int = 1 << 12) {
        var size = 16
        while Double(size) * 0.7 < Double(capacity) { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// The address of the table and its mask, for ``PrefetchHints`` (an integer: only ever prefetched).
    var tableHint: (address: UInt, mask: Int) {
        (slots.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }, mask)
    }

    /// Bytes held by the table.
    public var byteSize: Int { slots.count * 8 }

    /// Adds a fingerprint; returns false when it was already present.
    @inlinable
    public mutating func insert(_ fingerprint: UInt64) -> Bool {
        insertFP(fingerprint == 0 ? 1 : fingerprint)
    }

    @usableFromInline
    mutating func insertFP(_ fp: UInt64) -> Bool {
        if Double(count + 1) > Double(slots.count) * 0.7 { grow() }
        var slot = Int(truncatingIfNeeded: fp) & mask
        let inserted: Bool = slots.withUnsafeMutableBufferPointer { table in
            while true {
                let v = table[slot]
                if v == fp { return false }
                if v == 0 { table[slot] = fp; return true }
                slot = (slot &+ 1) & mask
            }
        }
        if inserted { count += 1 }
        return inserted
    }

    /// Whether the fingerprint is present.
    public func contains(_ fingerprint: UInt64) -> Bool {
        let fp = fingerprint == 0 ? 1 : fingerprint
        var slot = Int(truncatingIfNeeded: fp) & mask
        while true {
            let v = slots[slot]
            if v == fp { return true }
            if v == 0 { return false }
            slot = (slot &+ 1) & mask
        }
    }

    /// Calls `body` with every fingerprint held, in table order, without building an array (the duplicate
    /// window rebuilds its filter from a 2 MiB table once a day of event time).
    func forEach(_ body: (UInt64) -> Void) {
        slots.withUnsafeBufferPointer { table in
            for v in table where v != 0 { body(v) }
        }
    }

    /// Every fingerprint held, in table order (for persistence).
    public var allFingerprints: [UInt64] { slots.filter { $0 != 0 } }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        mask = slots.count - 1
        count = 0
        for v in old where v != 0 { _ = insertFP(v) }
    }
}
