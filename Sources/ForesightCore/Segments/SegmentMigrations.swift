/// Counts of customers moving from one segment to another, by UTC day, for "At Risk → Lost: 120
/// this week". Days older than the retention are dropped.
public struct SegmentMigrations: Sendable, Equatable {
    /// A move between two segments.
    public struct Move: Hashable, Sendable, Comparable {
        public var from: String
        public var to: String
        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }
        public static func < (a: Move, b: Move) -> Bool { (a.from, a.to) < (b.from, b.to) }
    }

    /// Days of counts kept.
    public let retentionDays: Int
    private var days: [Int: [Move: Int]] = [:]

    public init(retentionDays: Int = 90) { self.retentionDays = max(1, retentionDays) }

    /// Adds `count` customers moving `from` → `to` at event time `time`.
    public mutating func record(from: String, to: String, at time: Int64, count: Int = 1) {
        guard count > 0, from != to else { return }
        let day = Timestamp.day(time)
        days[day, default: [:]][Move(from: from, to: to), default: 0] += count
        if days.count > retentionDays + 1, let newest = days.keys.max() {
            for d in days.keys where d <= newest - retentionDays { days[d] = nil }
        }
    }

    /// Records the moves in one batch of membership changes: each customer's exits are paired with
    /// their entries in the same batch (a customer leaving A and entering B and C moves A → B and A → C).
    /// - Parameter names: segment names by index (``SegmentMembership/segments``).
    public mutating func record(_ changes: [SegmentChange], names: [String]) {
        var exits: [UInt32: [SegmentChange]] = [:], entries: [UInt32: [SegmentChange]] = [:]
        for c in changes {
            if c.entered { entries[c.customer, default: []].append(c) } else { exits[c.customer, default: []].append(c) }
        }
        for (customer, left) in exits {
            for exit in left {
                for entry in entries[customer] ?? [] {
                    record(from: names[exit.segment], to: names[entry.segment], at: entry.time)
                }
            }
        }
    }

    /// ``record(_:names:)`` for changes grouped by customer (each customer's changes consecutive, as
    /// one flush returns them): pairs within each run, without hashing customers.
    public mutating func recordGrouped(_ changes: [SegmentChange], names: [String]) {
        var start = 0
        while start < changes.count {
            var end = start + 1
            while end < changes.count && changes[end].customer == changes[start].customer { end += 1 }
            if end - start > 1 {
                for exit in changes[start..<end] where !exit.entered {
                    for entry in changes[start..<end] where entry.entered {
                        record(from: names[exit.segment], to: names[entry.segment], at: entry.time)
                    }
                }
            }
            start = end
        }
    }

    /// Moves in the `days` UTC days ending with the day of `now`, largest first (ties by name).
    /// - Complexity: O(days × moves).
    public func moves(days count: Int, endingAt now: Int64) -> [(move: Move, count: Int)] {
        let last = Timestamp.day(now)
        var total: [Move: Int] = [:]
        for (day, moves) in days where day > last - count && day <= last {
            for (move, n) in moves { total[move, default: 0] += n }
        }
        return total.map { ($0.key, $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.move < $1.move }
    }
}
