/// The columns of the customers table, each sortable.
public enum CustomerColumn: String, CaseIterable, Sendable, Codable {
    case id, country, lastSeen, orders, revenue, sessions, events, stage, churnRisk, pAlive, clv, nextProduct

    public var title: String {
        switch self {
        case .id: return "Customer"
        case .country: return "Country"
        case .lastSeen: return "Last seen"
        case .orders: return "Orders"
        case .revenue: return "Revenue"
        case .sessions: return "Sessions"
        case .events: return "Events"
        case .stage: return "Stage"
        case .churnRisk: return "Churn risk"
        case .pAlive: return "P(alive)"
        case .clv: return "CLV"
        case .nextProduct: return "Next product"
        }
    }

    /// Whether the column shows a model score: it needs fitted models, and sorting by it scores every
    /// customer.
    public var isScore: Bool {
        switch self {
        case .churnRisk, .pAlive, .clv, .nextProduct: return true
        default: return false
        }
    }

    /// The direction a user expects first: biggest or most recent first for numbers, A→Z for text.
    public var defaultDescending: Bool {
        switch self {
        case .id, .country, .stage, .nextProduct: return false
        default: return true
        }
    }
}

/// One customer as the customers table shows it.
public struct CustomerRow: Sendable, Equatable {
    public var index: UInt32
    public var id: String
    public var country: String?
    public var lastSeen: Int64
    public var orders: Int
    public var revenue: Double
    public var sessions: Int
    public var events: Int
    public var stage: LifecycleStage
    /// Live scores (nil before the models are fitted, or where a score does not apply).
    public var churnRisk: Double?
    public var pAlive: Double?
    public var clv: Double?
    /// The first recommended product.
    public var nextProduct: String?
}

extension Engine {
    /// The row of one customer; `now` is the event-time clock (the watermark). With `models`, the row
    /// carries her live scores (see ``liveScore(_:models:now:nextProducts:)``).
    public func customerRow(_ c: UInt32, now: Int64, rules: StageRules = StageRules(), models: PredictionModels? = nil) -> CustomerRow {
        let p = profiles[Int(c)]
        let rules = rules.bound(to: eventNames)
        var row = CustomerRow(index: c, id: displayKey(c), country: country(of: p), lastSeen: p.lastSeen,
                              orders: Int(p.orderCount), revenue: p.revenue, sessions: Int(p.sessions),
                              events: Int(p.events), stage: rules.stage(p, now: now))
        if let models {
            let score = liveScore(c, models: models, now: now, nextProducts: 1)
            // Where the churn model is fitted, At Risk comes from her churn risk (StageRules).
            row.stage = rules.stage(p, now: now, churnRisk: score.churnRisk)
            row.churnRisk = score.churnRisk
            // Without a repeat purchase P(alive) is 1 by the model's assumption, not a finding: left blank.
            row.pAlive = (score.repeatTransactions ?? 0) > 0 ? score.pAlive : nil
            row.clv = score.clv
            row.nextProduct = score.nextProducts.first.map { products.string($0.product) }
        }
        return row
    }

    /// The traits of a customer, if identified.
    public func traits(of p: Profile) -> Traits? {
        p.traitsIndex == 0 ? nil : traits[Int(p.traitsIndex) - 1]
    }

    /// The country trait as text.
    public func country(of p: Profile) -> String? {
        guard let t = traits(of: p), t.country != UInt32.max else { return nil }
        return labels.string(t.country)
    }

    /// What sorting the customers by a column needs, copied out under the engine's lock in O(customers)
    /// so that the O(n log n) sort can run elsewhere.
    public func customerSortInput(_ column: CustomerColumn, now: Int64, rules: StageRules = StageRules()) -> CustomerSortInput {
        switch column {
        case .id:
            return CustomerSortInput(keys: .ids(customers), count: profiles.count)
        case .country:
            // Rank the country labels alphabetically once; unknown sorts last.
            var rank: [UInt32: Int32] = [:]
            let used = Set(traits.map(\.country)).filter { $0 != UInt32.max }
            for (i, id) in used.sorted(by: { labels.string($0) < labels.string($1) }).enumerated() { rank[id] = Int32(i) }
            let keys = profiles.map { p -> Double in
                guard let t = traits(of: p), let r = rank[t.country] else { return Double(Int32.max) }
                return Double(r)
            }
            return CustomerSortInput(keys: .numbers(keys), count: profiles.count)
        case .lastSeen: return CustomerSortInput(keys: .numbers(profiles.map { Double($0.lastSeen) }), count: profiles.count)
        case .orders: return CustomerSortInput(keys: .numbers(profiles.map { Double($0.orderCount) }), count: profiles.count)
        case .revenue: return CustomerSortInput(keys: .numbers(profiles.map(\.revenue)), count: profiles.count)
        case .sessions: return CustomerSortInput(keys: .numbers(profiles.map { Double($0.sessions) }), count: profiles.count)
        case .events: return CustomerSortInput(keys: .numbers(profiles.map { Double($0.events) }), count: profiles.count)
        case .stage:
            let rules = rules.bound(to: eventNames)
            return CustomerSortInput(keys: .numbers(profiles.map { Double(rules.stage($0, now: now).rawValue) }), count: profiles.count)
        case .churnRisk, .pAlive, .clv, .nextProduct:
            // Scores need models: see customerSortInput(_:now:rules:models:).
            return CustomerSortInput(keys: .numbers([Double](repeating: .nan, count: profiles.count)), count: profiles.count)
        }
    }
}

/// Sort keys of all customers for one column, detached from the engine.
public struct CustomerSortInput: Sendable {
    public enum Keys: Sendable {
        case numbers([Double])
        case ids(Interner)
    }
    public var keys: Keys
    public var count: Int

    /// Customer indices in sorted order; ties broken by customer index so the order is stable. Customers
    /// without a value (NaN: no score) come last in either direction.
    /// - Parameters:
    ///   - subset: sort only these customers (a search or segment); nil for all.
    /// - Complexity: O(n log n).
    public func sorted(descending: Bool, subset: [UInt32]? = nil) -> [UInt32] {
        var order = subset ?? (0..<UInt32(count)).map { $0 }
        switch keys {
        case .numbers(let k):
            order.sort { a, b in
                let ka = k[Int(a)], kb = k[Int(b)]
                if ka.isNaN || kb.isNaN { return ka.isNaN == kb.isNaN ? a < b : kb.isNaN }
                if ka != kb { return descending ? ka > kb : ka < kb }
                return a < b
            }
        case .ids(let interner):
            order.sort { a, b in
                let c = interner.compare(a, b)
                if c != 0 { return descending ? c > 0 : c < 0 }
                return a < b
            }
        }
        return order
    }
}
