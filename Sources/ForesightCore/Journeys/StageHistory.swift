/// A customer entering a stage at an event time.
public struct StageChange: Sendable, Equatable, Codable {
    /// Event time (ms) of the change: the event that reached a base stage, or the moment inactivity
    /// crossed the At Risk or Lapsed threshold.
    public var time: Int64
    public var stage: LifecycleStage

    public init(time: Int64, stage: LifecycleStage) {
        self.time = time
        self.stage = stage
    }
}

extension StageRules {
    /// Every stage change of a customer up to `now`, oldest first: the first entry is her first event.
    ///
    /// Base stages move forward at the events that reach them; a gap of `atRiskAfterDays` (for a customer at
    /// `atRiskFrom` or further) or `lapsedAfterDays` without an event enters At Risk or Lapsed at the threshold,
    /// and her next event returns her to the furthest base stage. When `churnRisk` is given (a fitted model)
    /// and puts the current stage elsewhere than inactivity does, a last change at `now` records it.
    /// - Complexity: O(events of the customer).
    public func history(_ p: Profile, now: Int64, churnRisk: Double? = nil) -> [StageChange] {
        var changes: [StageChange] = []
        var scan = StageScan(rules: self)
        var previous: Int64?
        let day = Self.dayMs
        func enter(_ stage: LifecycleStage, at t: Int64) {
            if changes.last?.stage != stage { changes.append(StageChange(time: t, stage: stage)) }
        }
        func idle(from last: Int64, to end: Int64) {
            // Inactivity between two events (or up to now): At Risk, then Lapsed, at their thresholds.
            let atRisk = last + Int64(atRiskAfterDays) * day, lapsed = last + Int64(lapsedAfterDays) * day
            if scan.reached >= atRiskFrom && atRisk <= end && atRisk < lapsed { enter(.atRisk, at: atRisk) }
            if lapsed <= end { enter(.lapsed, at: lapsed) }
        }
        for e in p.timeline {
            if e.time > now { break }
            if let previous, e.time > previous { idle(from: previous, to: e.time) }
            scan.add(e, orders: p.orders)
            enter(scan.reached, at: e.time)
            previous = e.time
        }
        guard let last = previous else { return [] }
        idle(from: last, to: now)
        let current = stage(reached: scan.reached, lastSeen: last, now: now, churnRisk: churnRisk)
        enter(current, at: now)
        return changes
    }

    /// The stage a customer was in at `time`, from her history (nil before her first event).
    /// - Complexity: O(events up to `time`).
    public func stage(_ p: Profile, at time: Int64) -> LifecycleStage? {
        guard let first = p.timeline.first, first.time <= time else { return nil }
        return stage(p, now: time)
    }
}
