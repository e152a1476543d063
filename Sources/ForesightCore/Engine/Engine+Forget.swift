/// Erasure of customers on request (GDPR): the profile, timeline, traits and orders go, the whole-log
/// counters lose what the customer added, and her key is suppressed so that her later events (and a
/// replay of the old log) are dropped and counted in ``IngestStats/suppressed``.
extension Engine {
    /// The customer keys (hashes) whose events are dropped.
    public var suppressedKeys: SuppressionList { suppression }

    /// Erases customers by key and suppresses their keys (known or not: a key never seen is suppressed too).
    ///
    /// The erased customers' ids are given up and the ids after them move down, so the engine is the one a
    /// replay without their events would build: the customers count, the ids of the others in order of first
    /// appearance, the totals by event name, orders, revenue and the hourly and daily counters. Two figures
    /// keep the erased events: ``IngestStats/outOfOrder`` and ``IngestStats/duplicates`` (not kept per
    /// customer), and the first and last event times.
    /// - Returns: what was erased (the old ids, ascending: whoever keeps data by customer id renumbers with
    ///   ``renumbered(_:afterErasing:)``).
    /// - Complexity: O(customers + the erased customers' events + customer key bytes).
    @discardableResult
    public mutating func forget(customerKeys: [String]) -> Erasure {
        forget(keyHashes: customerKeys.map(SuppressionList.hash))
    }

    /// ``forget(customerKeys:)`` by the hashes of the keys (``SuppressionList/hash(_:)``), as a state file's
    /// suppression list holds them.
    @discardableResult
    public mutating func forget(keyHashes: [UInt64]) -> Erasure {
        flushDeferred()
        let wanted = Set(keyHashes)
        for h in keyHashes { suppression.insert(hash: h) }
        var erased: [UInt32] = []
        let keys = customers.keys
        keys.arena.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            for id in 0..<keys.count {
                let lo = Int(keys.starts[id]), hi = Int(keys.starts[id + 1])
                if wanted.contains(hashBytes(base + lo, hi - lo)) { erased.append(UInt32(id)) }
            }
        }
        var erasure = Erasure(ids: erased, keys: erased.map { customers.string($0) }, events: 0)
        // The key cache of event names is unaffected; the pending line was completed above.
        guard !erased.isEmpty else { return erasure }
        for c in erased {
            erasure.events += profiles[Int(c)].timeline.count
            subtractContributions(of: Int(c))
        }
        let removed = Set(erased)
        // Trait records stay in the order of each customer's first identify call, as a replay without the
        // erased customers would leave them; the indexes after an erased record move down.
        let erasedTraits = erased.compactMap { profiles[Int($0)].traitsIndex == 0 ? nil : profiles[Int($0)].traitsIndex }.sorted()
        var keptProfiles: [Profile] = []
        keptProfiles.reserveCapacity(profiles.count - erased.count)
        for (c, p) in profiles.enumerated() where !removed.contains(UInt32(c)) {
            var p = p
            if p.traitsIndex != 0, !erasedTraits.isEmpty {
                p.traitsIndex -= UInt32(erasedTraits.prefix { $0 < p.traitsIndex }.count)
            }
            keptProfiles.append(p)
        }
        profiles = keptProfiles
        for t in erasedTraits.reversed() { traits.remove(at: Int(t) - 1) }
        customers = customers.removing(removed)
        var tail = recentEvents.oldestFirst.filter { !removed.contains($0.customer) }
        for i in tail.indices { tail[i].customer = Self.renumbered(tail[i].customer, afterErasing: erased) ?? 0 }
        recentEvents = RecentEvents(restoring: tail, total: recentEvents.total, capacity: recentEvents.capacity)
        return erasure
    }

    /// The id a customer has after the customers `erased` (old ids, ascending) were erased; nil for an erased one.
    public static func renumbered(_ c: UInt32, afterErasing erased: [UInt32]) -> UInt32? {
        var lo = 0, hi = erased.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if erased[mid] < c { lo = mid + 1 } else { hi = mid }
        }
        if lo < erased.count && erased[lo] == c { return nil }
        return c - UInt32(lo)
    }

    /// Takes a customer's events, orders and days out of the whole-log counters.
    private mutating func subtractContributions(of c: Int) {
        let p = profiles[c]
        stats.accepted -= p.timeline.count
        var lastDay = Int.min
        for e in p.timeline {
            let name = Int(e.name)
            if name < stats.eventsByName.count { stats.eventsByName[name] -= 1 }
            activity.add(.events, at: e.time, -1)
            // Counted active once per day, at her first event that day (the timeline is in time order).
            let day = Timestamp.day(e.time)
            if day != lastDay { activity.add(.activeCustomers, at: e.time, -1) }
            lastDay = day
        }
        if p.firstSeen != Int64.max { activity.add(.newCustomers, at: p.firstSeen, -1) }
        if p.lastSeen != Int64.min { activity.removeLatest(.lastSeen, at: p.lastSeen) }
        if p.lastOrder != Int64.min { activity.removeLatest(.lastOrder, at: p.lastOrder) }
        var buyerDays = Set<Int>()
        for o in p.orders.sorted(by: { $0.time < $1.time }) {
            if buyerDays.insert(Timestamp.day(o.time)).inserted { activity.add(.buyers, at: o.time, -1) }
            guard !o.cancelled else { continue }
            activity.add(.orders, at: o.time, -1)
            activity.addRevenue(at: o.time, -o.revenue)
            stats.orders -= 1
            stats.revenue -= o.revenue
        }
        stats.refunds -= p.refunds
    }
}

/// What ``Engine/forget(customerKeys:)`` erased.
public struct Erasure: Sendable, Equatable {
    /// The erased customers' ids before the erasure, ascending.
    public var ids: [UInt32]
    /// Their keys (to clear them from what is kept beside the engine, such as rejected lines).
    public var keys: [String]
    /// Their events taken out of the counters.
    public var events: Int
}

extension DailyActivity {
    /// Takes one customer out of a per-day "latest" series, at the day of `time`.
    mutating func removeLatest(_ series: LatestSeries, at time: Int64) {
        let i = slot(Timestamp.day(time))
        latest[series.rawValue][i] &-= 1
    }
}
