import Foundation
import Testing
import ForesightCore
import ForesightTestSupport

@Suite struct ChurnModelTests {
    /// The CDNOW sample: classifier trained inside the calibration period.
    static func cdnowModel() throws -> (Engine, ChurnModel, ChurnDataset) {
        var engine = Engine()
        engine.ingest(lines: try fixtureText("cdnow/cdnow_sample_events.jsonl"))
        let trainer = ChurnTrainer(windowDays: 136)
        let model = try trainer.train(engine: engine, asOf: ms("1997-05-17T23:59:59Z"), fittedAt: 0)
        let snapshot = BGNBDSnapshot(engine: engine, asOf: ms("1997-09-30T23:59:59Z"), horizonDays: 136)
        let rows = engine.churnDataset(asOf: ms("1997-09-30T23:59:59Z"), bgnbd: snapshot, label: nil)
        return (engine, model, rows)
    }

    @Test func explanationsSumToTheScore() throws {
        let (_, model, rows) = try Self.cdnowModel()
        let probabilities = model.probabilities(rows)
        #expect(rows.count == 2357)
        for i in stride(from: 0, to: rows.count, by: 7) {
            let row = rows.row(i)
            let explanation = model.explain(row)
            #expect(abs(explanation.logOdds - model.logOdds(row)) < 1e-9)
            #expect(abs(explanation.probability - probabilities[i]) < 1e-12)
            #expect(explanation.contributions.count == ChurnFeature.allCases.count)
            // Largest effect first.
            let sizes = explanation.contributions.map { abs($0.contribution) }
            #expect(zip(sizes, sizes.dropFirst()).allSatisfy { $0 >= $1 })
            // CDNOW has no e-mail: the feature does not apply and contributes nothing.
            let email = try #require(explanation.contributions.first { $0.feature == .emailOpenRate })
            #expect(email.value == nil && email.contribution == 0)
        }
    }

    @Test func weightsKeepTheirExpectedSigns() throws {
        let (_, model, _) = try Self.cdnowModel()
        for (feature, weight) in zip(model.features, model.weights) {
            #expect(Double(feature.expectedSign) * weight >= 0, "\(feature.name): \(weight)")
        }
        for feature in model.card.droppedFeatures {
            #expect(model.weights[feature.rawValue] == 0)
        }
        #expect(model.card.converged)
        #expect(model.card.customers == 2357)
        // The model ranks its own training rows (CDNOW buyers 4½ months after their first order) well.
        #expect((model.card.training.auc ?? 0) > 0.7)
    }

    @Test func newtonRecoversKnownCoefficients() throws {
        // Simulated logistic data with log-odds −0.5 + 1.2 z₁ − 0.8 z₂ + 0 z₃ on standard normal inputs.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (Double(state >> 11) + 0.5) / Double(1 << 53)
        }
        func normal() -> Double { sqrt(-2 * log(uniform())) * cos(2 * .pi * uniform()) }
        let n = 40_000
        var dataset = ChurnDataset(asOf: 0, customers: [], raw: [], labels: [])
        let d = ChurnFeatureExtractor.count
        let used: [ChurnFeature] = [.probabilityAlive, .supportSentiment, .emailOpenRate]  // inputs taken as they are
        for i in 0..<n {
            var row = [Double](repeating: .nan, count: d)
            let z = (0..<3).map { _ in normal() }
            for (k, f) in used.enumerated() { row[f.rawValue] = z[k] }
            let eta = -0.5 - 0.8 * z[0] - 1.2 * z[1] + 0 * z[2]
            dataset.customers.append(UInt32(i))
            dataset.raw.append(contentsOf: row)
            dataset.labels.append(uniform() < 1 / (1 + exp(-eta)))
        }
        let model = try ChurnTrainer(windowDays: 30, l2: 1e-6, signConstrained: false).fit(dataset, fittedAt: 0)
        // Standardisation barely changes N(0, 1) inputs; weights within sampling error.
        #expect(abs(model.intercept + 0.5) < 0.05)
        #expect(abs(model.weights[ChurnFeature.probabilityAlive.rawValue] + 0.8) < 0.06)
        #expect(abs(model.weights[ChurnFeature.supportSentiment.rawValue] + 1.2) < 0.06)
        #expect(abs(model.weights[ChurnFeature.emailOpenRate.rawValue]) < 0.05)
        // Features that never apply get no weight.
        #expect(model.weights[ChurnFeature.orders.rawValue] == 0)
    }

    @Test func oneClassCannotBeFitted() {
        let d = ChurnFeatureExtractor.count
        let dataset = ChurnDataset(asOf: 0, customers: [0, 1], raw: [Double](repeating: 1, count: 2 * d), labels: [true, true])
        #expect(throws: ModelFitError.noData) { try ChurnTrainer().fit(dataset, fittedAt: 0) }
    }

    @Test func nearlySeparableClassesStillConverge() throws {
        // One input decides the label but for every 50th row: a full Newton step would overshoot.
        let d = ChurnFeatureExtractor.count
        var dataset = ChurnDataset(asOf: 0, customers: [], raw: [], labels: [])
        for i in 0..<3000 {
            var row = [Double](repeating: .nan, count: d)
            let x = Double(i % 100) / 100
            row[ChurnFeature.probabilityAlive.rawValue] = x
            dataset.customers.append(UInt32(i))
            dataset.raw.append(contentsOf: row)
            dataset.labels.append((x < 0.5) != (i % 50 == 0))
        }
        let model = try ChurnTrainer(windowDays: 30).fit(dataset, fittedAt: 0)
        #expect(model.card.converged)
        #expect(model.weights.allSatisfy { $0.isFinite })
        #expect(model.weights[ChurnFeature.probabilityAlive.rawValue] < -3)
        #expect((model.card.training.auc ?? 0) > 0.95)
    }

    @Test func scoresAtTheEndOfTheCDNOWLog() throws {
        var engine = Engine()
        engine.ingest(lines: try fixtureText("cdnow/cdnow_sample_events.jsonl"))
        let now = try #require(engine.watermark)
        let scores = engine.scores(asOf: now)
        let model = try #require(scores.churnModel)
        #expect(model.card.converged)
        #expect(model.card.windowDays == 60)
        #expect(model.card.trainedAsOf == now - 60 * 86_400_000)
        #expect(scores.rows.count == 2357)
        for row in scores.rows {
            let risk = try #require(row.churnRisk)
            #expect(risk >= 0 && risk <= 1)
            #expect(row.pAlive != nil && row.expectedTransactions != nil && row.clv != nil)
            #expect(!row.reasons.isEmpty && row.reasons.count <= 3)
        }
        // Buyers who are expected to buy more are, on the whole, at lower risk.
        let risks = scores.rows.compactMap(\.churnRisk)
        let expected = scores.rows.compactMap(\.expectedTransactions)
        #expect(ClassificationMetrics.auc(scores: expected, labels: risks.map { $0 < 0.5 }) > 0.8)
    }
}
