/// One named RFM segment: the recency scores and the FM scores (the mean of F and M, rounded down)
/// it covers.
public struct RFMSegmentRule: Sendable, Equatable, Codable {
    public var name: String
    /// Recency scores 1–5 (5 = most recent).
    public var recency: ClosedRange<Int>
    /// FM scores 1–5: (F + M) / 2 rounded down.
    public var frequencyMonetary: ClosedRange<Int>

    public init(name: String, recency: ClosedRange<Int>, frequencyMonetary: ClosedRange<Int>) {
        self.name = name
        self.recency = recency
        self.frequencyMonetary = frequencyMonetary
    }

    public func covers(r: Int, fm: Int) -> Bool { recency.contains(r) && frequencyMonetary.contains(fm) }
}

/// The score-to-name map of the RFM segments: the first rule covering a customer's (R, FM) names it.
/// Editable in the `rfm:` section of `foresight.yml`.
public struct RFMMap: Sendable, Equatable {
    public var rules: [RFMSegmentRule]

    public init(rules: [RFMSegmentRule]) { self.rules = rules }

    /// The customary eleven segments on the R × FM grid (first match wins; the grid is what results):
    ///
    /// ```
    ///        FM 1              FM 2                 FM 3              FM 4              FM 5
    /// R 5    New Customers     Potential Loyalists  Loyal Customers   Champions         Champions
    /// R 4    Promising         Potential Loyalists  Loyal Customers   Champions         Champions
    /// R 3    About to Sleep    Need Attention       Loyal Customers   Loyal Customers   Loyal Customers
    /// R 2    Hibernating       Hibernating          At Risk           At Risk           At Risk
    /// R 1    Lost              Lost                 At Risk           Can't Lose Them   Can't Lose Them
    /// ```
    public static let standard = RFMMap(rules: [
        RFMSegmentRule(name: "Champions", recency: 4...5, frequencyMonetary: 4...5),
        RFMSegmentRule(name: "Loyal Customers", recency: 3...5, frequencyMonetary: 3...5),
        RFMSegmentRule(name: "Potential Loyalists", recency: 4...5, frequencyMonetary: 2...2),
        RFMSegmentRule(name: "New Customers", recency: 5...5, frequencyMonetary: 1...1),
        RFMSegmentRule(name: "Promising", recency: 4...4, frequencyMonetary: 1...1),
        RFMSegmentRule(name: "Need Attention", recency: 3...3, frequencyMonetary: 2...2),
        RFMSegmentRule(name: "About to Sleep", recency: 3...3, frequencyMonetary: 1...1),
        RFMSegmentRule(name: "Can't Lose Them", recency: 1...1, frequencyMonetary: 4...5),
        RFMSegmentRule(name: "At Risk", recency: 1...2, frequencyMonetary: 3...5),
        RFMSegmentRule(name: "Hibernating", recency: 2...2, frequencyMonetary: 1...2),
        RFMSegmentRule(name: "Lost", recency: 1...1, frequencyMonetary: 1...2),
    ])

    /// The name of customers no rule covers.
    public static let otherName = "Other"

    /// Segment names in map order, then ``otherName``.
    public var names: [String] { rules.map(\.name) + [Self.otherName] }

    /// The FM score of F and M scores.
    @inline(__always)
    public static func frequencyMonetary(f: Int, m: Int) -> Int { (f + m) / 2 }

    /// Index of the segment of a score (``rules`` index, or `rules.count` for Other).
    public func segment(r: Int, fm: Int) -> Int {
        rules.firstIndex { $0.covers(r: r, fm: fm) } ?? rules.count
    }

    /// A 5 × 5 table of segment indices by (R − 1, FM − 1): evaluating a customer is one lookup.
    public var grid: [UInt8] {
        var out = [UInt8](repeating: 0, count: 25)
        for r in 1...5 { for fm in 1...5 { out[(r - 1) * 5 + fm - 1] = UInt8(clamping: segment(r: r, fm: fm)) } }
        return out
    }

    /// The (R, FM) cells no rule covers.
    public var uncoveredCells: [(r: Int, fm: Int)] {
        var out: [(Int, Int)] = []
        for r in 1...5 { for fm in 1...5 where segment(r: r, fm: fm) == rules.count { out.append((r, fm)) } }
        return out
    }
}
