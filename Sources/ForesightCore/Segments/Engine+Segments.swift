extension Engine {
    /// What RFM scoring needs of the customers with orders, copied out in O(customers) (run it under
    /// the engine's lock and score the extract elsewhere with ``RFMScorer/score(_:map:)``).
    public func rfmExtract() -> RFMExtract {
        var e = RFMExtract()
        e.customerCount = profiles.count
        // Field by field through a buffer: copying a whole profile would retain its timeline and orders.
        profiles.withUnsafeBufferPointer { all in
            for i in all.indices where all[i].orderCount > 0 && all[i].lastOrder != .min {
                e.append(customer: UInt32(i), lastOrderDay: Int32(clamping: Timestamp.day(all[i].lastOrder)),
                         orders: all[i].orderCount, revenue: Float(all[i].revenue))
            }
        }
        return e
    }

    /// The input of rule evaluation for one customer at `now`.
    public func ruleInput(customer c: UInt32, scores: some SegmentScoreProvider = NoSegmentScores(), now: Int64,
                          stageRules: StageRules = StageRules()) -> RuleInput {
        RuleInput(profile: profiles[Int(c)], traits: ruleTraits(of: c), scores: scores.scores(for: c), now: now,
                  stageRules: stageRules, sessionGapMs: config.sessionGapMs)
    }

    /// The traits rules read of a customer, read field by field (no string is copied).
    public func ruleTraits(of c: UInt32) -> RuleTraits? {
        let index = Int(profiles[Int(c)].traitsIndex)
        guard index > 0 else { return nil }
        return traits.withUnsafeBufferPointer { RuleTraits($0, index - 1) }
    }
}
