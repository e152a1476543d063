/// The inactivity triggers' bookkeeping ("no event for 30d"), shared by all of them: the customers in hour
/// buckets of their latest event time. A flush scans, for each trigger of period P, the buckets whose customers'
/// quiet periods came due since the previous flush (last event in (previous − P, now − P]); a customer seen again
/// since has left her bucket (her entry is stale, dropped when the shortest trigger has passed the bucket).
///
/// The latest event times are the engine's (``Profile/lastSeen``, handed to ``scan(now:latest:prefetch:_:)``): the ledger
/// keeps no copy of its own, whose store missed the cache on nearly every event at 400k customers. The bucket of
/// the latest hour, where nearly every append goes, is kept out of the dictionary (``hot``).
///
/// A timer per customer and trigger re-armed at every period of activity cost 6M checks over a 10M-event
/// log with four such triggers; the buckets are visited about twice per trigger, and only once a customer
/// per hour of activity is appended. What the buckets cannot see goes to the runner's timer wheel as one
/// check (``touch(_:at:last:timers:)``): a quiet period that ended between two flushes (the customer came back
/// before a flush saw it due), and an event so far behind the clock that its period is already past the scan.
struct InactivityLedger: Sendable {
    static let bucketMs: Int64 = 3_600_000

    /// (trigger index, period) of the inactivity triggers, in trigger order.
    let periods: [(trigger: Int, ms: Int64)]
    let shortest: Int64
    let longest: Int64
    /// Hour (of event time) → customers whose latest event was in that hour when they were appended; but for
    /// the bucket of ``hotHour``.
    private var buckets: [Int64: [UInt32]] = [:]
    /// The bucket of the latest hour appended to (.min: none), out of ``buckets`` until the next scan.
    private var hotHour = Int64.min
    private var hot: [UInt32] = []
    /// The clock of the last scan: every quiet period due at or before it has been looked at (.min: none yet).
    private(set) var scanned = Int64.min
    /// Hours up to which buckets are gone (every trigger passed them), and up to which stale entries were dropped.
    private var droppedThrough = Int64.min
    private var compactedThrough = Int64.min
    /// Customers whose latest quiet period some trigger has still to look at (entries in their own hour's bucket).
    private(set) var waiting = 0

    init(periods: [(trigger: Int, ms: Int64)]) {
        self.periods = periods
        shortest = periods.map(\.ms).min() ?? 0
        longest = periods.map(\.ms).max() ?? 0
    }

    var isEmpty: Bool { periods.isEmpty }

    static func hour(_ t: Int64) -> Int64 { QuietHours.floorDiv(t, bucketMs) }

    /// The last hour whose customers' periods of `ms` all came due by `clock` (every time in it + ms ≤ clock).
    private static func passed(_ clock: Int64, _ ms: Int64) -> Int64 {
        clock == .min ? .min : hour(clock - ms + 1) - 1
    }

    /// Notes an event of customer `c` at `time`; `last` is her latest event time before it (the engine's
    /// ``Engine/lastEntrySeenBefore``: the buckets are rebuilt from the profiles whenever the runner may have
    /// missed an event). Quiet periods the scans will not see become checks on `timers`.
    @inline(__always)
    mutating func touch(_ c: UInt32, at time: Int64, last: Int64, timers: inout TimerWheel) {
        guard time > last else { return }
        let h = Self.hour(time)
        let hadEntry = last != .min && Self.hour(last) > droppedThrough
        // Back after a quiet period that ended since the last scan: it is checked at the next flush.
        if hadEntry && time - last > shortest { periodsEnded(c, after: last, before: time, timers: &timers) }
        // An event so far behind the clock that a period after it is already behind the scan: checked too.
        if scanned != .min && time <= scanned - shortest { periodsPast(c, after: time, timers: &timers) }
        guard h > droppedThrough else { return }
        if !hadEntry { waiting += 1 }
        guard last == .min || Self.hour(last) != h else { return }
        if h == hotHour {
            hot.append(c)
        } else if h > hotHour {
            coolHot()
            hotHour = h
            hot = buckets.removeValue(forKey: h) ?? []
            hot.append(c)
        } else {
            buckets[h, default: []].append(c)
        }
    }

    /// Puts the hot bucket back among the others.
    private mutating func coolHot() {
        guard hotHour != .min else { return }
        if !hot.isEmpty { buckets[hotHour] = hot }
        hot = []
        hotHour = .min
    }

