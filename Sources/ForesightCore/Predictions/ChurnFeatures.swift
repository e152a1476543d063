#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The behavioural inputs of the churn classifier, each with a name a marketer reads in an explanation.
///
/// A feature has a *raw* value (days, counts, shares, as shown) and a *model input* derived from it:
/// counts and day spans enter as ln(1 + v), which keeps a customer with 300 sessions from dominating the
/// fit, shares and probabilities as they are. A raw value is NaN when it does not apply (days since the
/// last order of a customer who never ordered); the model then reads the training mean, so the feature
/// contributes nothing to that customer's score.
public enum ChurnFeature: Int, CaseIterable, Sendable {
    case daysSinceLastActivity
    case daysSinceLastOrder
    case tenureDays
    case orders
    case ordersLast90Days
    case averageOrderValue
    case sessions
    case sessionsLast90Days
    case sessionsPerWeek
    case missedSessions
    case missedOrders
    case activityTrend
    case cartAbandonment
    case emailOpenRate
    case emailOpensLast30Days
    case supportSentiment
    case supportTicketsLast90Days
    case unsubscribed
    case subscriptionCancelled
    case probabilityAlive
    case expectedTransactions

    /// A short, human-readable name ("days since last order").
    public var name: String {
        switch self {
        case .daysSinceLastActivity: "days since last activity"
        case .daysSinceLastOrder: "days since last order"
        case .tenureDays: "days since first seen"
        case .orders: "orders"
        case .ordersLast90Days: "orders in the last 90 days"
        case .averageOrderValue: "average order value"
        case .sessions: "sessions"
        case .sessionsLast90Days: "sessions in the last 90 days"
        case .sessionsPerWeek: "sessions a week (last 90 days)"
        case .missedSessions: "usual sessions missed since the last activity"
        case .missedOrders: "usual orders missed since the last order"
        case .activityTrend: "activity trend (last 30 days vs the 60 before)"
        case .cartAbandonment: "share of carts abandoned"
        case .emailOpenRate: "share of emails opened"
        case .emailOpensLast30Days: "emails opened in the last 30 days"
        case .supportSentiment: "support sentiment"
        case .supportTicketsLast90Days: "support tickets in the last 90 days"
        case .unsubscribed: "unsubscribed from email"
        case .subscriptionCancelled: "cancelled the subscription"
        case .probabilityAlive: "BG/NBD P(alive)"
        case .expectedTransactions: "BG/NBD expected orders in the horizon"
        }
    }

    /// The direction in which the feature may move the churn risk: +1 (more of it, more risk), −1 (more of
    /// it, less risk) or 0 (either). The fit keeps a weight of the expected sign or drops the feature, so
    /// that an explanation never says "6 orders: +0.4" because of a correlated feature's excess.
    public var expectedSign: Int {
        switch self {
        case .daysSinceLastActivity, .daysSinceLastOrder, .unsubscribed, .subscriptionCancelled, .missedSessions, .missedOrders:
            return 1
        case .orders, .ordersLast90Days, .sessions, .sessionsLast90Days, .sessionsPerWeek, .activityTrend, .emailOpenRate,
             .emailOpensLast30Days, .supportSentiment, .probabilityAlive, .expectedTransactions:
            return -1
        case .tenureDays, .averageOrderValue, .cartAbandonment, .supportTicketsLast90Days:
            return 0
        }
    }

    /// The name with a count of one: "order", "support ticket in the last 90 days".
    var singularName: String {
        switch self {
        case .orders: "order"
        case .ordersLast90Days: "order in the last 90 days"
        case .sessions: "session"
        case .sessionsLast90Days: "session in the last 90 days"
        case .emailOpensLast30Days: "email opened in the last 30 days"
        case .supportTicketsLast90Days: "support ticket in the last 90 days"
        case .daysSinceLastActivity: "day since last activity"
        case .daysSinceLastOrder: "day since last order"
        case .tenureDays: "day since first seen"
        default: name
        }
    }

