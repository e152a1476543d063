/// What ``PredictionsBenchmark/run(buyers:scored:seed:)`` measured.
public struct PredictionsBenchmarkResult: Sendable {
    /// Seconds to compress and fit BG/NBD on the buyers (best of the runs).
    public var fitSeconds: Double
    /// Seconds to fit Gamma-Gamma on the repeat buyers among them (best of the runs).
    public var spendFitSeconds: Double
    /// Seconds to score the scored customers: P(alive), expected transactions and CLV (best of the runs).
    public var scoreSeconds: Double
    /// The BG/NBD fit on the simulated buyers.
    public var fit: BGNBDFit
    /// The Gamma-Gamma fit on the same buyers.
    public var spendFit: GammaGammaFit
    /// Customers scored.
    public var scoredCustomers: Int
}

/// A speed check of fitting and scoring on simulated customers, for a release build
/// (`swift run -c release` from a small executable that calls it). Not a test: nothing here asserts.
public enum PredictionsBenchmark {
    /// The generating model: CDNOW's estimates, in weeks.
    public static let truth = BGNBDModel(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    /// The generating spend model: CDNOW's estimates.
    public static let truthSpend = GammaGammaModel(p: 6.25, q: 3.74, gamma: 15.44)

    /// Simulates customers acquired over a year and observed for two, then times the fits and scoring.
    /// - Parameters:
    ///   - buyers: customers to fit on; scored: customers to score; runs: repetitions (best time kept).
    public static func run(buyers: Int = 150_000, scored: Int = 400_000, runs: Int = 5, seed: UInt64 = 1) throws -> PredictionsBenchmarkResult {
        let simulator = BGNBDSimulator(transactions: truth, spend: truthSpend, unit: .week, acquisitionDays: 365, calibrationEndDay: 729)
        let fitData = simulator.simulate(customers: buyers, seed: seed)
        let scoreData = simulator.simulate(customers: scored, seed: seed &+ 1)
        let clock = ContinuousClock()
        var fitSeconds = Double.infinity, spendSeconds = Double.infinity, scoreSeconds = Double.infinity
        var fit: BGNBDFit?
        var spendFit: GammaGammaFit?
        var checksum = 0.0
        for _ in 0..<max(1, runs) {
            var start = clock.now
            fit = try BGNBDFitter().fit(fitData, fittedAt: 0)
            fitSeconds = min(fitSeconds, seconds(clock.now - start))
            start = clock.now
            spendFit = try GammaGammaFitter().fit(fitData, fittedAt: 0)
            spendSeconds = min(spendSeconds, seconds(clock.now - start))
            guard let fit, let spendFit else { break }
            start = clock.now
            let scores = CustomerScorer(transactions: fit.model, spend: spendFit.model, horizon: 52).score(scoreData)
            scoreSeconds = min(scoreSeconds, seconds(clock.now - start))
            checksum += scores.reduce(0) { $0 + $1.lifetimeValue }
        }
        guard let fit, let spendFit, checksum.isFinite else { throw ModelFitError.noData }
        return PredictionsBenchmarkResult(
            fitSeconds: fitSeconds, spendFitSeconds: spendSeconds, scoreSeconds: scoreSeconds,
            fit: fit, spendFit: spendFit, scoredCustomers: scoreData.customers.count
        )
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
