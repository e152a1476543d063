extension Engine {
    /// What RFM scoring needs of the customers with orders, copied out in O(customers) (run it under
    /// the engine's lock and score the extract elsewhere with ``RFMScorer/score(_:map:)``).
    public func rfmExtract() -> RFMExtract {
        var e = RFMExtract()
        e.customerCount = profiles.count
        for (i, p) in profiles.enumerated() where p.orderCount > 0 && p.lastOrder != .min {
            e.append(customer: UInt32(i), lastOrderDay: Int32(clamping: Timestamp.day(p.lastOrder)),
                     orders: p.orderCount, revenue: Float(p.revenue))
        }
        return e
    }

    /// The input of rule evaluation for one customer at `now`.
    public func ruleInput(customer c: UInt32, scores: some SegmentScoreProvider = NoSegmentScores(), now: Int64,
                          stageRules: StageRules = StageRules()) -> RuleInput {
        let p = profiles[Int(c)]
        return RuleInput(profile: p, traits: traits(of: p), scores: scores.scores(for: c), now: now,
                         stageRules: stageRules, sessionGapMs: config.sessionGapMs)
    }
}
