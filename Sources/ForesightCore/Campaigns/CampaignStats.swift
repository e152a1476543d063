import Foundation

/// One trigger's counts: how often it held, fired, held out and was suppressed by each guard.
public struct TriggerCounts: Sendable, Equatable, Codable {
    public var fired = 0
    public var heldOut = 0
    /// Messages moved out of quiet hours (they are counted as fired, or suppressed, when they go out).
    public var delayed = 0
    /// Per ``SuppressionReason`` (by its index in `allCases`; held out is counted in ``heldOut``).
    public var byReason = [Int](repeating: 0, count: SuppressionReason.allCases.count)

    public init() {}

    /// The suppressions by reason (rawValue → count), the reasons that happened only.
    public var suppressed: [String: Int] {
        get {
            var out: [String: Int] = [:]
            for (i, r) in SuppressionReason.allCases.enumerated() where byReason[i] > 0 { out[r.rawValue] = byReason[i] }
            return out
        }
        set {
            byReason = SuppressionReason.allCases.map { newValue[$0.rawValue] ?? 0 }
        }
    }

    public var suppressedTotal: Int { byReason.reduce(0, +) }

    /// Counts one suppression.
    mutating func count(_ reason: SuppressionReason) {
        byReason[reason.index] += 1
    }
}

/// A customer exposed to a trigger (messaged, or held out) and whether she converted in the window.
struct Exposure: Sendable, Equatable {
    var customer: UInt32
    var time: Int64
    var heldOut: Bool
    var converted: Bool
}

/// Conversion of the messaged customers against the held-out ones, over the exposures whose window has
/// closed (or that converted already: a conversion is final).
public struct TriggerUplift: Sendable, Equatable, Codable {
    public var treated: Int
    public var treatedConverted: Int
    public var heldOut: Int
    public var heldOutConverted: Int

    public var treatedRate: Double? { treated > 0 ? Double(treatedConverted) / Double(treated) : nil }
    public var heldOutRate: Double? { heldOut > 0 ? Double(heldOutConverted) / Double(heldOut) : nil }

    /// Treated rate minus held-out rate (percentage points as a fraction).
    public var uplift: Double? {
        guard let t = treatedRate, let c = heldOutRate else { return nil }
        return t - c
    }

    /// The 95% confidence interval of the uplift: Newcombe's hybrid score interval of a difference of two
    /// proportions (Newcombe 1998, method 10), from each group's Wilson interval. The normal approximation
    /// (rate ± 1.96 standard errors) gives a held-out group with no conversion no spread at all, and so a
    /// "significant" uplift on a handful of customers; this one stays within ±1 and is right near 0% and 100%.
    public var interval: (low: Double, high: Double)? {
        guard let t = treatedRate, let c = heldOutRate, let u = uplift else { return nil }
        let a = Self.wilson(t, Double(treated)), b = Self.wilson(c, Double(heldOut))
        let low = u - ((t - a.low) * (t - a.low) + (b.high - c) * (b.high - c)).squareRoot()
        let high = u + ((a.high - t) * (a.high - t) + (c - b.low) * (c - b.low)).squareRoot()
        return (low, high)
    }

    /// The 95% Wilson score interval of a proportion `p` of `n`.
    static func wilson(_ p: Double, _ n: Double) -> (low: Double, high: Double) {
        let z = 1.959963984540054, z2 = z * z
        let center = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / (1 + z2 / n)
        return (max(0, center - half), min(1, center + half))
    }

    /// Whether the interval excludes zero.
    public var isSignificant: Bool {
        guard let i = interval else { return false }
        return i.low > 0 || i.high < 0
    }

    enum CodingKeys: String, CodingKey {
        case treated, treatedConverted, heldOut, heldOutConverted, treatedRate, heldOutRate, uplift, low, high
    }

    public init(treated: Int = 0, treatedConverted: Int = 0, heldOut: Int = 0, heldOutConverted: Int = 0) {
        self.treated = treated
        self.treatedConverted = treatedConverted
        self.heldOut = heldOut
        self.heldOutConverted = heldOutConverted
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        treated = try c.decode(Int.self, forKey: .treated)
        treatedConverted = try c.decode(Int.self, forKey: .treatedConverted)
        heldOut = try c.decode(Int.self, forKey: .heldOut)
        heldOutConverted = try c.decode(Int.self, forKey: .heldOutConverted)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(treated, forKey: .treated)
        try c.encode(treatedConverted, forKey: .treatedConverted)
        try c.encode(heldOut, forKey: .heldOut)
        try c.encode(heldOutConverted, forKey: .heldOutConverted)
        func round(_ v: Double?) -> Double? { v.map { ($0 * 10_000).rounded() / 10_000 } }
        try c.encode(round(treatedRate), forKey: .treatedRate)
        try c.encode(round(heldOutRate), forKey: .heldOutRate)
        try c.encode(round(uplift), forKey: .uplift)
        try c.encode(round(interval?.low), forKey: .low)
        try c.encode(round(interval?.high), forKey: .high)
    }
}

/// One trigger's report line: its rule and counts, and the uplift so far.
public struct TriggerReport: Sendable, Equatable, Codable {
    public var name: String
    public var rule: String
    public var channel: String
    public var template: String
    public var fired: Int
    public var heldOut: Int
    public var delayed: Int
    public var suppressed: [String: Int]
    public var goal: String
    public var goalWindow: String
    public var conversion: TriggerUplift
}

/// What the campaigns did over a run: per trigger, and the totals.
public struct CampaignsReport: Sendable, Equatable, Codable {
    public var from: String?
    public var to: String?
    public var asOf: String?
    public var triggers: [TriggerReport]
    public var fired: Int
    public var heldOut: Int
    public var suppressed: Int
    /// Messages waiting for the end of quiet hours.
    public var waiting: Int
}

extension SuppressionReason {
    /// Its position in `allCases`.
    var index: Int {
        switch self {
        case .noConsent: return 0
        case .cooldown: return 1
        case .heldOut: return 2
        case .capDay: return 3
        case .capWeek: return 4
        case .quietHours: return 5
        }
    }
}
