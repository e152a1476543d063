/// The steps of a funnel: `Product Viewed, Product Added|Product Added to Wishlist, Order Completed` —
/// steps separated by commas, alternatives within a step by `|`, spaces around names ignored.
public struct FunnelSteps: Sendable, Equatable, CustomStringConvertible {
    /// Each step's alternative event names.
    public var steps: [[String]]
    /// Conversion window from the first step's match (ms); nil for none.
    public var windowMs: Int64?

    /// The most steps a funnel may have.
    public static let maxSteps = 16

    public init(steps: [[String]], windowMs: Int64? = nil) {
        self.steps = steps
        self.windowMs = windowMs
    }

    /// The steps as they are written (`A, B|C, D`).
    public var description: String { steps.map { $0.joined(separator: "|") }.joined(separator: ", ") }

    /// The label of one step (`B|C`).
    public func label(_ k: Int) -> String { steps[k].joined(separator: "|") }

    /// Parses a step list. - Throws: ``JourneyError`` naming the empty or malformed step.
    public static func parse(_ text: String, windowMs: Int64? = nil) throws(JourneyError) -> FunnelSteps {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { throw .badSteps("no steps: write them as \"A, B|C, D\" (commas between steps, | between alternatives)") }
        var steps: [[String]] = []
        for (i, raw) in trimmed.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let names = raw.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
            if names.allSatisfy(\.isEmpty) { throw .badSteps("step \(i + 1) is empty (two commas in a row, or a comma at an end?)") }
            if let j = names.firstIndex(where: \.isEmpty) {
                throw .badSteps("step \(i + 1) has an empty alternative \(j + 1) ('|' at an end or twice in a row)")
            }
            steps.append(names)
        }
        guard steps.count <= maxSteps else { throw .badSteps("\(steps.count) steps: a funnel has at most \(maxSteps)") }
        if let w = windowMs, w <= 0 { throw .badSteps("the conversion window must be positive") }
        return FunnelSteps(steps: steps, windowMs: windowMs)
    }

    /// Each step as a bit set per event-name id of `engine`. A name the engine has never seen is an error
    /// unless it is a built-in event name (simply absent from this log).
    /// - Returns: per name id, bit k set when the name matches step k.
    func bind(_ names: Interner) throws(JourneyError) -> [UInt32] {
        var table = [UInt32](repeating: 0, count: names.count)
        for (k, alternatives) in steps.enumerated() {
            for name in alternatives {
                if let id = names.lookup(name), id < UInt32(TimelineEntry.maxNameID) {
                    table[Int(id)] |= 1 << UInt32(k)
                } else if !KnownEvent.allCases.contains(where: { $0.name == name }) {
                    let all = (0..<names.count).map { names.string(UInt32($0)) }
                    let hint = RuleParser.closest(to: name, in: all).map { "; did you mean '\($0)'?" } ?? ""
                    throw .unknownEvent("step \(k + 1): no event is named '\(name)' in this log\(hint)")
                }
            }
        }
        return table
    }
}

/// What a journey query could not do, in words for the user.
public enum JourneyError: Error, Sendable, Equatable, CustomStringConvertible {
    case badSteps(String)
    case unknownEvent(String)
    case unknownCustomer(String)
    case badDuration(String)

    public var description: String {
        switch self {
        case .badSteps(let m), .unknownEvent(let m), .unknownCustomer(let m), .badDuration(let m): return m
        }
    }
}

/// Durations as the configuration and the commands write them: `7d`, `12h`, `30m`, `45s`.
public enum JourneyDuration {
    /// Milliseconds of a duration. - Throws: ``JourneyError/badDuration(_:)`` for anything else.
    public static func parse(_ text: String) throws(JourneyError) -> Int64 {
        let t = text.trimmingSpaces
        guard let unit = t.last, let n = Double(t.dropLast()), n > 0 else {
            throw .badDuration("'\(text)' is not a duration: write a number and a unit, e.g. 7d, 12h, 30m")
        }
        let ms: Double
        switch unit {
        case "d": ms = 86_400_000
        case "h": ms = 3_600_000
        case "m": ms = 60_000
        case "s": ms = 1_000
        case "w": ms = 7 * 86_400_000
        default: throw .badDuration("'\(text)': the unit must be d, h, m, s or w")
        }
        return Int64(n * ms)
    }
}
