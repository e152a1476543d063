/// One step of a funnel report.
public struct FunnelStepRow: Sendable, Equatable, Codable {
    /// The step as written (`A|B` for alternatives).
    public var step: String
    /// Customers who did this step and every one before it, in order.
    public var users: Int
    /// users / the previous step's users (1 for the first step; 0 when the previous had none).
    public var conversionFromPrevious: Double
    /// users / the first step's users.
    public var conversionFromFirst: Double
    /// Median time from the previous step's match to this one's (nil for the first step or without users).
    public var medianSecondsFromPrevious: Double?
    /// Customers lost since the previous step (for the first: the customers who never did it).
    public var dropOff: Int

    public init(step: String, users: Int, conversionFromPrevious: Double, conversionFromFirst: Double,
                medianSecondsFromPrevious: Double?, dropOff: Int) {
        self.step = step
        self.users = users
        self.conversionFromPrevious = conversionFromPrevious
        self.conversionFromFirst = conversionFromFirst
        self.medianSecondsFromPrevious = medianSecondsFromPrevious
        self.dropOff = dropOff
    }
}

/// A funnel over every customer, with how far each got.
public struct FunnelReport: Sendable, Equatable {
    public var steps: FunnelSteps
    public var rows: [FunnelStepRow]
    /// Customers in the engine when it was computed.
    public var population: Int
    /// Per customer index: how many steps she completed (0 … steps.count).
    public var levels: [UInt8]

    /// The customers who completed the steps before `step` but not `step` itself (step 0: never started).
    /// - Complexity: O(customers).
    public func droppedAt(_ step: Int) -> [UInt32] {
        levels.indices.compactMap { Int(levels[$0]) == step ? UInt32($0) : nil }
    }
}

extension Engine {
    /// A funnel over `steps`: a customer counts at step k when she did steps 1…k in time order, each matched
    /// at its earliest occurrence after the previous step's match (other events may lie between; one event
    /// never matches two steps), and, with a window, step k no later than `windowMs` after step 1. With a
    /// window every occurrence of step 1 is tried in turn and the one reaching furthest counts (the earliest
    /// among equals). Order is the timeline's: time, then arrival for equal times. Events after `now` are
    /// ignored.
    /// - Throws: ``JourneyError/unknownEvent(_:)`` for a name that is neither built in nor in the log.
    /// - Complexity: O(events × steps) at worst; O(events) without a window.
    public func funnel(_ steps: FunnelSteps, now: Int64) throws(JourneyError) -> FunnelReport {
        let table = try steps.bind(eventNames)
        let n = steps.steps.count
        var levels = [UInt8](repeating: 0, count: profiles.count)
        var gaps = [[Int64]](repeating: [], count: n)
        let window = steps.windowMs
        var matches = [Int](repeating: 0, count: n), best = matches, pointer = matches
        table.withUnsafeBufferPointer { table in
            profiles.withUnsafeBufferPointer { all in
                for c in all.indices {
                    let level = all[c].timeline.withUnsafeBufferPointer { t in
                        Self.funnelLevel(t, table: table, steps: n, window: window, now: now,
                                         matches: &matches, best: &best, pointer: &pointer)
                    }
                    guard level > 0 else { continue }
                    levels[c] = UInt8(level)
                    all[c].timeline.withUnsafeBufferPointer { t in
                        for k in 1..<level { gaps[k].append(t[best[k]].time - t[best[k - 1]].time) }
                    }
                }
            }
        }
        var users = [Int](repeating: 0, count: n + 1)
        for l in levels { users[Int(l)] += 1 }
        // users[k] now counts customers stopping after k steps; make it "reached at least k".
        for k in stride(from: n - 1, through: 0, by: -1) { users[k] += users[k + 1] }
        var rows: [FunnelStepRow] = []
        for k in 0..<n {
            let u = users[k + 1], prev = k == 0 ? users[0] : users[k], first = users[1]
            var g = gaps[k]
            g.sort()
            let median: Double? = g.isEmpty ? nil
                : g.count % 2 == 1 ? Double(g[g.count / 2]) / 1000 : Double(g[g.count / 2 - 1] + g[g.count / 2]) / 2000
            rows.append(FunnelStepRow(step: steps.label(k), users: u,
                                      conversionFromPrevious: k == 0 ? (u > 0 ? 1 : 0) : (prev > 0 ? Double(u) / Double(prev) : 0),
                                      conversionFromFirst: first > 0 ? Double(u) / Double(first) : 0,
                                      medianSecondsFromPrevious: k == 0 ? nil : median, dropOff: prev - u))
        }
        return FunnelReport(steps: steps, rows: rows, population: profiles.count, levels: levels)
    }

    /// How many steps one timeline completes; the matched indices are left in `best`.
    @inline(__always)
    static func funnelLevel(_ t: UnsafeBufferPointer<TimelineEntry>, table: UnsafeBufferPointer<UInt32>, steps n: Int,
                            window: Int64?, now: Int64, matches: inout [Int], best: inout [Int], pointer: inout [Int]) -> Int {
        @inline(__always) func mask(_ i: Int) -> UInt32 {
            let name = Int(t[i].name)
            return name < table.count ? table[name] : 0
        }
        var bestLevel = 0
        for k in 0..<n { pointer[k] = 0 }
        var s = 0
        while s < t.count {
            if t[s].time > now { break }
            guard mask(s) & 1 != 0 else { s += 1; continue }
            matches[0] = s
            var level = 1
            var k = 1
            while k < n {
                var i = max(pointer[k], matches[k - 1] + 1)
                let bit = UInt32(1) << UInt32(k)
                while i < t.count && mask(i) & bit == 0 { i += 1 }
                // Later starts match step k no earlier than here: searches resume from it.
                pointer[k] = i
                if i >= t.count || t[i].time > now { break }
                if let window, t[i].time - t[s].time > window { break }
                matches[k] = i
                level = k + 1
                k += 1
            }
            if level > bestLevel {
                bestLevel = level
                for j in 0..<level { best[j] = matches[j] }
            }
            // Without a window the earliest start reaches furthest; with one, stop once every step is done.
            if window == nil || bestLevel == n { break }
            s += 1
        }
        return bestLevel
    }
}
