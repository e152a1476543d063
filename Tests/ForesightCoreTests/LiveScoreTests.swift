import Foundation
import Testing
import ForesightCore
import ForesightTestSupport

@Suite struct LiveScoreTests {
    static let end = ms("1998-06-30T23:59:59Z")

    static func cdnow() throws -> (Engine, PredictionModels) {
        var engine = Engine()
        engine.ingest(lines: try fixtureText("cdnow/cdnow_sample_events.jsonl"))
        let now = try #require(engine.watermark)
        return (engine, engine.fitModels(asOf: now, options: ScoresOptions(horizonDays: 60)))
    }

    static func close(_ a: Double?, _ b: Double?, _ tolerance: Double = 1e-9) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?): return abs(x - y) <= tolerance * max(1, abs(x), abs(y))
        default: return false
        }
    }

    /// A score run's copy of the engine with timelines of its own scores as the engine does, and the engine's
    /// next events change nothing of it (nor does it share a timeline buffer with the engine).
    @Test func aCopyWithItsOwnTimelinesScoresAsTheEngine() throws {
        var (engine, models) = try Self.cdnow()
        let now = try #require(engine.watermark)
        let copy = engine.detachingTimelines()
        let c = try #require(engine.profiles.indices.first { engine.profiles[$0].timeline.count > 3 })
        let shared = engine.profiles[c].timeline.withUnsafeBufferPointer { a in
            copy.profiles[c].timeline.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress }
        }
        #expect(!shared)
        #expect(copy.profiles.map(\.timeline) == engine.profiles.map(\.timeline))
        let before = copy.populationScores(models: models, now: now)
        let key = engine.customers.string(UInt32(c))
        _ = engine.ingest(lines: "{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"\(key)\",\"timestamp\":\"1998-06-30T12:00:00Z\",\"properties\":{\"order_id\":\"late-1\",\"revenue\":50}}")
        #expect(engine.profiles[c].timeline.count == copy.profiles[c].timeline.count + 1)
        let after = copy.populationScores(models: models, now: now)
        #expect(after.pAlive.elementsEqual(before.pAlive) { $0 == $1 || ($0.isNaN && $1.isNaN) })
        let original = engine.populationScores(models: models, now: now)
        #expect(!original.clv.elementsEqual(before.clv) { $0 == $1 || ($0.isNaN && $1.isNaN) })
    }

    @Test func oneCustomersLiveScoreIsThePopulationsAndTheReportsScore() throws {
        let (engine, models) = try Self.cdnow()
        let now = try #require(engine.watermark)
        #expect(models.transactions != nil && models.spend != nil && models.churn != nil)
        let report = engine.scores(models: models, asOf: now)
        let population = engine.populationScores(models: models, now: now)
        #expect(report.rows.count == 2357)
        var compared = 0
        for (i, row) in report.rows.enumerated() where i % 5 == 0 {
            let c = try #require(engine.customers.lookup(row.id))
            let live = engine.liveScore(c, models: models, now: now)
            #expect(Self.close(live.pAlive, row.pAlive), "\(row.id) pAlive")
            #expect(Self.close(live.churnRisk, row.churnRisk), "\(row.id) churn")
            #expect(Self.close(live.expectedTransactions, row.expectedTransactions, 1e-7), "\(row.id) expected")
            #expect(Self.close(live.clv, row.clv, 1e-7), "\(row.id) clv")
            #expect(live.explanation?.top(3).map(\.reason) == row.reasons)
            #expect(live.nextProducts.map { engine.products.string($0.product) } == row.nextProducts)
            #expect(Self.close(population.churnRisk[Int(c)], row.churnRisk ?? .nan))
            #expect(Self.close(population.pAlive[Int(c)], row.pAlive ?? .nan))
            #expect(Self.close(population.clv[Int(c)], row.clv ?? .nan, 1e-7))
            compared += 1
        }
        #expect(compared > 400)
    }

    @Test func reportScoresAreTheLiveModelsScores() throws {
        let (engine, models) = try Self.cdnow()
        let now = try #require(engine.watermark)
        let fitted = engine.scores(asOf: now, options: ScoresOptions(horizonDays: 60))
        let live = engine.scores(models: models, asOf: now)
        #expect(fitted.rows == live.rows)
    }

    @Test func aNewOrderMovesTheScoresWithoutARefit() throws {
        let (before, models) = try Self.cdnow()
        let now = try #require(before.watermark)
        // A repeat buyer whose last order is long ago: P(alive) is low and the churn risk high.
        let report = before.scores(models: models, asOf: now)
        let lapsed = try #require(report.rows.first { ($0.pAlive ?? 1) < 0.3 && ($0.churnRisk ?? 0) > 0.5 })
        let c = try #require(before.customers.lookup(lapsed.id))
        let old = before.liveScore(c, models: models, now: now)
        var after = before
        after.ingest(lines: ChurnEvents.order(lapsed.id, "1998-06-30T12:00:00Z", id: "new-\(lapsed.id)", revenue: 30))
        let new = after.liveScore(c, models: models, now: try #require(after.watermark))

        // Bought on the last day: t_x = T, so P(alive) = 1 / (1 + a / (b + x − 1)).
        let m = try #require(models.transactions?.model)
        let afterNow = try #require(after.watermark)
        let x = Double(try #require(after.summary(of: c, asOf: afterNow)).frequency)
        #expect(Self.close(new.pAlive, 1 / (1 + m.a / (m.b + x - 1))))
        #expect((new.pAlive ?? 0) > (old.pAlive ?? 1) + 0.3)
        #expect((new.churnRisk ?? 1) < (old.churnRisk ?? 0))
        #expect((new.expectedTransactions ?? 0) > (old.expectedTransactions ?? 1))
    }

    @Test func theClockAloneRaisesTheChurnRiskOfASilentCustomer() throws {
        let (engine, models) = try Self.cdnow()
        let now = try #require(engine.watermark)
        let report = engine.scores(models: models, asOf: now)
        let active = try #require(report.rows.first { ($0.churnRisk ?? 1) < 0.5 })
        let c = try #require(engine.customers.lookup(active.id))
        let later = engine.liveScore(c, models: models, now: now + 120 * 86_400_000)
        #expect((later.churnRisk ?? 0) > (active.churnRisk ?? 1))
        let history = engine.churnRiskHistory(c, models: models, now: now, points: 12)
        #expect(history.count == 12)
        #expect(history.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(Self.close(history.last, active.churnRisk))
    }

    @Test func expectedTransactionsSumIsTheSumOfTheCustomers() throws {
        let (engine, models) = try Self.cdnow()
        let fit = try #require(models.transactions)
        let data = engine.calibrationData(end: models.fittedAt)
        let sums = fit.model.expectedTransactionsSum(data, horizons: [1, 4.5, 10])
        for (m, t) in [1, 4.5, 10].enumerated() {
            let direct = data.customers.reduce(0.0) {
                $0 + fit.model.expectedTransactions(in: t, x: Double($1.frequency), tx: data.recency($1), age: data.age($1))
            }
            #expect(abs(sums[m] - direct) < 1e-7 * direct)
        }
        #expect(models.expectedByDay.count == 61 && models.expectedByDay[0] == 0)
        #expect(zip(models.expectedByDay, models.expectedByDay.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func driftCountsTheFitsBuyersTransactionDaysAfterTheFit() throws {
        var engine = Engine()
        func o(_ user: String, _ time: String, _ id: String, _ revenue: Double, _ products: [(String, String)]) -> String {
            ChurnEvents.order(user, time, id: id, revenue: revenue, products: products)
        }
        engine.ingest(lines: [
            o("a", "2026-03-01T10:00:00Z", "a1", 10, []), o("a", "2026-03-05T10:00:00Z", "a2", 10, []),
            o("b", "2026-03-02T10:00:00Z", "b1", 10, []), o("b", "2026-03-08T10:00:00Z", "b2", 10, []),
            o("c", "2026-03-03T10:00:00Z", "c1", 10, []),
        ].joined(separator: "\n"))
        let fitTime = ms("2026-03-10T12:00:00Z")
        let models = engine.fitModels(asOf: fitTime, options: ScoresOptions(horizonDays: 30))
        #expect(models.transactions != nil)
        engine.ingest(lines: [
            o("a", "2026-03-12T10:00:00Z", "a3", 10, []), o("a", "2026-03-12T18:00:00Z", "a4", 10, []),  // one day: one transaction
            o("b", "2026-03-14T10:00:00Z", "b3", 10, []),
            o("d", "2026-03-13T10:00:00Z", "d1", 10, []),  // a new customer: not in the cohort
        ].joined(separator: "\n"))
        let drift = try #require(engine.drift(models: models, now: ms("2026-03-15T09:00:00Z")))
        #expect(drift.days == 5 && drift.buyers == 3)
        #expect(drift.actual == 2)
        #expect(drift.actualByDay == [0, 0, 1, 1, 2, 2])
        #expect(drift.predictedByDay.count == 6 && abs(drift.predicted - models.expectedByDay[5]) < 1e-12)
    }
}

@Suite struct RefitPolicyTests {
    let policy = RefitPolicy(minimumEvents: 1_000, growth: 0.5, liveInterval: 300, replayInterval: 30)

    @Test func firstFitWaitsForEnoughEvents() {
        #expect(!policy.isDue(events: 999, replaying: true, last: nil, wallTime: 0))
        #expect(policy.isDue(events: 1_000, replaying: true, last: nil, wallTime: 0))
    }

    @Test func replayRefitsWhenTheLogGrewByHalfAndAtItsEnd() {
        let last = RefitPolicy.LastFit(events: 10_000, wallTime: 5, duringReplay: true)
        #expect(!policy.isDue(events: 14_999, replaying: true, last: last, wallTime: 500))
        #expect(policy.isDue(events: 15_000, replaying: true, last: last, wallTime: 35))
        #expect(!policy.isDue(events: 50_000, replaying: true, last: last, wallTime: 34), "at most every 30 s while replaying")
        #expect(policy.isDue(events: 10_001, replaying: false, last: last, wallTime: 6))
        #expect(!policy.isDue(events: 10_000, replaying: false, last: last, wallTime: 6))
    }

    @Test func liveRefitsOnAnIntervalWhenEventsArrived() {
        let last = RefitPolicy.LastFit(events: 10_000, wallTime: 100, duringReplay: false)
        #expect(!policy.isDue(events: 10_050, replaying: false, last: last, wallTime: 399))
        #expect(policy.isDue(events: 10_050, replaying: false, last: last, wallTime: 400))
        #expect(!policy.isDue(events: 10_000, replaying: false, last: last, wallTime: 10_000))
    }
}

@Suite struct ModelRefresherTests {
    @Test func refitPublishesModelsFittedAtTheWatermark() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("cdnow.jsonl")
        try fixtureText("cdnow/cdnow_sample_events.jsonl").write(toFile: path, atomically: true, encoding: .utf8)
        let ingestor = LiveIngestor(path: path, pipeline: IngestPipeline(engine: Engine(), sourceName: path), quarantinePath: nil)
        ingestor.start()
        defer { ingestor.stop() }
        let deadline = Date().addingTimeInterval(20)
        while ingestor.progress.replaying && Date() < deadline { usleep(10_000) }
        let refresher = ModelRefresher(ingestor: ingestor, options: ScoresOptions(horizonDays: 60))
        #expect(refresher.models == nil)
        let models = try #require(refresher.refit())
        // At the clock of the fit: the newest event, or a little later once the log has been quiet for a
        // second (the clock then follows the wall clock), never past the clock now.
        let newest = ingestor.read { $0.engine.stats.lastTimestamp }
        let clock = try #require(ingestor.read { $0.engine.watermark })
        #expect(models.fittedAt >= newest && models.fittedAt <= clock)
        #expect(refresher.models?.fittedAt == models.fittedAt)
        #expect(models.churn != nil && models.transactions != nil)
        // The hold-out check: the same recipe 60 days earlier, judged on the 60 days since.
        let holdout = try #require(models.holdout)
        #expect(holdout.holdout.days == 60)
        #expect((holdout.holdout.churnAUC ?? 0) > 0.6)
        let status = refresher.status
        #expect(status.fits == 1 && !status.fitting && status.drift?.days == 0)
    }
}

@Suite struct ChurnInputTests {
    @Test func aFeatureThatDoesNotApplyContributesNothing() {
        for feature in ChurnFeature.allCases { #expect(feature.input(.nan).isNaN, "\(feature.name)") }
    }
}
