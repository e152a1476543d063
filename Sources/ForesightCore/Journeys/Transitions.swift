/// One next-event transition: how often `to` directly followed `from`.
public struct Transition: Sendable, Equatable, Codable {
    public var from: String
    public var to: String
    public var count: Int
    /// count / all transitions out of `from`.
    public var probability: Double
}

/// The matrix of next-event transitions over every customer's timeline.
public struct TransitionMatrix: Sendable, Equatable {
    /// Event names by id (the matrix's rows and columns).
    public var names: [String]
    /// Row-major counts: `counts[from * names.count + to]`.
    public var counts: [Int]
    /// Only pairs within one session were counted.
    public var withinSession: Bool
    /// Every pair counted.
    public var total: Int

    /// How often `to` followed `from` (by name id).
    public func count(from: Int, to: Int) -> Int { counts[from * names.count + to] }

    /// Every non-zero transition, the most frequent first (ties by names).
    public var transitions: [Transition] {
        let n = names.count
        var outTotals = [Int](repeating: 0, count: n)
        for f in 0..<n { for t in 0..<n { outTotals[f] += counts[f * n + t] } }
        var all: [Transition] = []
        for f in 0..<n where outTotals[f] > 0 {
            for t in 0..<n where counts[f * n + t] > 0 {
                let c = counts[f * n + t]
                all.append(Transition(from: names[f], to: names[t], count: c, probability: Double(c) / Double(outTotals[f])))
            }
        }
        all.sort { $0.count != $1.count ? $0.count > $1.count : ($0.from, $0.to) < ($1.from, $1.to) }
        return all
    }
}

extension Engine {
    /// Name ids the matrix keeps apart; later ones share the last row (timelines hold up to 16,383 names).
    static let transitionNameLimit = 512

    /// Counts each pair of consecutive events of every customer (timeline order: time, then arrival), up to
    /// `now`; `withinSession` counts only pairs no further apart than the session gap.
    /// - Complexity: O(events + names²).
    public func transitions(withinSession: Bool = true, now: Int64) -> TransitionMatrix {
        let n = min(eventNames.count, Self.transitionNameLimit)
        var counts = [Int](repeating: 0, count: n * n)
        var total = 0
        let gap = withinSession ? config.sessionGapMs : Int64.max
        counts.withUnsafeMutableBufferPointer { m in
            profiles.withUnsafeBufferPointer { all in
                for c in all.indices {
                    all[c].timeline.withUnsafeBufferPointer { t in
                        guard t.count > 1 else { return }
                        var prev = min(Int(t[0].name), n - 1), prevTime = t[0].time
                        if prevTime > now { return }
                        for i in 1..<t.count {
                            let e = t[i]
                            if e.time > now { break }
                            let cur = min(Int(e.name), n - 1)
                            if e.time - prevTime <= gap {
                                m[prev * n + cur] += 1
                                total += 1
                            }
                            prev = cur
                            prevTime = e.time
                        }
                    }
                }
            }
        }
        var names = (0..<n).map { eventNames.string(UInt32($0)) }
        if eventNames.count > n, n > 0 { names[n - 1] = "(other events)" }
        return TransitionMatrix(names: names, counts: counts, withinSession: withinSession, total: total)
    }
}
