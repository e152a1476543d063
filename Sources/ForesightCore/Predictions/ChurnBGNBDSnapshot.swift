/// BG/NBD and Gamma-Gamma fitted at one cutoff, with every buyer's scores, indexed by customer id:
/// the customer-base half of the predictions, and inputs of the churn classifier.
public struct BGNBDSnapshot: Sendable {
    /// The RFM-T summaries at the cutoff.
    public var data: CalibrationData
    /// The BG/NBD fit (nil when it could not be fitted, e.g. no buyer yet).
    public var fit: BGNBDFit?
    /// The Gamma-Gamma fit (nil without repeat buyers of positive value).
    public var spendFit: GammaGammaFit?
    /// Scores of `data.customers`, in their order (empty without a BG/NBD fit).
    public var scores: [CustomerScore]
    /// The horizon of ``CustomerScore/expectedTransactions``, in days.
    public var horizonDays: Double
    /// Index into `scores` of each customer id, -1 for customers without an order by the cutoff.
    private var slot: [Int32]

    /// Fits both models on the engine's orders up to `asOf` and scores every buyer.
    /// - Parameters:
    ///   - asOf: the cutoff (ms); its whole UTC day belongs to the calibration period.
    ///   - holdoutEnd: a time on the last day of a hold-out period, to count hold-out transactions.
    ///   - horizonDays: the horizon of the expected transactions.
    ///   - unit: the models' time unit.
    ///   - clv: the CLV horizon and discount.
    /// - Complexity: O(orders) plus the fits (see ``BGNBDFitter``).
    public init(engine: Engine, asOf: Int64, holdoutEnd: Int64? = nil, horizonDays: Double, unit: ModelTimeUnit = .week,
                clv: CLVOptions = CLVOptions()) {
        let data = engine.calibrationData(end: asOf, holdoutEnd: holdoutEnd, unit: unit)
        self.init(engine: engine, data: data, fit: try? BGNBDFitter().fit(data, fittedAt: asOf),
                  spendFit: try? GammaGammaFitter().fit(data, fittedAt: asOf), horizonDays: horizonDays, clv: clv)
    }

    /// Scores every buyer up to `asOf` with models fitted earlier (live scores between two refits).
    /// - Complexity: O(orders) plus that of ``CustomerScorer/score(_:)``; nothing is fitted.
    public init(engine: Engine, asOf: Int64, fit: BGNBDFit?, spendFit: GammaGammaFit?, horizonDays: Double,
                unit: ModelTimeUnit = .week, clv: CLVOptions = CLVOptions()) {
        self.init(engine: engine, data: engine.calibrationData(end: asOf, unit: unit), fit: fit, spendFit: spendFit,
                  horizonDays: horizonDays, clv: clv)
    }

    private init(engine: Engine, data: CalibrationData, fit: BGNBDFit?, spendFit: GammaGammaFit?, horizonDays: Double,
                 clv: CLVOptions) {
        let unit = data.unit
        self.data = data
        self.fit = fit
        self.spendFit = spendFit
        self.horizonDays = horizonDays
        if let fit {
            scores = CustomerScorer(transactions: fit.model, spend: spendFit?.model, horizon: horizonDays / unit.days, clv: clv)
                .score(data)
        } else {
            scores = []
        }
        slot = [Int32](repeating: -1, count: engine.profiles.count)
        for (i, s) in scores.enumerated() where Int(s.customer) < slot.count { slot[Int(s.customer)] = Int32(i) }
    }

    /// The same fits scored for another horizon of the expected transactions.
    /// - Complexity: that of ``CustomerScorer/score(_:)``; nothing is refitted.
    public func rescored(horizonDays: Double, clv: CLVOptions = CLVOptions()) -> BGNBDSnapshot {
        var copy = self
        copy.horizonDays = horizonDays
        if let fit {
            copy.scores = CustomerScorer(transactions: fit.model, spend: spendFit?.model, horizon: horizonDays / data.unit.days, clv: clv)
                .score(data)
        }
        return copy
    }

    /// The scores of a customer, nil for one without an order by the cutoff (or without a fit).
    public func score(_ customer: UInt32) -> CustomerScore? {
        guard Int(customer) < slot.count, slot[Int(customer)] >= 0 else { return nil }
        return scores[Int(slot[Int(customer)])]
    }

    /// The classifier's BG/NBD inputs for a customer.
    public func inputs(_ customer: UInt32) -> BGNBDInputs? {
        score(customer).map { BGNBDInputs(probabilityAlive: $0.probabilityAlive, expectedTransactions: $0.expectedTransactions) }
    }
}
