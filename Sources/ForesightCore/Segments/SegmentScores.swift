/// The model scores a rule can test for one customer; nil when unknown (a comparison with an unknown
/// is false).
public struct SegmentScores: Sendable, Equatable {
    public var churnRisk: Double?
    public var pAlive: Double?
    public var clv: Double?
    public var expectedOrders: Double?

    public init(churnRisk: Double? = nil, pAlive: Double? = nil, clv: Double? = nil, expectedOrders: Double? = nil) {
        self.churnRisk = churnRisk
        self.pAlive = pAlive
        self.clv = clv
        self.expectedOrders = expectedOrders
    }

    /// Nothing known.
    public static let unknown = SegmentScores()

    func value(_ field: RuleField) -> Double? {
        switch field {
        case .churnRisk: return churnRisk
        case .pAlive: return pAlive
        case .clv: return clv
        case .expectedOrders: return expectedOrders
        default: return nil
        }
    }
}

/// Gives the scores of a customer (dense customer id) to rule evaluation.
public protocol SegmentScoreProvider: Sendable {
    /// The scores of one customer; ``SegmentScores/unknown`` when not scored.
    func scores(for customer: UInt32) -> SegmentScores
}

/// No scores: every score comparison is false.
public struct NoSegmentScores: SegmentScoreProvider {
    public init() {}
    public func scores(for customer: UInt32) -> SegmentScores { .unknown }
}

/// Scores held in dense arrays by customer id (NaN for unknown), built from a scoring run.
public struct SegmentScoreTable: SegmentScoreProvider {
    private var churnRisk: [Float] = []
    private var pAlive: [Float] = []
    private var clv: [Float] = []
    private var expectedOrders: [Float] = []

    /// The table without the erased customers (old ids, ascending), the others renumbered.
    public func removing(_ erased: [UInt32]) -> SegmentScoreTable {
        guard !erased.isEmpty else { return self }
        let gone = Set(erased.map(Int.init))
        func drop(_ a: [Float]) -> [Float] { a.enumerated().compactMap { gone.contains($0.offset) ? nil : $0.element } }
        var t = self
        t.churnRisk = drop(churnRisk)
        t.pAlive = drop(pAlive)
        t.clv = drop(clv)
        t.expectedOrders = drop(expectedOrders)
        return t
    }

    /// An empty table for `customers` customers.
    public init(customers: Int) {
        churnRisk = Array(repeating: .nan, count: customers)
        pAlive = churnRisk
        clv = churnRisk
        expectedOrders = churnRisk
    }

    /// The table of a scoring run (``Engine/scores(asOf:options:)``), rows matched to customers by id.
    /// - Complexity: O(rows).
    public init(_ scores: CustomerScores, customers: Interner) {
        self.init(customers: customers.count)
        for row in scores.rows {
            guard let c = customers.lookup(row.id) else { continue }
            set(customer: c, SegmentScores(churnRisk: row.churnRisk, pAlive: row.pAlive, clv: row.clv,
                                           expectedOrders: row.expectedTransactions))
        }
    }

    /// The table of a population scoring run (``Engine/populationScores(models:now:)``), by customer id.
    /// - Complexity: O(customers).
    public init(_ population: PopulationScores) {
        churnRisk = population.churnRisk.map(Float.init)
        pAlive = population.pAlive.map(Float.init)
        clv = population.clv.map(Float.init)
        expectedOrders = population.expectedTransactions.map(Float.init)
    }

    /// The number of customers the table holds (scored or not).
    public var customerCount: Int { churnRisk.count }

    /// Sets one customer's scores, growing the table as needed.
    public mutating func set(customer c: UInt32, _ s: SegmentScores) {
        let i = Int(c)
        if i >= churnRisk.count {
            let extra = i + 1 - churnRisk.count
            for k in [\Self.churnRisk, \Self.pAlive, \Self.clv, \Self.expectedOrders] as [WritableKeyPath<Self, [Float]>] {
                self[keyPath: k].append(contentsOf: repeatElement(.nan, count: extra))
            }
        }
        churnRisk[i] = s.churnRisk.map(Float.init) ?? .nan
        pAlive[i] = s.pAlive.map(Float.init) ?? .nan
        clv[i] = s.clv.map(Float.init) ?? .nan
        expectedOrders[i] = s.expectedOrders.map(Float.init) ?? .nan
    }

    public func scores(for customer: UInt32) -> SegmentScores {
        let i = Int(customer)
        guard i < churnRisk.count else { return .unknown }
        func known(_ v: Float) -> Double? { v.isNaN ? nil : Double(v) }
        return SegmentScores(churnRisk: known(churnRisk[i]), pAlive: known(pAlive[i]), clv: known(clv[i]),
                             expectedOrders: known(expectedOrders[i]))
    }
}
