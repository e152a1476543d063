/// The behaviour pattern a synthetic customer follows.
///
/// Shares and rates are chosen so that the population is heterogeneous in the ways the models
/// care about: who buys again, who never buys, who fades away and who leaves on purpose.
public enum Archetype: UInt8, CaseIterable, Sendable {
    /// Frequent visits and repeat orders.
    case loyal
    /// Occasional visits, an order now and then.
    case regular
    /// Buys once, then rarely comes back.
    case oneTime
    /// Browses and fills carts but never orders.
    case browser
    /// Active at first; activity decays and stops.
    case churner
    /// Active, then cancels the subscription or unsubscribes, with unhappy support contact first.
    case canceller
    /// A visitor who never signs up: `anonymousId` only.
    case anonymous

    /// Share of the population.
    var share: Double {
        switch self {
        case .loyal: return 0.15
        case .regular: return 0.22
        case .oneTime: return 0.14
        case .browser: return 0.22
        case .churner: return 0.15
        case .canceller: return 0.06
        case .anonymous: return 0.06
        }
    }

    /// Mean sessions per day while fully active.
    var sessionsPerDay: Double {
        switch self {
        case .loyal: return 0.36
        case .regular: return 0.15
        case .oneTime: return 0.16
        case .browser: return 0.17
        case .churner: return 0.26
        case .canceller: return 0.16
        case .anonymous: return 0.2
        }
    }

    /// Probability that a session puts something in the cart.
    var cartRate: Double {
        switch self {
        case .loyal: return 0.5
        case .regular: return 0.38
        case .oneTime: return 0.45
        case .browser: return 0.2
        case .churner: return 0.35
        case .canceller: return 0.3
        case .anonymous: return 0.15
        }
    }

    /// Probability that a filled cart goes to checkout.
    var checkoutRate: Double {
        switch self {
        case .loyal: return 0.75
        case .regular: return 0.6
        case .oneTime: return 0.7
        case .browser: return 0.22
        case .churner: return 0.55
        case .canceller: return 0.55
        case .anonymous: return 0.15
        }
    }

    /// Probability that a started checkout becomes an order.
    var orderRate: Double {
        switch self {
        case .loyal: return 0.88
        case .regular: return 0.72
        case .oneTime: return 0.85
        case .churner: return 0.7
        case .canceller: return 0.65
        case .browser, .anonymous: return 0
        }
    }

    /// Probability of opening a delivered campaign e-mail.
    var emailOpenRate: Double {
        switch self {
        case .loyal: return 0.45
        case .regular: return 0.3
        case .oneTime: return 0.18
        case .browser: return 0.25
        case .churner: return 0.28
        case .canceller: return 0.12
        case .anonymous: return 0
        }
    }

    /// The archetype's name as printed in summaries and tests.
    public var label: String {
        switch self {
        case .loyal: return "loyal"
        case .regular: return "regular"
        case .oneTime: return "one-time"
        case .browser: return "browser"
        case .churner: return "churner"
        case .canceller: return "canceller"
        case .anonymous: return "anonymous"
        }
    }

    static let cumulativeShares = cumulativeWeights(allCases.map(\.share))
}
