/// A campaign timer: a trigger's check for one customer at an event time, or a message delayed by quiet hours.
struct CampaignTimer: Sendable, Equatable {
    var due: Int64
    var customer: UInt32
    /// Trigger index; for a delayed message, the slot of the message in ``CampaignRunner``'s delayed table.
    var slot: UInt32
    var isDelivery: Bool

    static func before(_ a: CampaignTimer, _ b: CampaignTimer) -> Bool {
        if a.due != b.due { return a.due < b.due }
        if a.customer != b.customer { return a.customer < b.customer }
        if a.isDelivery != b.isDelivery { return !a.isDelivery }
        return a.slot < b.slot
    }
}

/// Timers in hour buckets of event time: adding is an append, and the due ones come out sorted per bucket.
/// A heap of millions of re-armed inactivity timers cost a cache miss per level; a bucket is appended to in
/// place and sorted once, when its hour has passed.
struct TimerWheel: Sendable {
    static let bucketMs: Int64 = 3_600_000
    private var buckets: [Int64: [CampaignTimer]] = [:]
    /// No bucket below this one holds a timer.
    private var lowest = Int64.max
    public private(set) var count = 0

    mutating func add(_ t: CampaignTimer) {
        let b = QuietHours.floorDiv(t.due, Self.bucketMs)
        buckets[b, default: []].append(t)
        if b < lowest { lowest = b }
        count += 1
    }

    /// Removes and returns the timers due at or before `now`, in due order (ties: customer, then trigger).
    mutating func popDue(now: Int64) -> [CampaignTimer] {
        guard count > 0, lowest != .max else { return [] }
        let last = QuietHours.floorDiv(now, Self.bucketMs)
        guard lowest <= last else { return [] }
        var out: [CampaignTimer] = []
        // Walk the hours when few, else the keys (a clock that jumped far ahead).
        let keys: [Int64] = last - lowest <= 4096
            ? (lowest...last).filter { buckets[$0] != nil }
            : buckets.keys.filter { $0 <= last }.sorted()
        for b in keys {
            guard var timers = buckets.removeValue(forKey: b) else { continue }
            if b == last {
                let keep = timers.filter { $0.due > now }
                if !keep.isEmpty { buckets[b] = keep }
                timers.removeAll { $0.due > now }
            }
            // Buckets come in hour order and hold only their hour: sorted one by one, they are sorted together.
            timers.sort(by: CampaignTimer.before)
            out += timers
        }
        count -= out.count
        lowest = buckets.isEmpty ? .max : (buckets[last] != nil ? last : buckets.keys.min() ?? .max)
        return out
    }

    /// Every timer, renumbered or dropped by `transform` (an erasure).
    mutating func compactMap(_ transform: (CampaignTimer) -> CampaignTimer?) {
        var next: [Int64: [CampaignTimer]] = [:]
        var n = 0
        for (b, timers) in buckets {
            let kept = timers.compactMap(transform)
            if !kept.isEmpty { next[b] = kept; n += kept.count }
        }
        buckets = next
        count = n
        lowest = next.keys.min() ?? .max
    }

    /// All timers (checkpoints, tests), in no particular order.
    var all: [CampaignTimer] { buckets.values.flatMap { $0 } }
}
