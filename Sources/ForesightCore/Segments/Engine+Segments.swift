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

    /// Calls `body` with the input of rule evaluation for one customer at `now`.
    public func withRuleInput<R>(customer c: UInt32, scores: some SegmentScoreProvider = NoSegmentScores(), now: Int64,
                                 stageRules: StageRules = StageRules(), _ body: (RuleInput) -> R) -> R {
        RuleInput.with(profile: profiles[Int(c)], traits: ruleTraits(of: c), scores: scores.scores(for: c), now: now,
                       stageRules: stageRules, sessionGapMs: config.sessionGapMs, body)
    }

    /// Calls `body` with the profiles and traits in place, for many rule evaluations in a row (one retain
    /// for the whole loop instead of a copied profile per evaluation).
    func withRuleBuffers<R>(_ body: (UnsafeBufferPointer<Profile>, UnsafeBufferPointer<Traits>) -> R) -> R {
        profiles.withUnsafeBufferPointer { p in traits.withUnsafeBufferPointer { t in body(p, t) } }
    }

    /// The traits rules read at a profile's `traitsIndex` (index + 1; 0: never identified).
    @inline(__always)
    static func ruleTraits(_ traitsIndex: UInt32, _ all: UnsafeBufferPointer<Traits>) -> RuleTraits? {
        let index = Int(traitsIndex)
        guard index > 0, index <= all.count else { return nil }
        return RuleTraits(all, index - 1)
    }

    /// The traits rules read of a customer, read field by field (no string is copied).
    public func ruleTraits(of c: UInt32) -> RuleTraits? {
        let index = Int(profiles[Int(c)].traitsIndex)
        guard index > 0 else { return nil }
        return traits.withUnsafeBufferPointer { RuleTraits($0, index - 1) }
    }
}
