/// What ``Backtest/run(engine:)`` found, in the shape of `foresight backtest --json`.
public struct BacktestReport: Sendable, Equatable, Codable {
    /// The calibration end day (YYYY-MM-DD, UTC).
    public var calibrationEnd: String
    /// The hold-out end day (YYYY-MM-DD, UTC).
    public var holdoutEnd: String
    /// The BG/NBD time unit.
    public var unit: ModelTimeUnit
    /// BG/NBD fitted on the calibration period.
    public var bgnbd: BGNBDSection
    /// Gamma-Gamma fitted on the calibration period; nil without repeat buyers of positive value.
    public var gammaGamma: GammaGammaSection?
    /// How the models did on the hold-out.
    public var holdout: HoldoutSection
    /// The churn classifier as trained for the backtest.
    public var churnModel: ChurnModelSection
    /// Other model families on the same split, when asked for.
    public var candidates: [BacktestCandidate]?

    /// The fitted BG/NBD parameters.
    public struct BGNBDSection: Sendable, Equatable, Codable {
        /// The parameters r, α (in model units), a and b.
        public var r: Double
        public var alpha: Double
        public var a: Double
        public var b: Double
        /// The maximised log-likelihood.
        public var logLikelihood: Double
        /// Buyers fitted on.
        public var customers: Int
        /// Whether the optimiser met its convergence test.
        public var converged: Bool

        init(fit: BGNBDFit) {
            r = fit.model.r
            alpha = fit.model.alpha
            a = fit.model.a
            b = fit.model.b
            logLikelihood = fit.card.logLikelihood
            customers = fit.card.customers
            converged = fit.card.converged
        }
    }

    /// The fitted Gamma-Gamma parameters.
    public struct GammaGammaSection: Sendable, Equatable, Codable {
        /// The parameters p, q and γ (in money), and the maximised log-likelihood.
        public var p: Double
        public var q: Double
        public var gamma: Double
        public var logLikelihood: Double
        /// Repeat buyers fitted on.
        public var customers: Int

        init(fit: GammaGammaFit) {
            p = fit.model.p
            q = fit.model.q
            gamma = fit.model.gamma
            logLikelihood = fit.card.logLikelihood
            customers = fit.card.customers
        }
    }

    /// How the models did on the hold-out period.
    public struct HoldoutSection: Sendable, Equatable, Codable {
        /// Length of the hold-out in days.
        public var days: Int
        /// Buyers of the calibration period (BG/NBD's customers).
        public var customers: Int
        /// Σ of BG/NBD's expected transactions in the hold-out.
        public var predictedTransactions: Double
        /// Transactions (customer-days with an order) that happened.
        public var actualTransactions: Int
        /// Mean absolute error of the per-customer expectations.
        public var transactionsMAE: Double
        /// Pearson correlation of expected and actual per customer (nil when undefined).
        public var transactionsCorrelation: Double?
        /// Share of the buyers who churned in the hold-out.
        public var churnRate: Double?
        /// The classifier's AUC on the buyers.
        public var churnAUC: Double?
        /// AUC of BG/NBD's 1 − P(alive) on the same buyers.
        public var bgnbdAUC: Double?
        /// AUC of BG/NBD's expected transactions (fewer = riskier) on the same buyers.
        public var bgnbdExpectedTransactionsAUC: Double?
        /// The classifier's Brier score on the buyers.
        public var brier: Double?
        /// The classifier's calibration table on the buyers.
        public var calibration: [CalibrationBin]
        /// The classifier on every customer active by the calibration end, buyers or not.
        public var allCustomers: ClassifierEvaluation

        init(days: Int, transactions: TransactionCheck, churn: ChurnComparison) {
            self.days = days
            customers = transactions.customers
            predictedTransactions = transactions.predicted
            actualTransactions = transactions.actual
            transactionsMAE = transactions.meanAbsoluteError
            transactionsCorrelation = transactions.correlation.finite
            churnRate = churn.buyers.positiveRate
            churnAUC = churn.buyers.auc
            bgnbdAUC = churn.bgnbdAUC.finite
            bgnbdExpectedTransactionsAUC = churn.bgnbdExpectedAUC.finite
            brier = churn.buyers.brier
            calibration = churn.buyers.calibration
            allCustomers = churn.all
        }
    }

    /// The churn classifier as trained for the backtest.
    public struct ChurnModelSection: Sendable, Equatable, Codable {
        /// Features as of this day (YYYY-MM-DD), labels from the window after it.
        public var trainedAsOf: String
        /// The training label window in days.
        public var windowDays: Int
        /// What counted as churn.
        public var definition: ChurnDefinition
        /// Training customers and the share of them that churned.
        public var customers: Int
        public var churnRate: Double
        /// In-sample AUC.
        public var trainingAUC: Double?
        /// Log-odds of churn of an average customer.
        public var intercept: Double
        /// Weight per standard deviation of each feature's input, by feature name.
        public var weights: [String: Double]
        /// Features left out for a weight of the wrong sign.
        public var droppedFeatures: [String]

        init(card: ChurnModelCard, model: ChurnModel) {
            trainedAsOf = Timestamp.iso8601(card.trainedAsOf).prefix(10).description
            windowDays = card.windowDays
            definition = card.definition
            customers = card.customers
            churnRate = card.churnRate
            trainingAUC = card.training.auc
            intercept = model.intercept
            weights = Dictionary(uniqueKeysWithValues: zip(model.features.map(\.name), model.weights))
            droppedFeatures = card.droppedFeatures.map(\.name)
        }
    }
}
