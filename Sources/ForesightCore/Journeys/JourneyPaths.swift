/// A sequence of events or stages and how often it occurred.
public struct PathCount: Sendable, Equatable, Codable {
    public var path: [String]
    public var count: Int

    public init(path: [String], count: Int) {
        self.path = path
        self.count = count
    }
}

/// How long customers took from their first event to their first order.
public struct TimeToFirstPurchase: Sendable, Equatable, Codable {
    public struct Bucket: Sendable, Equatable, Codable {
        public var label: String
        public var customers: Int
    }
    public var buckets: [Bucket]
    public var buyers: Int
    public var medianSeconds: Double?
    public var p90Seconds: Double?
}

/// Transitions, the paths leading to a purchase and to churn, stage paths and time to first purchase.
public struct PathsReport: Sendable, Equatable {
    public var transitions: TransitionMatrix
    /// The events just before each new order (within its session, repeats collapsed), most frequent first.
    public var toPurchase: [PathCount]
    /// The last events of each customer now At Risk or Lapsed (repeats collapsed), counted by customers.
    public var toChurn: [PathCount]
    /// Each customer's sequence of stages, counted by customers.
    public var stagePaths: [PathCount]
    public var timeToFirstPurchase: TimeToFirstPurchase
}

extension Engine {
    /// The paths report at `now`. - Parameters:
    ///   - top: paths kept per list.
    ///   - length: events per path (the n of the n-grams).
    /// - Complexity: O(events).
    public func paths(rules: StageRules = StageRules(), now: Int64, top: Int = 10, length: Int = 3,
                      withinSession: Bool = true) -> PathsReport {
        let rules = rules.bound(to: eventNames)
        let length = max(1, min(8, length))
        let gap = config.sessionGapMs
        let order = KnownEvent.orderCompleted.id, identify = KnownEvent.identify.id
        var toPurchase: [[UInt16]: Int] = [:], toChurn: [[UInt16]: Int] = [:], stagePaths: [[LifecycleStage]: Int] = [:]
        var path: [UInt16] = []
        path.reserveCapacity(length)
        var waits: [Int64] = []
        for p in profiles {
            let t = p.timeline
            guard let first = t.first, first.time <= now else { continue }
            var lastIndex = -1
            for i in t.indices {
                if t[i].time > now { break }
                lastIndex = i
                // A new order: the distinct events just before it in its session.
                guard t[i].name == order, t[i].kind == .order, Int(t[i].item) < p.orders.count,
                      p.orders[Int(t[i].item)].time == t[i].time else { continue }
                path.removeAll(keepingCapacity: true)
                var j = i - 1
                while j >= 0 && path.count < length && t[j + 1].time - t[j].time <= gap {
                    let name = t[j].name
                    if name != identify && name != order && path.last != name { path.append(name) }
                    j -= 1
                }
                if !path.isEmpty { toPurchase[Array(path.reversed()), default: 0] += 1 }
            }
            let history = rules.history(p, now: now)
            if let current = history.last?.stage {
                stagePaths[Self.compressed(history.map(\.stage)), default: 0] += 1
                if current == .atRisk || current == .lapsed {
                    path.removeAll(keepingCapacity: true)
                    var j = lastIndex
                    while j >= 0 && path.count < length {
                        let name = t[j].name
                        if name != identify && path.last != name { path.append(name) }
                        j -= 1
                    }
                    if !path.isEmpty { toChurn[Array(path.reversed()), default: 0] += 1 }
                }
            }
            if p.firstOrder != .max && p.firstOrder <= now { waits.append(p.firstOrder - p.firstSeen) }
        }
        func ranked<K>(_ d: [K: Int], _ text: (K) -> [String]) -> [PathCount] {
            d.map { PathCount(path: text($0.key), count: $0.value) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.path.lexicographicallyPrecedes($1.path) }
                .prefix(top).map { $0 }
        }
        let names = { (ids: [UInt16]) in ids.map { self.eventNames.string(UInt32($0)) } }
        return PathsReport(transitions: transitions(withinSession: withinSession, now: now),
                           toPurchase: ranked(toPurchase, names), toChurn: ranked(toChurn, names),
                           stagePaths: ranked(stagePaths) { $0.map(\.label) },
                           timeToFirstPurchase: Self.timeToFirstPurchase(waits))
    }

    /// A stage sequence without the detours' returns doubled: consecutive repeats dropped.
    static func compressed(_ stages: [LifecycleStage]) -> [LifecycleStage] {
        var out: [LifecycleStage] = []
        for s in stages where out.last != s { out.append(s) }
        return out
    }

    static func timeToFirstPurchase(_ waits: [Int64]) -> TimeToFirstPurchase {
        let hour: Int64 = 3_600_000, day = 24 * hour
        let bounds: [(String, Int64)] = [("under 1 hour", hour), ("1-24 hours", day), ("1-7 days", 7 * day),
                                         ("7-30 days", 30 * day), ("30 days or more", .max)]
        var counts = [Int](repeating: 0, count: bounds.count)
        for w in waits { counts[bounds.firstIndex { w < $0.1 } ?? bounds.count - 1] += 1 }
        let sorted = waits.sorted()
        func quantile(_ q: Double) -> Double? {
            sorted.isEmpty ? nil : Double(sorted[min(sorted.count - 1, Int(q * Double(sorted.count - 1) + 0.5))]) / 1000
        }
        return TimeToFirstPurchase(buckets: zip(bounds, counts).map { .init(label: $0.0.0, customers: $0.1) },
                                   buyers: waits.count, medianSeconds: quantile(0.5), p90Seconds: quantile(0.9))
    }
}
