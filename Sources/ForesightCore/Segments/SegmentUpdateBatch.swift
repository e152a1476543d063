/// The customers touched by a batch of events and what the events changed, so that the ingest path
/// evaluates each customer's segments once per batch instead of once per event.
///
/// The ingest thread calls ``mark(customer:changed:)`` for each accepted event (O(1), no hashing) and
/// ``flush(into:engine:scores:now:)`` after the batch, which also runs the clock-driven re-evaluations
/// due by `now`.
public struct SegmentUpdateBatch: Sendable {
    private var pending: [UInt64] = []
    private var touched: [UInt32] = []

    public init() {}

    /// Customers marked since the last flush.
    public var count: Int { touched.count }

    /// Notes that an event of a customer changed `changed` (``RuleInputs/changed(byEvent:)``).
    @inline(__always)
    public mutating func mark(customer c: UInt32, changed: RuleInputs = .all) {
        let i = Int(c)
        if i >= pending.count { pending.append(contentsOf: repeatElement(0, count: i + 1 - pending.count)) }
        if pending[i] == 0 { touched.append(c) }
        pending[i] |= changed.rawValue == 0 ? RuleInputs.all.rawValue : changed.rawValue
    }

    /// Updates every marked customer once, then the customers due by `now`; returns all the changes.
    /// - Complexity: O(marked customers × segment evaluation + due customers × (log n + evaluation)).
    public mutating func flush(into membership: inout SegmentMembership, engine: Engine,
                               scores: some SegmentScoreProvider, now: Int64) -> [SegmentChange] {
        var changes: [SegmentChange] = []
        membership.prepare(for: engine)
        for c in touched where Int(c) < engine.profiles.count {
            membership.updateBound(customer: c, in: engine, scores: scores, now: now,
                                   changed: RuleInputs(rawValue: pending[Int(c)]), into: &changes)
            pending[Int(c)] = 0
        }
        touched.removeAll(keepingCapacity: true)
        membership.advance(to: now, in: engine, scores: scores, into: &changes)
        return changes
    }
}
