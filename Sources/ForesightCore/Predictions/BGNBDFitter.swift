#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fitted BG/NBD model with its card.
public struct BGNBDFit: Sendable, Equatable {
    /// The maximum-likelihood model.
    public var model: BGNBDModel
    /// What it was fitted on, when and how well.
    public var card: ModelCard
}

/// Maximum-likelihood fitting of ``BGNBDModel``.
///
/// Maximises the log-likelihood over the log-parameters (so that they stay positive) with BFGS and
/// the analytic gradient of ``BGNBDLikelihood``. The objective is the mean negative log-likelihood per
/// customer, so one gradient tolerance fits every data size.
public struct BGNBDFitter: Sendable {
    /// The starting point; (1, 1, 1, 1) by default, as in the `lifetimes` package.
    public var start: BGNBDModel
    /// Iteration limit of the optimiser.
    public var maxIterations: Int

    /// Creates a fitter.
    public init(start: BGNBDModel = BGNBDModel(r: 1, alpha: 1, a: 1, b: 1), maxIterations: Int = 200) {
        self.start = start
        self.maxIterations = maxIterations
    }

    /// Fits the model to calibration data.
    /// - Parameters:
    ///   - data: the customers' summaries.
    ///   - fittedAt: the event time (ms) to record as the fit's time; the caller's clock, never the wall's.
    /// - Throws: ``ModelFitError/noData`` without customers, ``ModelFitError/invalidStart`` when the
    ///   likelihood is not finite at ``start``.
    /// - Complexity: O(customers) to compress, then O(distinct histories + days) per evaluation.
    public func fit(_ data: CalibrationData, fittedAt: Int64) throws -> BGNBDFit {
        guard !data.customers.isEmpty else { throw ModelFitError.noData }
        let likelihood = BGNBDLikelihood(data)
        return try fit(likelihood, calibrationEndDay: data.calibrationEndDay, unit: data.unit, fittedAt: fittedAt)
    }

    func fit(_ likelihood: BGNBDLikelihood, calibrationEndDay: Int, unit: ModelTimeUnit, fittedAt: Int64) throws -> BGNBDFit {
        let n = Double(likelihood.customers)
        let startPoint = [start.r, start.alpha, start.a, start.b].map { log($0) }
        var minimizer = BFGSMinimizer()
        minimizer.maxIterations = maxIterations
        let result = minimizer.minimize(start: startPoint) { theta, gradient in
            let model = Self.model(theta)
            let (value, g) = likelihood.evaluate(model)
            let params = [model.r, model.alpha, model.a, model.b]
            for i in 0..<4 { gradient[i] = -g[i] * params[i] / n }
            return value.isFinite ? -value / n : .infinity
        }
        guard result.value.isFinite, result.evaluations > 0, result.iterations > 0 || result.converged else {
            throw ModelFitError.invalidStart
        }
        let model = Self.model(result.x)
        let card = ModelCard(
            model: "BG/NBD", fittedAt: fittedAt, calibrationEndDay: calibrationEndDay, unit: unit,
            customers: likelihood.customers, distinctHistories: likelihood.distinctHistories,
            parameters: model.namedParameters, logLikelihood: -result.value * n,
            iterations: result.iterations, evaluations: result.evaluations, converged: result.converged
        )
        return BGNBDFit(model: model, card: card)
    }

    static func model(_ theta: [Double]) -> BGNBDModel {
        BGNBDModel(r: exp(theta[0]), alpha: exp(theta[1]), a: exp(theta[2]), b: exp(theta[3]))
    }
}
