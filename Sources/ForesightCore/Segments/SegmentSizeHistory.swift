/// Sizes of segments sampled over time, in a ring of fixed capacity per segment: the sparklines and
/// the "change since the previous refresh" of the Segments view.
///
/// Keyed by segment name, so a configuration reload keeps the history of the segments it keeps.
public struct SegmentSizeHistory: Sendable, Equatable {
    /// Samples kept per segment.
    public let capacity: Int
    private var times: [Int64] = []
    private var series: [String: [Int]] = [:]
    /// Ring position of the oldest sample.
    private var start = 0

    public init(capacity: Int = 120) { self.capacity = max(2, capacity) }

    /// The number of samples held.
    public var count: Int { times.count }

    /// Records one sample of every segment's size at event time `time`. A segment missing from
    /// `sizes` has no figure for this sample.
    /// - Complexity: O(segments).
    public mutating func record(time: Int64, sizes: [(name: String, size: Int)]) {
        var given: [String: Int] = [:]
        for (name, size) in sizes { given[name] = size }
        if times.count < capacity {
            times.append(time)
            for name in given.keys where series[name] == nil { series[name] = Array(repeating: -1, count: times.count - 1) }
            for name in Array(series.keys) { series[name, default: []].append(given[name] ?? -1) }
        } else {
            times[start] = time
            for name in given.keys where series[name] == nil { series[name] = Array(repeating: -1, count: capacity) }
            for name in Array(series.keys) { series[name]?[start] = given[name] ?? -1 }
            start = (start + 1) % capacity
        }
        // Forget segments with no figure left.
        for (name, values) in series where values.allSatisfy({ $0 < 0 }) { series[name] = nil }
    }

    /// Sample times, oldest first.
    public var sampleTimes: [Int64] { ordered(times) }

    /// One segment's sizes, oldest first; nil where the segment had no figure.
    public func sizes(of name: String) -> [Int?] {
        guard let values = series[name] else { return [] }
        return ordered(values).map { $0 < 0 ? nil : $0 }
    }

    /// The latest size minus the one before (nil without two figures).
    public func change(of name: String) -> Int? {
        let s = sizes(of: name)
        guard s.count >= 2, let last = s[s.count - 1], let before = s[s.count - 2] else { return nil }
        return last - before
    }

    private func ordered<T>(_ ring: [T]) -> [T] {
        guard ring.count == capacity, start > 0 else { return ring }
        return Array(ring[start...] + ring[..<start])
    }
}

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
