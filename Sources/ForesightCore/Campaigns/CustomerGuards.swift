import CForesightSupport

/// One customer's part of the guards, in one slot of a dense array (a settle reads one slot per message, where
/// four dictionaries keyed by customer each hashed and missed the cache).
struct CustomerGuards: Sendable {
    /// Send times of her messages of the last 7 days (the caps).
    var sent: [Int64] = []
    /// Latest qualification (fired or held out) per trigger (the cooldowns): a few triggers per customer.
    var qualified: [(trigger: Int32, time: Int64)] = []
    /// Open exposures (trigger, index into the runner's exposures), for the conversions.
    var open: [(trigger: Int32, index: Int32)] = []
    /// Her latest decisions (no payload), for the customer screen.
    var history: [CampaignDecision] = []
    /// Her key and its hash, kept from her first decision (each decision names her; the interner's bytes made
    /// a new string and hashed it every time).
    var key: String?
    var keyHash: UInt64 = 0

    func lastQualified(_ t: Int) -> Int64? {
        for q in qualified where q.trigger == Int32(t) { return q.time }
        return nil
    }

    mutating func setQualified(_ t: Int, _ time: Int64) {
        for i in qualified.indices where qualified[i].trigger == Int32(t) {
            qualified[i].time = time
            return
        }
        qualified.append((Int32(t), time))
    }
}

extension [CustomerGuards] {
    /// Starts loading, for the customers `customer(i)` a few places after `k` (below `count`), their slot (8
    /// ahead) and the starts of its lists (4 ahead): a settle writes them for each decision, each a cache miss
    /// at 400k customers.
    @inline(__always)
    func prefetch(count: Int, from k: Int, _ customer: (Int) -> UInt32) {
        withUnsafeBufferPointer { slots in
            guard let base = slots.baseAddress else { return }
            if k + 8 < count {
                let c = Int(customer(k + 8))
                if c < slots.count {
                    let p = UnsafeRawPointer(base + c)
                    foresight_prefetch_write(p)
                    foresight_prefetch_write(p + (MemoryLayout<CustomerGuards>.size - 1))
                }
            }
            if k + 4 < count {
                let c = Int(customer(k + 4))
                guard c < slots.count else { return }
                // An array's count lies 16 bytes before its first element (an empty one is a shared singleton).
                func header(_ start: UnsafeRawPointer?) { if let start { foresight_prefetch_write(start - 16) } }
                header(base[c].sent._baseAddressIfContiguous.map { UnsafeRawPointer($0) })
                header(base[c].qualified._baseAddressIfContiguous.map { UnsafeRawPointer($0) })
                header(base[c].history._baseAddressIfContiguous.map { UnsafeRawPointer($0) })
                header(base[c].open._baseAddressIfContiguous.map { UnsafeRawPointer($0) })
            }
        }
    }

    /// Grows the table to hold customer `c`.
    @inline(__always)
    mutating func reserve(_ c: UInt32) {
        let i = Int(c)
        // Geometric growth: the table is copied O(log n) times as customers arrive, not once per 4096.
        if i >= count { append(contentsOf: repeatElement(CustomerGuards(), count: Swift.max(i + 1 - count, count, 1024))) }
    }

    /// The cooldown table of trigger `t` (a state file's form): customer → latest qualification.
    func qualifiedTable(_ t: Int) -> [UInt32: Int64] {
        var out: [UInt32: Int64] = [:]
        for (c, g) in enumerated() { if let time = g.lastQualified(t) { out[UInt32(c)] = time } }
        return out
    }

    /// The caps' table (a state file's form): customer → send times.
    var sentTable: [UInt32: [Int64]] {
        var out: [UInt32: [Int64]] = [:]
        for (c, g) in enumerated() where !g.sent.isEmpty { out[UInt32(c)] = g.sent }
        return out
    }

    /// The table from a state file's cooldowns and caps, with the open exposures rebuilt from `exposures`.
    static func restored(qualified: [[UInt32: Int64]], sent: [UInt32: [Int64]], exposures: [[Exposure]]) -> [CustomerGuards] {
        var out: [CustomerGuards] = []
        for (t, table) in qualified.enumerated() {
            for (c, time) in table.sorted(by: { $0.key < $1.key }) {
                out.reserve(c)
                out[Int(c)].qualified.append((Int32(t), time))
            }
        }
        for (c, times) in sent {
            out.reserve(c)
            out[Int(c)].sent = times
        }
        out.reopen(exposures)
        return out
    }

    /// Rebuilds the open exposures from the exposures' lists (a restore, an erasure).
    mutating func reopen(_ exposures: [[Exposure]]) {
        for i in indices where !self[i].open.isEmpty { self[i].open = [] }
        for (t, list) in exposures.enumerated() {
            for (i, e) in list.enumerated() where !e.converted {
                reserve(e.customer)
                self[Int(e.customer)].open.append((Int32(t), Int32(i)))
            }
        }
    }
}
