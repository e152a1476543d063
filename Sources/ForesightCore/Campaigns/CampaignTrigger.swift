/// The channel a campaign message goes out on; each has the opt-in trait that gives consent.
public enum MessageChannel: String, Sendable, Codable, CaseIterable {
    case email, sms

    /// The trait that must be true for a message on this channel (no trait: no consent).
    public var consentTrait: String { self == .email ? "email_opt_in" : "sms_opt_in" }
}

/// What a trigger fires: a message on a channel, from a template, with payload fields from the profile
/// and the scores.
public struct CampaignActionSpec: Sendable, Equatable {
    public var channel: MessageChannel
    public var template: String
    /// Field names (``PayloadField``) copied into the action.
    public var payload: [PayloadField]

    public init(channel: MessageChannel, template: String, payload: [PayloadField] = []) {
        self.channel = channel
        self.template = template
        self.payload = payload
    }
}

/// A score a trigger can watch cross a threshold.
public enum WatchedScore: String, Sendable, CaseIterable {
    case churnRisk = "churn_risk"
    case pAlive = "p_alive"
    case clv
    case expectedOrders = "expected_orders"
}

/// What makes a trigger fire.
public enum TriggerCondition: Sendable, Equatable {
    /// An event of this name (with an optional test of its value: `Order Completed where revenue > 200`).
    case event(StageEvent)
    /// A score crossing a threshold: rising above it (`true`) or falling below it, between two score runs.
    case score(WatchedScore, rises: Bool, threshold: Double)
    /// Entering (`true`) or leaving a rule segment.
    case segment(String, enters: Bool)
    /// An event not followed by any of `then` within `withinMs` (`Product Added` not followed by
    /// `Order Completed` within 1h): fires `withinMs` after the latest such event.
    case notFollowed(StageEvent, then: [String], withinMs: Int64)
    /// No event at all for `forMs` (`no session for 30d`): fires once per quiet stretch.
    case inactivity(forMs: Int64)

    /// As the configuration says it, for the screen and reports.
    public var description: String {
        switch self {
        case .event(let e): return "on \(e.description)"
        case .score(let s, let rises, let t): return "\(s.rawValue) \(rises ? "rises above" : "falls below") \(CampaignFormat.number(t))"
        case .segment(let name, let enters): return "\(enters ? "enters" : "leaves") \(name)"
        case .notFollowed(let e, let then, let w):
            return "\(e.description) not followed by \(then.joined(separator: " or ")) within \(CampaignFormat.duration(w))"
        case .inactivity(let ms): return "no event for \(CampaignFormat.duration(ms))"
        }
    }

    /// Whether this condition runs on a timer (fires without an event of the customer).
    public var isTimer: Bool {
        switch self {
        case .notFollowed, .inactivity: return true
        default: return false
        }
    }
}

/// One campaign trigger from `triggers:` in the configuration.
public struct CampaignTrigger: Sendable {
    public var name: String
    public var description: String?
    public var condition: TriggerCondition
    /// An extra test on the customer at the moment the trigger fires (`clv > 200`), in the segment rule
    /// language; nil: none.
    public var when: CompiledRule?
    public var action: CampaignActionSpec
    /// No second firing for the same customer within this time (ms); 0: none.
    public var cooldownMs: Int64
    /// The share of customers (by a stable hash of their id) held out as the control group, 0–0.5.
    public var controlShare: Double
    /// The event that counts as a conversion, and the window after the trigger it must fall in.
    public var goal: String
    public var goalWindowMs: Int64

    public init(name: String, description: String? = nil, condition: TriggerCondition, when: CompiledRule? = nil,
                action: CampaignActionSpec, cooldownMs: Int64 = 7 * 86_400_000, controlShare: Double = 0.1,
                goal: String = "Order Completed", goalWindowMs: Int64 = 7 * 86_400_000) {
        self.name = name
        self.description = description
        self.condition = condition
        self.when = when
        self.action = action
        self.cooldownMs = cooldownMs
        self.controlShare = controlShare
        self.goal = goal
        self.goalWindowMs = goalWindowMs
    }

    /// The whole rule in one line: condition, extra test.
    public var summary: String {
        condition.description + (when.map { " and \($0.text)" } ?? "")
    }
}

/// Guards that hold across all triggers: the caps per customer and the quiet hours.
public struct CampaignSettings: Sendable, Equatable {
    /// Messages per customer in any 24 hours, and in any 7 days, across all triggers (0: no cap).
    public var capPerDay: Int = 2
    public var capPerWeek: Int = 5
    public var quietHours: QuietHours? = QuietHours()

    public init(capPerDay: Int = 2, capPerWeek: Int = 5, quietHours: QuietHours? = QuietHours()) {
        self.capPerDay = capPerDay
        self.capPerWeek = capPerWeek
        self.quietHours = quietHours
    }
}

/// Number and duration text for trigger descriptions.
enum CampaignFormat {
    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e12 ? String(Int(v)) : String(v)
    }

    static func duration(_ ms: Int64) -> String {
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1_000)]
        where ms % size == 0 && ms >= size {
            return "\(ms / size)\(unit)"
        }
        return "\(ms)ms"
    }
}
