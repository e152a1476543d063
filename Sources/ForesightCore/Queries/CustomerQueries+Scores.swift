extension Engine {
    /// What sorting the customers by a column needs, score columns included: those score every
    /// customer with `models` (NaN without models or where a score does not apply), so call this on a
    /// copy of the engine taken under the lock, not under it.
    /// - Complexity: O(customers) for profile columns; for scores that of
    ///   ``populationScores(models:now:)`` (about 0.5 s at 400k customers), and for the next product one
    ///   recommendation per customer.
    public func customerSortInput(_ column: CustomerColumn, now: Int64, rules: StageRules = StageRules(),
                                  models: PredictionModels?) -> CustomerSortInput {
        guard column.isScore, let models else { return customerSortInput(column, now: now, rules: rules) }
        switch column {
        case .nextProduct:
            // Rank the recommended products by id, so that customers offered the same product sit together.
            var top = [UInt32](repeating: UInt32.max, count: profiles.count)
            for c in profiles.indices {
                if let first = recommendations(for: UInt32(c), model: models.nextProduct, count: 1, asOf: now).first {
                    top[c] = first.product
                }
            }
            var rank: [UInt32: Double] = [:]
            for (i, id) in Set(top).filter({ $0 != UInt32.max }).sorted(by: { products.string($0) < products.string($1) }).enumerated() {
                rank[id] = Double(i)
            }
            return CustomerSortInput(keys: .numbers(top.map { rank[$0] ?? .nan }), count: profiles.count)
        default:
            let scores = populationScores(models: models, now: now)
            let keys: [Double]
            switch column {
            case .churnRisk: keys = scores.churnRisk
            case .pAlive: keys = scores.pAlive
            default: keys = scores.clv
            }
            return CustomerSortInput(keys: .numbers(keys), count: profiles.count)
        }
    }
}
