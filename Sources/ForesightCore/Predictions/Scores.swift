/// Settings of the per-customer scores.
public struct ScoresOptions: Sendable, Equatable {
    /// Horizon of the expected transactions and the churn window, in days.
    public var horizonDays: Int
    /// The BG/NBD time unit.
    public var unit: ModelTimeUnit
    /// What counts as churn.
    public var definition: ChurnDefinition
    /// CLV horizon and discount.
    public var clv: CLVOptions
    /// Reasons per customer.
    public var reasons: Int
    /// Next products per customer.
    public var nextProducts: Int

    /// Creates options: 60 days, weeks, activity churn, 12-month CLV, 3 reasons and 3 products.
    public init(horizonDays: Int = 60, unit: ModelTimeUnit = .week, definition: ChurnDefinition = .activity,
                clv: CLVOptions = CLVOptions(), reasons: Int = 3, nextProducts: Int = 3) {
        self.horizonDays = horizonDays
        self.unit = unit
        self.definition = definition
        self.clv = clv
        self.reasons = reasons
        self.nextProducts = nextProducts
    }
}

/// One customer's scores, as `foresight scores` prints them.
public struct CustomerScoreRow: Sendable, Equatable, Codable {
    /// The customer key (`userId`, else `anonymousId`).
    public var id: String
    /// BG/NBD P(alive) (nil for a customer without an order).
    public var pAlive: Double?
    /// The classifier's probability of no activity in the churn window (nil without a classifier).
    public var churnRisk: Double?
    /// BG/NBD expected transactions in the horizon (nil without an order).
    public var expectedTransactions: Double?
    /// Discounted customer lifetime value (nil without an order or a spend model).
    public var clv: Double?
    /// The largest contributions to the churn score: "41 days since last order: +0.31".
    public var reasons: [String]
    /// Products recommended next (product ids).
    public var nextProducts: [String]
    /// Why each next product: "bought hiking-boots: 38% of such buyers then bought p0107, lift 6.2".
    public var nextProductReasons: [String]
}

/// Every customer's scores at one time, with the models that made them.
public struct CustomerScores: Sendable {
    /// The time scored at (ms).
    public var asOf: Int64
    /// Horizon of the expected transactions, in days.
    public var horizonDays: Int
    /// The classifier (nil when it could not be trained: a log too short or without churners).
    public var churnModel: ChurnModel?
    /// BG/NBD and Gamma-Gamma at `asOf`.
    public var bgnbd: BGNBDSnapshot
    /// The affinities behind the next products.
    public var nextProduct: NextProductModel
    /// One row per customer with activity up to `asOf`, in customer-id order.
    public var rows: [CustomerScoreRow]
}

extension Engine {
    /// Scores every customer as of `asOf` (the watermark, for live scores).
    ///
    /// The classifier is trained on the latest labelled split: features at `asOf − W`, labels from the
    /// W days up to `asOf`, where W is the horizon, or half of the history if the log is shorter. Its
    /// churn risk is the probability of no activity in the W days after `asOf`.
    /// - Complexity: O(events + orders) for features and labels, plus the model fits.
    public func scores(asOf: Int64, options: ScoresOptions = ScoresOptions()) -> CustomerScores {
        scores(models: fitModels(asOf: asOf, options: options), asOf: asOf)
    }

    /// Scores every customer as of `asOf` with models fitted before (the dashboard's live models).
    /// - Complexity: O(events + orders) plus one series per distinct (x, T); nothing is fitted.
    public func scores(models: PredictionModels, asOf: Int64) -> CustomerScores {
        let options = models.options
        let snapshot = BGNBDSnapshot(engine: self, asOf: asOf, fit: models.transactions, spendFit: models.spend,
                                     horizonDays: models.classifierHorizonDays, unit: options.unit, clv: options.clv)
        let dataset = churnDataset(asOf: asOf, bgnbd: snapshot, label: nil)
        let reported = models.trainingWindowDays == options.horizonDays ? snapshot
            : snapshot.rescored(horizonDays: Double(options.horizonDays), clv: options.clv)
        var rows: [CustomerScoreRow] = []
        rows.reserveCapacity(dataset.count)
        for (i, c) in dataset.customers.enumerated() {
            let score = reported.score(c)
            let explanation = models.churn?.explain(dataset.row(i))
            let next = recommendations(for: c, model: models.nextProduct, count: options.nextProducts, asOf: asOf)
            rows.append(CustomerScoreRow(
                id: customers.string(c),
                pAlive: score?.probabilityAlive,
                churnRisk: explanation?.probability,
                expectedTransactions: score?.expectedTransactions,
                clv: score?.lifetimeValue.finite,
                reasons: explanation?.top(options.reasons).map(\.reason) ?? [],
                nextProducts: next.map { products.string($0.product) },
                nextProductReasons: next.map { describe($0.rule) }))
        }
        return CustomerScores(asOf: asOf, horizonDays: options.horizonDays, churnModel: models.churn, bgnbd: reported,
                              nextProduct: models.nextProduct, rows: rows)
    }
}