    private func periodsEnded(_ c: UInt32, after last: Int64, before time: Int64, timers: inout TimerWheel) {
        for (t, ms) in periods where time > last + ms && last + ms > scanned {
            timers.add(CampaignTimer(due: last + ms, customer: c, slot: UInt32(t), isDelivery: false))
        }
    }

    private func periodsPast(_ c: UInt32, after time: Int64, timers: inout TimerWheel) {
        for (t, ms) in periods where time + ms <= scanned {
            timers.add(CampaignTimer(due: time + ms, customer: c, slot: UInt32(t), isDelivery: false))
        }
    }

    /// Calls `due(customer, trigger, dueTime)` for every customer whose quiet period of a trigger came due in
    /// (previous scan, `now`], trigger by trigger; then drops what no trigger will look at again. `latest(c)` is
    /// customer `c`'s latest event time (``Profile/lastSeen``); `prefetch(c)` starts loading it (a bucket's
    /// customers are read a few places ahead: each is a cache miss at 400k customers).
    /// - Returns: the customers looked at.
    @discardableResult
    mutating func scan(now: Int64, latest: (UInt32) -> Int64, prefetch: (UInt32) -> Void,
                       _ due: (UInt32, Int, Int64) -> Void) -> Int {
        guard now > scanned, !periods.isEmpty else { return 0 }
        coolHot()
        var looked = 0
        for (t, ms) in periods {
            let from = scanned == .min ? Int64.min : scanned - ms  // exclusive
            let to = now - ms  // inclusive
            guard to > from else { continue }
            for h in hours(from: from == .min ? .min : Self.hour(from + 1), to: Self.hour(to)) {
                guard let list = buckets[h] else { continue }
                for (k, c) in list.enumerated() {
                    Self.prefetch(after: k, in: list, prefetch)
                    // Live entries only: a customer seen again since is in a later hour's bucket.
                    let last = latest(c)
                    guard last > from, last <= to, Self.hour(last) == h else { continue }
                    looked += 1
                    due(c, t, last + ms)
                }
            }
        }
        scanned = now
        // Stale entries go once the shortest trigger passed their hour; whole buckets once the longest did.
        let compact = Self.passed(now, shortest), drop = Self.passed(now, longest)
        for h in hours(from: compactedThrough == .min ? .min : compactedThrough + 1, to: compact) where h > drop {
            guard var list = buckets.removeValue(forKey: h) else { continue }
            var kept = 0
            for k in list.indices {
                Self.prefetch(after: k, in: list, prefetch)
                let c = list[k]
                if Self.hour(latest(c)) == h { list[kept] = c; kept += 1 }
            }
            list.removeLast(list.count - kept)
            if !list.isEmpty { buckets[h] = list }
        }
        compactedThrough = max(compactedThrough, compact)
        for h in hours(from: droppedThrough == .min ? .min : droppedThrough + 1, to: drop) {
            guard let list = buckets.removeValue(forKey: h) else { continue }
            for (k, c) in list.enumerated() {
                Self.prefetch(after: k, in: list, prefetch)
                if Self.hour(latest(c)) == h { waiting -= 1 }
            }
        }
        droppedThrough = max(droppedThrough, drop)
        return looked
    }

    /// How many entries ahead a scan starts loading a customer's latest time.
    static let prefetchDistance = 8

    /// Starts loading the latest time of the customer ``prefetchDistance`` entries after the `k`th of `list`.
    @inline(__always)
    private static func prefetch(after k: Int, in list: [UInt32], _ prefetch: (UInt32) -> Void) {
        if k + prefetchDistance < list.count { prefetch(list[k + prefetchDistance]) }
    }

    /// The hours in [from, to] that have a bucket, in order (from .min: all up to `to`).
    private func hours(from: Int64, to: Int64) -> [Int64] {
        guard to != .min, from <= to else { return [] }
        if from != .min && to - from <= 4096 { return (from...to).filter { buckets[$0] != nil } }
        return buckets.keys.filter { $0 >= from && $0 <= to }.sorted()
    }

    /// Rebuilds the buckets from the customers' latest event times (a restored state, an erasure), with the
    /// clock of the last scan (nil: start from `clock`).
    mutating func rebuild(seen times: [Int64], scanned clock: Int64) {
        scanned = clock
        buckets = [:]
        hot = []
        hotHour = .min
        waiting = 0
        droppedThrough = Self.passed(clock, longest)
        compactedThrough = Self.passed(clock, shortest)
        for (i, last) in times.enumerated() where last != .min {
            let h = Self.hour(last)
            guard h > droppedThrough else { continue }
            buckets[h, default: []].append(UInt32(i))
            waiting += 1
        }
    }
}
