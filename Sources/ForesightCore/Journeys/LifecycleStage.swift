/// Where a customer stands in the journey. The base stages are reached by what the customer did;
/// At Risk and Lapsed override them after a stretch of inactivity.
public enum LifecycleStage: Int, CaseIterable, Sendable, Codable, Comparable {
    case awareness, consideration, purchase, retention, advocacy, atRisk, lapsed

    public var label: String {
        switch self {
        case .awareness: return "Awareness"
        case .consideration: return "Consideration"
        case .purchase: return "Purchase"
        case .retention: return "Retention"
        case .advocacy: return "Advocacy"
        case .atRisk: return "At Risk"
        case .lapsed: return "Lapsed"
        }
    }

    public static func < (a: LifecycleStage, b: LifecycleStage) -> Bool { a.rawValue < b.rawValue }
}

/// The default stage rules (configurable stages come with the journeys configuration).
public struct StageRules: Sendable, Equatable {
    /// Days without any event after which a buyer is At Risk.
    public var atRiskAfterDays: Int
    /// Days without any event after which a customer is Lapsed.
    public var lapsedAfterDays: Int

    public init(atRiskAfterDays: Int = 30, lapsedAfterDays: Int = 90) {
        self.atRiskAfterDays = atRiskAfterDays
        self.lapsedAfterDays = lapsedAfterDays
    }

    /// The stage reached by actions alone, ignoring inactivity.
    public func reachedStage(_ p: Profile) -> LifecycleStage {
        if p.orderCount >= 1 && p.advocacy > 0 { return .advocacy }
        if p.orderCount >= 2 { return .retention }
        if p.orderCount >= 1 { return .purchase }
        if p.productViews > 0 || p.cartAdds > 0 || p.checkouts > 0 { return .consideration }
        return .awareness
    }

    /// The current stage at event time `now`.
    public func stage(_ p: Profile, now: Int64) -> LifecycleStage {
        let idleDays = (now - p.lastSeen) / 86_400_000
        if idleDays >= Int64(lapsedAfterDays) { return .lapsed }
        let reached = reachedStage(p)
        if idleDays >= Int64(atRiskAfterDays) && reached >= .purchase { return .atRisk }
        return reached
    }
}
