/// What "churned" means for the labels: no activity, or no order, in the window after the cutoff.
public enum ChurnDefinition: String, Sendable, Codable, CaseIterable {
    /// No event that shows the customer active (see ``ChurnActivity``). On an orders-only log (CDNOW)
    /// this is the same as ``order``.
    case activity
    /// No completed, not cancelled order.
    case order

    /// Whether `profile` churned in (`asOf`, `asOf` + `windowMs`].
    /// - Complexity: O(log n + events scanned until the first activity in the window).
    public func churned(_ profile: Profile, asOf: Int64, windowMs: Int64) -> Bool {
        let end = asOf + windowMs
        switch self {
        case .activity:
            let timeline = profile.timeline
            var i = Engine.insertionIndex(timeline, asOf)
            while i < timeline.count && timeline[i].time <= end {
                if ChurnActivity.isActivity(timeline[i].name) { return false }
                i += 1
            }
            return true
        case .order:
            return !profile.orders.contains { !$0.cancelled && $0.time > asOf && $0.time <= end }
        }
    }
}
