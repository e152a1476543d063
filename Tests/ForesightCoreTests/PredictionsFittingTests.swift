import Testing
@testable import ForesightCore

/// The fast likelihoods, their gradients, the optimiser and parameter recovery on simulated customers.
@Suite struct PredictionsFittingTests {
    static let truth = BGNBDModel(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    static let truthSpend = GammaGammaModel(p: 6.25, q: 3.74, gamma: 15.44)

    static func simulated(_ customers: Int, seed: UInt64 = 7) -> CalibrationData {
        BGNBDSimulator(transactions: truth, spend: truthSpend, unit: .week, acquisitionDays: 91, calibrationEndDay: 545)
            .simulate(customers: customers, seed: seed)
    }

    @Test func compressedLikelihoodEqualsThePlainSum() {
        let data = Self.simulated(3000)
        let likelihood = BGNBDLikelihood(data)
        #expect(likelihood.customers == 3000)
        #expect(likelihood.distinctHistories < 3000)
        for model in [Self.truth, BGNBDModel(r: 2, alpha: 0.5, a: 3, b: 0.7)] {
            let plain = model.logLikelihood(data)
            #expect(abs(likelihood.evaluate(model).value - plain) < 1e-9 * abs(plain))
        }
    }

    @Test func bgnbdGradientMatchesFiniteDifferences() {
        let likelihood = BGNBDLikelihood(Self.simulated(2000))
        let at = BGNBDModel(r: 0.4, alpha: 3, a: 1.2, b: 1.8)
        let gradient = likelihood.evaluate(at).gradient
        let h = 1e-6
        let shifts: [(BGNBDModel, BGNBDModel)] = [
            (BGNBDModel(r: at.r + h, alpha: at.alpha, a: at.a, b: at.b), BGNBDModel(r: at.r - h, alpha: at.alpha, a: at.a, b: at.b)),
            (BGNBDModel(r: at.r, alpha: at.alpha + h, a: at.a, b: at.b), BGNBDModel(r: at.r, alpha: at.alpha - h, a: at.a, b: at.b)),
            (BGNBDModel(r: at.r, alpha: at.alpha, a: at.a + h, b: at.b), BGNBDModel(r: at.r, alpha: at.alpha, a: at.a - h, b: at.b)),
            (BGNBDModel(r: at.r, alpha: at.alpha, a: at.a, b: at.b + h), BGNBDModel(r: at.r, alpha: at.alpha, a: at.a, b: at.b - h)),
        ]
        for (i, (up, down)) in shifts.enumerated() {
            let numeric = (likelihood.evaluate(up).value - likelihood.evaluate(down).value) / (2 * h)
            #expect(abs(numeric - gradient[i]) < 1e-5 * max(1, abs(numeric)), "parameter \(i)")
        }
    }

    @Test func gammaGammaGradientMatchesFiniteDifferences() {
        let likelihood = GammaGammaLikelihood(Self.simulated(2000))
        #expect(likelihood.customers > 100)
        let at = GammaGammaModel(p: 3, q: 2.5, gamma: 20)
        let gradient = likelihood.evaluate(at).gradient
        let h = 1e-6
        let shifts: [(GammaGammaModel, GammaGammaModel)] = [
            (GammaGammaModel(p: at.p + h, q: at.q, gamma: at.gamma), GammaGammaModel(p: at.p - h, q: at.q, gamma: at.gamma)),
            (GammaGammaModel(p: at.p, q: at.q + h, gamma: at.gamma), GammaGammaModel(p: at.p, q: at.q - h, gamma: at.gamma)),
            (GammaGammaModel(p: at.p, q: at.q, gamma: at.gamma + h), GammaGammaModel(p: at.p, q: at.q, gamma: at.gamma - h)),
        ]
        for (i, (up, down)) in shifts.enumerated() {
            let numeric = (likelihood.evaluate(up).value - likelihood.evaluate(down).value) / (2 * h)
            #expect(abs(numeric - gradient[i]) < 1e-5 * max(1, abs(numeric)), "parameter \(i)")
        }
    }

    @Test func digammaMatchesKnownValues() {
        // ψ(1) = −γ (Euler–Mascheroni); ψ(1/2) = −γ − 2 ln 2; scipy: ψ(0.01) = −100.56088545786868,
        // ψ(123.4) = 4.8113737751162775.
        #expect(abs(Special.digamma(1) - -0.5772156649015329) < 1e-13)
        #expect(abs(Special.digamma(0.5) - -1.9635100260214235) < 1e-13)
        #expect(abs(Special.digamma(0.01) - -100.56088545786868) < 1e-12)
        #expect(abs(Special.digamma(123.4) - 4.8113737751162775) < 1e-13)
        #expect(Special.digamma(0).isNaN)
    }

    @Test func fitRecoversTheGeneratingParameters() throws {
        let data = Self.simulated(20000, seed: 11)
        let fit = try BGNBDFitter().fit(data, fittedAt: 42)
        #expect(fit.card.converged)
        #expect(fit.card.fittedAt == 42)
        // The maximum is at least as likely as the truth, and near it.
        #expect(fit.card.logLikelihood >= Self.truth.logLikelihood(data))
        let pairs = zip(fit.model.namedParameters, Self.truth.namedParameters)
        for (fitted, true_) in pairs {
            #expect(abs(fitted.value - true_.value) < 0.2 * true_.value, "\(fitted.name)")
        }
        let spend = try GammaGammaFitter().fit(data, fittedAt: 42)
        #expect(spend.card.converged)
        #expect(abs(spend.model.meanTransactionValue - Self.truthSpend.meanTransactionValue) < 0.1 * Self.truthSpend.meanTransactionValue)
    }

    @Test func fitConvergesToTheSameOptimumFromTwoStarts() throws {
        let data = Self.simulated(5000, seed: 3)
        let a = try BGNBDFitter().fit(data, fittedAt: 0)
        let b = try BGNBDFitter(start: BGNBDModel(r: 5, alpha: 50, a: 0.1, b: 10)).fit(data, fittedAt: 0)
        #expect(a.card.converged && b.card.converged)
        #expect(abs(a.card.logLikelihood - b.card.logLikelihood) < 1e-6)
        for (u, v) in zip(a.model.namedParameters, b.model.namedParameters) {
            #expect(abs(u.value - v.value) < 1e-4 * u.value, "\(u.name)")
        }
    }

    @Test func fitWithoutCustomersThrows() {
        let empty = CalibrationData(customers: [], calibrationEndDay: 0, unit: .week)
        #expect(throws: ModelFitError.noData) { try BGNBDFitter().fit(empty, fittedAt: 0) }
        #expect(throws: ModelFitError.noData) { try GammaGammaFitter().fit(empty, fittedAt: 0) }
    }

    @Test func fitWithoutRepeatBuyersEndsWithFiniteParameters() throws {
        let once = CalibrationData(
            customers: (0..<50).map { CustomerSummary(customer: UInt32($0), frequency: 0, recencyDays: 0, ageDays: Int32(10 + $0)) },
            calibrationEndDay: 100, unit: .week
        )
        let fit = try BGNBDFitter().fit(once, fittedAt: 0)
        #expect(fit.model.namedParameters.allSatisfy { $0.value.isFinite && $0.value > 0 })
        #expect(fit.card.logLikelihood.isFinite)
        #expect(fit.card.logLikelihood <= 0)
    }

    @Test func sharedSeriesAgreesWithTheDirectSeries() {
        let models = [Self.truth, BGNBDModel(r: 1.5, alpha: 10, a: 2.5, b: 4), BGNBDModel(r: 0.3, alpha: 2, a: 0.4, b: 0.3),
                      BGNBDModel(r: 0.2, alpha: 1, a: 9, b: 1)]
        let horizons = [0, 0.5, 5, 39, 500, 5000, 1, 2, 3]
        for model in models {
            for x in [0.0, 1, 7, 60] {
                var series = AliveExpectationSeries(model: model, x: x)
                for age in [0.0, 3, 40, 400] {
                    var values = [Double](repeating: -1, count: horizons.count)
                    series.evaluate(beta: model.alpha + age, horizons: horizons, into: &values)
                    for (t, value) in zip(horizons, values) {
                        let direct = model.expectedTransactionsIfAlive(x: x, age: age, t: t)
                        #expect(abs(value - direct) <= 1e-11 * max(direct, 1e-300), "x \(x) T \(age) t \(t)")
                    }
                }
            }
        }
    }

    /// A fit with almost no dropout (a → 0, b → ∞: what BFGS returns on a log without churn) is evaluated with few
    /// terms and agrees with the direct series.
    @Test func sharedSeriesOfANoDropoutFitIsShortAndAgreesWithTheDirectSeries() {
        let model = BGNBDModel(r: 0.88, alpha: 8.6, a: 1.6e-6, b: 654_634)
        for x in [0.0, 3] {
            var series = AliveExpectationSeries(model: model, x: x)
            #expect(series.termsShrink)
            for age in [0.0, 40] {
                let horizons = [5.0, 39, 365]
                var values = [Double](repeating: -1, count: horizons.count)
                series.evaluate(beta: model.alpha + age, horizons: horizons, into: &values)
                for (t, value) in zip(horizons, values) {
                    let direct = model.expectedTransactionsIfAlive(x: x, age: age, t: t)
                    // c·lead − (1−z)^(a−1)·Σ cancels to a millionth of its terms (c ≈ b): parts in 10⁶ of the result.
                    #expect(abs(value - direct) <= 1e-5 * max(direct, 1e-300), "x \(x) T \(age) t \(t): \(value) against \(direct)")
                }
            }
            #expect(series.coefficients.count < 20_000, "\(series.coefficients.count) terms")
        }
    }

    @Test func minimizerFindsTheRosenbrockMinimum() {
        let result = BFGSMinimizer().minimize(start: [-1.2, 1]) { x, g in
            let (a, b) = (x[0], x[1])
            g[0] = -2 * (1 - a) - 400 * a * (b - a * a)
            g[1] = 200 * (b - a * a)
            return (1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a)
        }
        #expect(result.converged)
        #expect(abs(result.x[0] - 1) < 1e-6 && abs(result.x[1] - 1) < 1e-6)
    }
}
