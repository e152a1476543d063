/// Maps byte strings (customer ids, event names, products, …) to dense `UInt32` ids without building a
/// `String` per lookup.
///
/// The bytes of every distinct key live once in one arena; an open-addressing table of ids resolves a
/// key by hash, then by a byte comparison. Ids are assigned in order of first appearance from 0.
/// - Complexity: `intern` and `lookup` are O(key length) expected.
public struct Interner: Sendable {
    var arena: [UInt8] = []
    var starts: [UInt32] = [0]
    /// One 16-byte slot per table entry: a tag (24 bits of hash, the key's length up to 255, id + 1; 0 is
    /// empty) and the key's first 8 bytes. A key of up to 8 bytes (most customer ids, every short name) is
    /// resolved from the slot alone: one cache miss per lookup instead of three.
    @usableFromInline struct Slot: Sendable {
        var tag: UInt64
        var prefix: UInt64
    }
    var slots: [Slot]
    private var mask: Int

    /// Creates an empty interner sized for about `capacity` keys.
    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Slot(tag: 0, prefix: 0), count: size)
        mask = size - 1
    }

    /// The number of distinct keys.
    public var count: Int { starts.count - 1 }

    /// Bytes held by the interner (arena and tables), for memory figures.
    public var byteSize: Int { arena.capacity + starts.capacity * 4 + slots.count * 16 }

    /// Returns the id of `key`, adding it if new.
    @inlinable
    public mutating func intern(_ key: UnsafeRawBufferPointer) -> UInt32 {
        let h = hashBytes(key)
        if let id = find(key, hash: h) { return id }
        return insert(key, hash: h)
    }

    /// ``intern(_:)`` with the key's ``hashBytes(_:_:)`` already taken (the parser hashes customer keys).
    @inlinable
    public mutating func intern(_ key: UnsafeRawBufferPointer, hash h: UInt64) -> UInt32 {
        if let id = find(key, hash: h) { return id }
        return insert(key, hash: h)
    }

    /// The address of the slot table and its mask, for ``PrefetchHints`` (an integer: only ever prefetched).
    var tableHint: (address: UInt, mask: Int) {
        (slots.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }, mask)
    }

    /// Returns the id of a string key, adding it if new.
    public mutating func intern(_ key: String) -> UInt32 {
        var s = key
        return s.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// Returns the id of `key` if it was interned before.
    public func lookup(_ key: UnsafeRawBufferPointer) -> UInt32? {
        find(key, hash: hashBytes(key))
    }

    /// Returns the id of a string key if it was interned before.
    public func lookup(_ key: String) -> UInt32? {
        var s = key
        return s.withUTF8 { lookup(UnsafeRawBufferPointer($0)) }
    }

    /// The key of `id` as a `String` (invalid UTF-8 is repaired).
    public func string(_ id: UInt32) -> String {
        let i = Int(id)
        guard i < count else { return "" }
        let lo = Int(starts[i]), hi = Int(starts[i + 1])
        return arena.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[lo..<hi]), as: UTF8.self) }
    }

    /// Compares two keys bytewise (-1, 0, 1), as `strcmp` would.
    public func compare(_ a: UInt32, _ b: UInt32) -> Int {
        let la = Int(starts[Int(a)]), ha = Int(starts[Int(a) + 1])
        let lb = Int(starts[Int(b)]), hb = Int(starts[Int(b) + 1])
        return arena.withUnsafeBufferPointer { bytes in
            let n = min(ha - la, hb - lb)
            for k in 0..<n where bytes[la + k] != bytes[lb + k] {
                return bytes[la + k] < bytes[lb + k] ? -1 : 1
            }
            return (ha - la) == (hb - lb) ? 0 : ((ha - la) < (hb - lb) ? -1 : 1)
        }
    }

    /// Ids whose key contains `needle`, ignoring ASCII case, in id order, at most `limit`.
    /// - Complexity: O(total key bytes).
    public func ids(containing needle: String, limit: Int = Int.max) -> [UInt32] {
        let pattern = Array(needle.utf8).map(Self.lower)
        guard !pattern.isEmpty else { return (0..<UInt32(count)).prefix(limit).map { $0 } }
        var out: [UInt32] = []
        arena.withUnsafeBufferPointer { bytes in
            for id in 0..<count {
                let lo = Int(starts[id]), hi = Int(starts[id + 1])
                guard hi - lo >= pattern.count else { continue }
                var start = lo
                while start + pattern.count <= hi {
                    var k = 0
                    while k < pattern.count && Self.lower(bytes[start + k]) == pattern[k] { k += 1 }
                    if k == pattern.count { out.append(UInt32(id)); break }
                    start += 1
                }
                if out.count >= limit { return }
            }
        }
        return out
    }

    private static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    /// All keys in id order.
    public var strings: [String] { (0..<count).map { string(UInt32($0)) } }

    /// The tag bits a key must match: 24 bits of hash and the length (255 for 255 or more).
    @inline(__always) @usableFromInline
    static func tagKey(hash: UInt64, count: Int) -> UInt64 {
        (hash & 0xFF_FFFF) << 40 | UInt64(min(count, 255)) << 32
    }

    /// The first 8 bytes of a key, zero-padded.
    @inline(__always) @usableFromInline
    static func prefix(_ key: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = key.baseAddress else { return 0 }
        let n = key.count
        if n >= 8 { return base.loadUnaligned(as: UInt64.self) }
        // 1–7 bytes (product ids, page names) as two overlapping loads instead of a byte loop; the overlap
        // holds the same bytes twice, so OR-ing them gives exactly the zero-padded little-endian word.
        if n >= 4 {
            return UInt64(base.loadUnaligned(as: UInt32.self))
                | UInt64(base.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)) << UInt64((n &- 4) &* 8)
        }
        if n >= 2 {
            return UInt64(base.loadUnaligned(as: UInt16.self))
                | UInt64(base.loadUnaligned(fromByteOffset: n &- 2, as: UInt16.self)) << UInt64((n &- 2) &* 8)
        }
        return n == 1 ? UInt64(base.load(as: UInt8.self)) : 0
    }

    @usableFromInline
    func find(_ key: UnsafeRawBufferPointer, hash: UInt64) -> UInt32? {
        let want = Self.tagKey(hash: hash, count: key.count)
        let prefix = Self.prefix(key)
        var slot = Int(truncatingIfNeeded: hash >> 32) & mask
        return slots.withUnsafeBufferPointer { table in
            while true {
                let entry = table[slot]
                if entry.tag == 0 { return nil }
                if entry.tag & 0xFFFF_FFFF_0000_0000 == want && entry.prefix == prefix {
                    let id = Int(truncatingIfNeeded: entry.tag & 0xFFFF_FFFF) &- 1
                    if key.count <= 8 { return UInt32(id) }
                    let lo = Int(starts[id]), hi = Int(starts[id &+ 1])
                    if hi &- lo == key.count {
                        let same = arena.withUnsafeBufferPointer { bytes -> Bool in
                            guard let kb = key.baseAddress, let ab = bytes.baseAddress else { return false }
                            return memcmpBytes(kb + 8, UnsafeRawPointer(ab + lo + 8), key.count - 8)
                        }
                        if same { return UInt32(id) }
                    }
                }
                slot = (slot &+ 1) & mask
            }
        }
    }

    @usableFromInline
    mutating func insert(_ key: UnsafeRawBufferPointer, hash: UInt64) -> UInt32 {
        let id = UInt32(count)
        arena.append(contentsOf: key)
        starts.append(UInt32(truncatingIfNeeded: arena.count))
        if count * 2 > slots.count { grow() } else { place(id: id, key: key, hash: hash) }
        return id
    }

    mutating func place(id: UInt32, key: UnsafeRawBufferPointer, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash >> 32) & mask
        while slots[slot].tag != 0 { slot = (slot &+ 1) & mask }
        slots[slot] = Slot(tag: Self.tagKey(hash: hash, count: key.count) | UInt64(id &+ 1), prefix: Self.prefix(key))
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: Slot(tag: 0, prefix: 0), count: size)
        mask = size - 1
        let all = arena
        all.withUnsafeBytes { bytes in
            for id in 0..<count {
                let key = UnsafeRawBufferPointer(rebasing: bytes[Int(starts[id])..<Int(starts[id + 1])])
                place(id: UInt32(id), key: key, hash: hashBytes(key))
            }
        }
    }
}

@inlinable @inline(__always)
func memcmpBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    // Whole words, then the tail as two overlapping loads (of 4, 2 or 1 bytes): no byte loop, which cost
    // more than the rest of an interner lookup for keys like "Product Viewed".
    if n >= 8 {
        var i = 0
        while i &+ 8 <= n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i &+= 8
        }
        if i == n { return true }
        let last = n &- 8
        return a.loadUnaligned(fromByteOffset: last, as: UInt64.self) == b.loadUnaligned(fromByteOffset: last, as: UInt64.self)
    }
    if n >= 4 {
        let last = n &- 4
        return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
            && a.loadUnaligned(fromByteOffset: last, as: UInt32.self) == b.loadUnaligned(fromByteOffset: last, as: UInt32.self)
    }
    if n >= 2 {
        let last = n &- 2
        return a.loadUnaligned(as: UInt16.self) == b.loadUnaligned(as: UInt16.self)
            && a.loadUnaligned(fromByteOffset: last, as: UInt16.self) == b.loadUnaligned(fromByteOffset: last, as: UInt16.self)
    }
    return n == 0 || a.load(as: UInt8.self) == b.load(as: UInt8.self)
}
