/// One named parameter of a fitted model.
public struct ModelParameter: Sendable, Equatable, Codable {
    /// The name used in the literature ("r", "alpha", …).
    public var name: String
    public var value: Double

    /// Creates a named parameter.
    public init(name: String, value: Double) {
        self.name = name
        self.value = value
    }
}

/// What a fitted model was fitted on, when and how well: the facts a Models view and a backtest report.
public struct ModelCard: Sendable, Equatable, Codable {
    /// The model family, e.g. "BG/NBD" or "Gamma-Gamma".
    public var model: String
    /// Event time (ms since 1970 UTC) at which the fit was made, as passed in by the caller.
    public var fittedAt: Int64
    /// UTC day number of the calibration end the data was summarised at.
    public var calibrationEndDay: Int
    /// The time unit of the rate parameters.
    public var unit: ModelTimeUnit
    /// Customers the likelihood was summed over.
    public var customers: Int
    /// Distinct customer histories after compression (the likelihood's real work).
    public var distinctHistories: Int
    /// The fitted parameters, in the order of the literature.
    public var parameters: [ModelParameter]
    /// Maximised log-likelihood.
    public var logLikelihood: Double
    /// Optimiser iterations.
    public var iterations: Int
    /// Likelihood evaluations (each with its gradient), line-search trials included.
    public var evaluations: Int
    /// Whether the optimiser met its convergence test (gradient small) before its iteration limit.
    public var converged: Bool

    /// Creates a card.
    public init(
        model: String, fittedAt: Int64, calibrationEndDay: Int, unit: ModelTimeUnit, customers: Int,
        distinctHistories: Int, parameters: [ModelParameter], logLikelihood: Double, iterations: Int,
        evaluations: Int, converged: Bool
    ) {
        self.model = model
        self.fittedAt = fittedAt
        self.calibrationEndDay = calibrationEndDay
        self.unit = unit
        self.customers = customers
        self.distinctHistories = distinctHistories
        self.parameters = parameters
        self.logLikelihood = logLikelihood
        self.iterations = iterations
        self.evaluations = evaluations
        self.converged = converged
    }

    /// The value of a named parameter, if the model has it.
    public func parameter(_ name: String) -> Double? {
        parameters.first { $0.name == name }?.value
    }
}

/// Why a model could not be fitted.
public enum ModelFitError: Error, Sendable, Equatable {
    /// No customer (BG/NBD) or no repeat buyer with positive spend (Gamma-Gamma) to fit on.
    case noData
    /// The likelihood was not finite at the starting point.
    case invalidStart
}
