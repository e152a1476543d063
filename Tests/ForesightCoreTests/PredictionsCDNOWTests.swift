import Testing
import ForesightCore
import ForesightTestSupport

/// The CDNOW 1/10 sample (Fader, Hardie & Lee 2005) ingested as events, against the published results
/// (Tests/ForesightCoreTests/Fixtures/cdnow, definitions in /work/shared/fixtures/cdnow/README.md).
@Suite struct PredictionsCDNOWTests {
    /// The calibration summaries at 1997-09-30 in weeks, with a hold-out to 1998-06-30.
    static func calibration() throws -> CalibrationData {
        var engine = Engine()
        engine.ingest(lines: try fixtureText("cdnow/cdnow_sample_events.jsonl"))
        return engine.calibrationData(end: ms("1997-09-30T00:00:00Z"), holdoutEnd: ms("1998-06-30T00:00:00Z"), unit: .week)
    }

    static func within(_ value: Double, _ published: Double, _ tolerance: Double = 0.005) -> Bool {
        abs(value - published) <= tolerance * abs(published)
    }

    @Test func calibrationCounts() throws {
        let data = try Self.calibration()
        #expect(data.customers.count == 2357)
        #expect(data.repeatBuyers == 946)
        #expect(data.repeatTransactions == 2457)
        // Every customer first bought in 1997 Q1, so the oldest is a 1997-01-01 buyer: T = 272 / 7 weeks.
        let oldest = try #require(data.customers.max { $0.ageDays < $1.ageDays })
        #expect(oldest.ageDays == 272)
        #expect(abs(data.age(oldest) - 38.857) < 0.0005)
        #expect(abs(data.holdoutLength - 39.0) < 1e-9)
    }

    @Test func bgnbdReproducesPublishedEstimates() throws {
        let data = try Self.calibration()
        let fit = try BGNBDFitter().fit(data, fittedAt: ms("1997-09-30T00:00:00Z"))
        let m = fit.model
        #expect(fit.card.converged)
        #expect(Self.within(m.r, 0.243))
        #expect(Self.within(m.alpha, 4.414))
        #expect(Self.within(m.a, 0.793))
        #expect(Self.within(m.b, 2.426))
        #expect(Self.within(fit.card.logLikelihood, -9582.4))
        #expect(fit.card.customers == 2357)
        #expect(fit.card.fittedAt == ms("1997-09-30T00:00:00Z"))
        // The fast likelihood agrees with the plain per-customer sum.
        #expect(abs(m.logLikelihood(data) - fit.card.logLikelihood) < 1e-6)
    }

    @Test func bgnbdConvergesToTheSameOptimumFromAnotherStart() throws {
        let data = try Self.calibration()
        let usual = try BGNBDFitter().fit(data, fittedAt: 0)
        let far = try BGNBDFitter(start: BGNBDModel(r: 3, alpha: 0.2, a: 5, b: 0.3)).fit(data, fittedAt: 0)
        #expect(far.card.converged)
        let pairs = zip(usual.card.parameters, far.card.parameters)
        #expect(pairs.allSatisfy { abs($0.value - $1.value) <= 1e-5 * $0.value })
        #expect(abs(usual.card.logLikelihood - far.card.logLikelihood) < 1e-6)
    }

    @Test func dailyUnitGivesTheSameModelScaled() throws {
        var engine = Engine()
        engine.ingest(lines: try fixtureText("cdnow/cdnow_sample_events.jsonl"))
        let days = engine.calibrationData(end: ms("1997-09-30T12:00:00Z"), unit: .day)
        let fit = try BGNBDFitter().fit(days, fittedAt: 0)
        // A rate per day is a rate per week / 7: alpha scales by 7, the shapes do not move.
        #expect(Self.within(fit.model.alpha, 4.414 * 7))
        #expect(Self.within(fit.model.r, 0.243))
        #expect(Self.within(fit.model.a, 0.793))
        #expect(Self.within(fit.model.b, 2.426))
        #expect(fit.card.unit == .day)
    }

    @Test func gammaGammaReproducesPublishedEstimates() throws {
        let data = try Self.calibration()
        let fit = try GammaGammaFitter().fit(data, fittedAt: 0)
        #expect(fit.card.converged)
        #expect(fit.card.customers == 946)
        #expect(Self.within(fit.model.p, 6.25))
        #expect(Self.within(fit.model.q, 3.74))
        #expect(Self.within(fit.model.gamma, 15.44))
        // scipy (Nelder-Mead on the same likelihood, spend per transaction-day): -4055.9176948.
        #expect(abs(fit.card.logLikelihood - -4055.9176948) < 1e-4)
    }

    /// Expected values from an independent Python + scipy computation (hyp2f1 for eq. 10) with the
    /// fitted parameters: Σ E[Y(39) | x, t_x, T] = 1653.4086931 and Σ CLV (12 months, 1% a month,
    /// months of 365.25/12 days) = 71550.201982.
    @Test func scoresAddUpLikeTheIndependentComputation() throws {
        let data = try Self.calibration()
        let transactions = try BGNBDFitter().fit(data, fittedAt: 0).model
        let spend = try GammaGammaFitter().fit(data, fittedAt: 0).model
        let scores = CustomerScorer(transactions: transactions, spend: spend, horizon: 39).score(data)
        #expect(scores.count == 2357)
        let expected = scores.reduce(0) { $0 + $1.expectedTransactions }
        #expect(abs(expected - 1653.4086931) < 1e-6 * 1653.4)
        let value = scores.reduce(0) { $0 + $1.lifetimeValue }
        #expect(abs(value - 71550.201982) < 1e-5 * 71550.2)
        #expect(scores.allSatisfy { $0.probabilityAlive >= 0 && $0.probabilityAlive <= 1 })
        // The 39-week hold-out (to 1998-06-30) saw 1,882 transactions of these customers (scipy count
        // with the same day rule); the model expects 1,653 of them.
        #expect(data.holdoutTransactions == 1882)
    }
}
