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
