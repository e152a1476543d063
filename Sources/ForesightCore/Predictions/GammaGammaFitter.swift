#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fitted Gamma-Gamma model with its card.
public struct GammaGammaFit: Sendable, Equatable {
    /// The maximum-likelihood model.
    public var model: GammaGammaModel
    /// What it was fitted on, when and how well.
    public var card: ModelCard
}

/// Maximum-likelihood fitting of ``GammaGammaModel`` on the repeat buyers of calibration data.
///
/// The value of a customer is ``CustomerSummary/monetaryValue``: the mean over her repeat
/// transaction-days of each day's revenue (this is the definition that reproduces the published CDNOW
/// estimates; the mean per order does not). Customers without a repeat transaction or with a mean of
/// 0 or less are left out. BFGS over the log-parameters, as for BG/NBD.
public struct GammaGammaFitter: Sendable {
    /// The starting point, or nil for p = 1, q = 2 and γ = the mean of the customers' mean values
    /// (a population mean equal to the observed one).
    public var start: GammaGammaModel?
    /// Iteration limit of the optimiser.
    public var maxIterations: Int

    /// Creates a fitter.
    public init(start: GammaGammaModel? = nil, maxIterations: Int = 200) {
        self.start = start
        self.maxIterations = maxIterations
    }

    /// Fits the model to the repeat buyers of `data`.
    /// - Parameters:
    ///   - fittedAt: the event time (ms) to record as the fit's time.
    /// - Throws: ``ModelFitError/noData`` without a repeat buyer of positive value.
    /// - Complexity: O(repeat buyers) per evaluation (one `log` each).
    public func fit(_ data: CalibrationData, fittedAt: Int64) throws -> GammaGammaFit {
        let likelihood = GammaGammaLikelihood(data)
        guard likelihood.customers > 0 else { throw ModelFitError.noData }
        let n = Double(likelihood.customers)
        let first = start ?? GammaGammaModel(p: 1, q: 2, gamma: likelihood.meanOfMeans)
        var minimizer = BFGSMinimizer()
        minimizer.maxIterations = maxIterations
        let result = minimizer.minimize(start: [first.p, first.q, first.gamma].map { log($0) }) { theta, gradient in
            let model = GammaGammaModel(p: exp(theta[0]), q: exp(theta[1]), gamma: exp(theta[2]))
            let (value, g) = likelihood.evaluate(model)
            let params = [model.p, model.q, model.gamma]
            for i in 0..<3 { gradient[i] = -g[i] * params[i] / n }
            return value.isFinite ? -value / n : .infinity
        }
        guard result.value.isFinite else { throw ModelFitError.invalidStart }
        let model = GammaGammaModel(p: exp(result.x[0]), q: exp(result.x[1]), gamma: exp(result.x[2]))
        let card = ModelCard(
            model: "Gamma-Gamma", fittedAt: fittedAt, calibrationEndDay: data.calibrationEndDay, unit: data.unit,
            customers: likelihood.customers, distinctHistories: likelihood.customers,
            parameters: model.namedParameters, logLikelihood: -result.value * n,
            iterations: result.iterations, evaluations: result.evaluations, converged: result.converged
        )
        return GammaGammaFit(model: model, card: card)
    }
}

/// The Gamma-Gamma log-likelihood with its gradient; the digamma and log-gamma terms are computed once
/// per distinct x.
struct GammaGammaLikelihood: Sendable {
    struct Buyer: Sendable {
        var xIndex: Int32
        var logMean: Double
        var total: Double
    }

    let frequencies: [Double]
    let frequencyWeights: [Double]
    let buyers: [Buyer]
    let customers: Int
    /// The mean of the buyers' mean values (the default scale of the start).
    let meanOfMeans: Double

    init(_ data: CalibrationData) {
        var countByX: [Int32: Int] = [:]
        var sum = 0.0
        for s in data.customers where s.frequency > 0 && s.monetaryValue > 0 {
            countByX[s.frequency, default: 0] += 1
            sum += s.monetaryValue
        }
        let sortedX = countByX.keys.sorted()
        var indexOfX: [Int32: Int32] = [:]
        for (i, x) in sortedX.enumerated() { indexOfX[x] = Int32(i) }
        frequencies = sortedX.map(Double.init)
        frequencyWeights = sortedX.map { Double(countByX[$0] ?? 0) }
        buyers = data.customers.compactMap { s in
            guard s.frequency > 0, s.monetaryValue > 0, let k = indexOfX[s.frequency] else { return nil }
            return Buyer(xIndex: k, logMean: log(s.monetaryValue), total: Double(s.frequency) * s.monetaryValue)
        }
        customers = buyers.count
        meanOfMeans = customers > 0 ? sum / Double(customers) : 1
    }

    /// The log-likelihood at `m` and its gradient with respect to (p, q, γ).
    func evaluate(_ m: GammaGammaModel) -> (value: Double, gradient: [Double]) {
        let (p, q, gamma) = (m.p, m.q, m.gamma)
        guard p > 0, q > 0, gamma > 0, p.isFinite, q.isFinite, gamma.isFinite else { return (-.infinity, [0, 0, 0]) }
        let logGammaQ = Special.logGamma(q), psiQ = Special.digamma(q), logScale = log(gamma)
        var value = 0.0, dp = 0.0, dq = 0.0, dGamma = 0.0
        for (k, x) in frequencies.enumerated() {
            let w = frequencyWeights[k]
            let px = p * x
            value += w * (Special.logGamma(px + q) - Special.logGamma(px) - logGammaQ + q * logScale + px * log(x))
            let psiPXQ = Special.digamma(px + q)
            dp += w * x * (psiPXQ - Special.digamma(px) + log(x))
            dq += w * (psiPXQ - psiQ + logScale)
            dGamma += w * q / gamma
        }
        for b in buyers {
            let x = frequencies[Int(b.xIndex)]
            let px = p * x
            let logTotal = log(b.total + gamma)
            value += (px - 1) * b.logMean - (px + q) * logTotal
            dp += x * (b.logMean - logTotal)
            dq -= logTotal
            dGamma -= (px + q) / (b.total + gamma)
        }
        return (value, [dp, dq, dGamma])
    }
}
