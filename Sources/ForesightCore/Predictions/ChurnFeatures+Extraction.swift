#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// BG/NBD's view of one customer at the cutoff, an input of the churn classifier.
public struct BGNBDInputs: Sendable, Equatable {
    /// P(alive | x, t_x, T).
    public var probabilityAlive: Double
    /// E[Y(h) | x, t_x, T] for the classifier's horizon h.
    public var expectedTransactions: Double

    /// Creates the inputs.
    public init(probabilityAlive: Double, expectedTransactions: Double) {
        self.probabilityAlive = probabilityAlive
        self.expectedTransactions = expectedTransactions
    }
}

/// Computes the raw ``ChurnFeature`` values of one customer as of a time, from the profile's timeline
/// and orders alone, so that the same code makes training rows at a past cutoff and live scores at the
/// watermark.
public struct ChurnFeatureExtractor: Sendable {
    /// A gap between two activity events longer than this starts a new session.
    public var sessionGapMs: Int64

    /// Creates an extractor; the session gap is the engine's (30 minutes by default).
    public init(sessionGapMs: Int64 = 30 * 60 * 1000) {
        self.sessionGapMs = sessionGapMs
    }

    /// Number of features, the length of a row.
    public static let count = ChurnFeature.allCases.count

    private static let dayMs = 86_400_000.0

    /// Writes the raw feature values of `profile` as of `asOf` into `row` (``count`` values, in
    /// ``ChurnFeature`` order; NaN where a feature does not apply).
    /// - Parameters:
    ///   - asOf: the cutoff (ms since 1970); events after it are ignored.
    ///   - bgnbd: BG/NBD's P(alive) and expected transactions at the cutoff, nil for a non-buyer.
    /// - Returns: false (leaving `row` unspecified) when the customer shows no activity up to `asOf`.
    /// - Complexity: O(log n + events up to `asOf` + orders).
    @discardableResult
    public func extract(_ profile: Profile, asOf: Int64, bgnbd: BGNBDInputs?, into row: inout [Double]) -> Bool {
        if row.count != Self.count { row = [Double](repeating: .nan, count: Self.count) }
        let timeline = profile.timeline
        let end = Engine.insertionIndex(timeline, asOf)
        let day30 = asOf - 30 * 86_400_000, day90 = asOf - 90 * 86_400_000
        var first = Int64.max, last = Int64.min
        var sessions = 0, sessions30 = 0, sessionsPrior = 0
        var cartSessions = 0, abandoned = 0, sessionHasCart = false, sessionHasOrder = false
        var delivered = 0, opens = 0, opens30 = 0
        var sentimentSum = 0.0, sentimentCount = 0, tickets90 = 0
        var unsubscribed = 0.0, cancelled = 0.0
        for i in 0..<end {
            let e = timeline[i]
            let name = e.name
            guard ChurnActivity.isActivity(name) else {
                switch KnownEvent(rawValue: name) {
                case .emailDelivered?: delivered += 1
                case .unsubscribed?: unsubscribed = 1
                case .subscriptionCancelled?: cancelled = 1
                default: break
                }
                continue
            }
            let t = e.time
            if last == Int64.min || t - last > sessionGapMs {
                if sessionHasCart {
                    cartSessions += 1
                    if !sessionHasOrder { abandoned += 1 }
                }
                sessionHasCart = false
                sessionHasOrder = false
                sessions += 1
                if t > day30 { sessions30 += 1 } else if t > day90 { sessionsPrior += 1 }
            }
            if first == Int64.max { first = t }
            last = t
            switch KnownEvent(rawValue: name) {
            case .productAdded?: sessionHasCart = true
            case .orderCompleted?: sessionHasOrder = true
            case .emailOpened?:
                opens += 1
                if t > day30 { opens30 += 1 }
            case .supportTicketOpened?:
                if !e.value.isNaN {
                    sentimentSum += Double(e.value)
                    sentimentCount += 1
                }
                if t > day90 { tickets90 += 1 }
            default: break
            }
        }
        guard last != Int64.min else { return false }
        if sessionHasCart {
            cartSessions += 1
            if !sessionHasOrder { abandoned += 1 }
        }

        var orders = 0, orders90 = 0, revenue = 0.0, lastOrder = Int64.min
        for order in profile.orders where !order.cancelled && order.time <= asOf {
            orders += 1
            revenue += order.revenue
            if order.time > day90 { orders90 += 1 }
            if order.time > lastOrder { lastOrder = order.time }
        }

        let dayMs = Self.dayMs
        func set(_ f: ChurnFeature, _ v: Double) { row[f.rawValue] = v }
        set(.daysSinceLastActivity, Double(asOf - last) / dayMs)
        set(.daysSinceLastOrder, orders > 0 ? Double(asOf - lastOrder) / dayMs : .nan)
        set(.tenureDays, Double(asOf - first) / dayMs)
        set(.orders, Double(orders))
        set(.ordersLast90Days, Double(orders90))
        set(.averageOrderValue, orders > 0 ? revenue / Double(orders) : .nan)
        set(.sessions, Double(sessions))
        set(.sessionsLast90Days, Double(sessions30 + sessionsPrior))
        // Over the last 90 days, or since the first activity when that is more recent (at least a day).
        let span = min(90, max(1, Double(asOf - first) / dayMs))
        let sessionsPerDay = Double(sessions30 + sessionsPrior) / span
        set(.sessionsPerWeek, sessionsPerDay * 7)
        set(.missedSessions, Double(asOf - last) / dayMs * sessionsPerDay)
        // Orders per day since the first activity (at least a week), times the days since the last order.
        let ordersPerDay = Double(orders) / max(7, Double(asOf - first) / dayMs)
        set(.missedOrders, orders > 0 ? Double(asOf - lastOrder) / dayMs * ordersPerDay : .nan)
        set(.activityTrend, log((Double(sessions30) + 1) / (Double(sessionsPrior) / 2 + 1)))
        set(.cartAbandonment, cartSessions > 0 ? Double(abandoned) / Double(cartSessions) : .nan)
        set(.emailOpenRate, delivered > 0 ? min(1, Double(opens) / Double(delivered)) : .nan)
        set(.emailOpensLast30Days, Double(opens30))
        set(.supportSentiment, sentimentCount > 0 ? sentimentSum / Double(sentimentCount) : .nan)
        set(.supportTicketsLast90Days, Double(tickets90))
        set(.unsubscribed, unsubscribed)
        set(.subscriptionCancelled, cancelled)
        set(.probabilityAlive, bgnbd?.probabilityAlive ?? .nan)
        set(.expectedTransactions, bgnbd?.expectedTransactions ?? .nan)
        return true
    }
}