    /// The model input of a raw value (NaN stays NaN).
    @inlinable
    public func input(_ raw: Double) -> Double {
        // A feature that does not apply stays NaN: it reads as the training mean and contributes 0
        // (`max(0, .nan)` is 0, so without this a non-buyer's "days since last order" read as 0 days).
        guard !raw.isNaN else { return .nan }
        switch self {
        case .cartAbandonment, .emailOpenRate, .supportSentiment, .unsubscribed, .subscriptionCancelled,
             .probabilityAlive, .activityTrend, .sessionsPerWeek:
            return raw
        case .missedSessions, .missedOrders:
            // The posterior odds that a customer who buys or visits at rate λ has left grow like e^{λ s}
            // after s silent days: linear in the log-odds, up to a cap that keeps outliers in check.
            return min(raw, 20)
        default:
            return log1p(max(0, raw))
        }
    }

    /// The raw value with its name, as an explanation shows it: "41 days since last order",
    /// "share of emails opened 12%", "cancelled the subscription".
    public func describe(_ raw: Double) -> String {
        guard !raw.isNaN else { return "no " + name }
        switch self {
        case .daysSinceLastActivity, .daysSinceLastOrder, .tenureDays:
            let days = Int(raw.rounded(.down))
            return "\(days) \(days == 1 ? singularName : name)"
        case .orders, .ordersLast90Days, .sessions, .sessionsLast90Days, .emailOpensLast30Days, .supportTicketsLast90Days:
            let count = Int(raw.rounded())
            return "\(count) \(count == 1 ? singularName : name)"
        case .averageOrderValue:
            return "\(name) \(Self.decimal(raw, 2))"
        case .sessionsPerWeek, .missedSessions, .missedOrders:
            return "\(Self.decimal(raw, 1)) \(name)"
        case .cartAbandonment, .emailOpenRate, .probabilityAlive:
            return "\(name) \(Int((raw * 100).rounded()))%"
        case .supportSentiment:
            return "\(name) \(Self.decimal(raw, 2))"
        case .activityTrend:
            return "\(name) ×\(Self.decimal(exp(raw), 2))"
        case .expectedTransactions:
            return "\(name) \(Self.decimal(raw, 2))"
        case .unsubscribed, .subscriptionCancelled:
            return raw > 0 ? name : "not " + name
        }
    }

    /// `v` with `places` decimals, without Foundation.
    static func decimal(_ v: Double, _ places: Int) -> String {
        let scale = pow(10, Double(places))
        let scaled = (abs(v) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled) - whole * Int(scale)
        var digits = String(fraction)
        while digits.count < places { digits = "0" + digits }
        return (v < 0 && scaled > 0 ? "-" : "") + String(whole) + (places > 0 ? "." + digits : "")
    }
}

extension ChurnFeature: Codable {
    /// The case name ("daysSinceLastOrder"), the feature's key in JSON.
    public var key: String { String(describing: self) }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let key = try container.decode(String.self)
        guard let feature = Self.allCases.first(where: { $0.key == key }) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown churn feature \(key)")
        }
        self = feature
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(key)
    }
}

/// Which events count as a customer being active: anything the customer did, except messages the
/// business sent (e-mail delivered or bounced), back-office events (ticket resolved, refund, identify)
/// and exits (unsubscribed, subscription cancelled). Custom event names count as activity.
public enum ChurnActivity {
    /// Whether an event name id shows the customer active.
    @inlinable
    public static func isActivity(_ name: UInt16) -> Bool {
        switch KnownEvent(rawValue: name) {
        case .emailDelivered?, .emailBounced?, .supportTicketResolved?, .orderRefunded?, .identify?,
             .unsubscribed?, .subscriptionCancelled?, .orderCancelled?, .orderUpdated?:
            return false
        default:
            return true
        }
    }
}
