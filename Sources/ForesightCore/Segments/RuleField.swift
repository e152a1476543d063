/// A customer field that a segment rule can test, with its type.
///
/// Names are snake_case as a marketer writes them in `foresight.yml`; `frequency` is an alias of
/// `orders`. Day fields (`*_days`) are elapsed time in fractional days at the evaluation time, so
/// `recency_days <= 7` means "an event within the last 7 × 24 hours" and becomes false exactly then.
public enum RuleField: String, CaseIterable, Sendable, Codable {
    // Time since a moment of the customer's history, in days (change with the clock).
    case recencyDays = "recency_days"
    case daysSinceOrder = "days_since_order"
    case tenureDays = "tenure_days"
    // Counters of the profile.
    case orders, revenue, aov, refunds, sessions, events
    case sessions30d = "sessions_30d"
    case pageViews = "page_views"
    case productViews = "product_views"
    case cartAdds = "cart_adds"
    case checkouts
    case emailOpens = "email_opens"
    case emailClicks = "email_clicks"
    case supportTickets = "support_tickets"
    // Traits from `identify`.
    case country, city, plan, age
    case emailOptIn = "email_opt_in"
    case smsOptIn = "sms_opt_in"
    // Lifecycle stage at the evaluation time.
    case stage
    // Scores from the models (unknown until scored).
    case churnRisk = "churn_risk"
    case pAlive = "p_alive"
    case clv
    case expectedOrders = "expected_orders"

    /// What values a field holds, which decides the operators and literals it accepts.
    public enum Kind: Sendable, Equatable {
        /// A number; `*_days` fields also accept durations (`7d`).
        case number
        /// Text compared exactly (`=`, `!=`, `in`): country, city, plan.
        case text
        /// true / false (unknown when the customer never said).
        case bool
        /// A lifecycle stage name ("At Risk").
        case stage
    }

    /// The field's kind.
    public var kind: Kind {
        switch self {
        case .country, .city, .plan: return .text
        case .emailOptIn, .smsOptIn: return .bool
        case .stage: return .stage
        default: return .number
        }
    }

    /// Whether a duration literal (`30d`) may be compared with this field (it is read in days).
    public var isDays: Bool { self == .recencyDays || self == .daysSinceOrder || self == .tenureDays }

    /// Whether the field comes from the score provider rather than the profile.
    public var isScore: Bool { self == .churnRisk || self == .pAlive || self == .clv || self == .expectedOrders }

    /// The field a name in a rule refers to (`frequency` is `orders`), or nil.
    public static func named(_ name: String) -> RuleField? {
        if name == "frequency" { return .orders }
        return RuleField(rawValue: name)
    }

    /// Every name a rule may use, aliases included, for messages and documentation.
    public static var allNames: [String] { allCases.map(\.rawValue) + ["frequency"] }

    /// One line on what the field means, for the documentation and `foresight segments --fields`.
    public var summary: String {
        switch self {
        case .recencyDays: return "days since the latest event (fractional)"
        case .daysSinceOrder: return "days since the latest order (unknown without orders)"
        case .tenureDays: return "days since the first event"
        case .orders: return "completed, not cancelled orders (alias: frequency)"
        case .revenue: return "revenue of those orders, before refunds"
        case .aov: return "average order value (0 without orders)"
        case .refunds: return "amount refunded"
        case .sessions: return "sessions (30-minute gap)"
        case .sessions30d: return "sessions started in the last 30 days"
        case .events: return "events of any kind"
        case .pageViews: return "page and screen views"
        case .productViews: return "Product Viewed events"
        case .cartAdds: return "Product Added events"
        case .checkouts: return "Checkout Started events"
        case .emailOpens: return "Email Opened events"
        case .emailClicks: return "Email Link Clicked events"
        case .supportTickets: return "Support Ticket Opened events"
        case .country: return "country trait, exact text"
        case .city: return "city trait, exact text"
        case .plan: return "plan trait, exact text"
        case .age: return "age trait (unknown when not sent)"
        case .emailOptIn: return "email consent (unknown when not sent)"
        case .smsOptIn: return "SMS consent (unknown when not sent)"
        case .stage: return "lifecycle stage: Awareness, Consideration, Purchase, Retention, Advocacy, At Risk, Lapsed"
        case .churnRisk: return "probability of no activity in the churn window (classifier)"
        case .pAlive: return "BG/NBD probability that the customer is still active (buyers)"
        case .clv: return "discounted customer lifetime value (buyers)"
        case .expectedOrders: return "BG/NBD expected orders in the horizon (buyers)"
        }
    }
}

extension LifecycleStage {
    /// The stage a rule literal names: its label, any case, spaces or underscores ("at_risk").
    public static func named(_ text: String) -> LifecycleStage? {
        let key = String(text.lowercased().map { $0 == "_" ? " " : $0 })
        return allCases.first { $0.label.lowercased() == key }
    }
}
