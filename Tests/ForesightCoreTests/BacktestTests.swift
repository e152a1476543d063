import Foundation
import Testing
import ForesightCore
import ForesightTestSupport

/// The backtest of the CDNOW sample (39 weeks of calibration, 39 of hold-out) against a golden JSON in
/// Fixtures/backtest/cdnow.json. `FORESIGHT_RECORD=1 swift test --filter BacktestTests` re-records it.
@Suite struct BacktestTests {
    static func report() throws -> BacktestReport {
        var engine = Engine()
        engine.ingest(lines: try fixtureText("cdnow/cdnow_sample_events.jsonl"))
        return try Backtest(calibrationEnd: ms("1997-09-30T00:00:00Z"), holdoutEnd: ms("1998-06-30T00:00:00Z")).run(engine: engine)
    }

    static func encode(_ report: BacktestReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(report)
    }

    @Test func matchesTheGoldenJSON() throws {
        let actual = try Self.encode(try Self.report())
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/backtest/cdnow.json")
        if ProcessInfo.processInfo.environment["FORESIGHT_RECORD"] != nil {
            try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try (actual + Data("\n".utf8)).write(to: golden)
        }
        let expected = try fixtureText("backtest/cdnow.json")
        let differences = Self.differences(try JSONSerialization.jsonObject(with: actual), try JSONSerialization.jsonObject(with: Data(expected.utf8)), path: "")
        #expect(differences.isEmpty, "\(differences.prefix(10))")
    }

    @Test func reproducesThePublishedFitsAndBeatsBGNBD() throws {
        let r = try Self.report()
        #expect(abs(r.bgnbd.r - 0.243) < 0.002 && abs(r.bgnbd.alpha - 4.414) < 0.02)
        #expect(abs(r.bgnbd.a - 0.793) < 0.004 && abs(r.bgnbd.b - 2.426) < 0.012)
        #expect(abs(r.bgnbd.logLikelihood + 9582.4) < 0.5)
        let spend = try #require(r.gammaGamma)
        #expect(abs(spend.p - 6.25) < 0.03 && abs(spend.q - 3.74) < 0.02 && abs(spend.gamma - 15.44) < 0.08)
        #expect(r.holdout.actualTransactions == 1882)
        #expect(abs(r.holdout.predictedTransactions - 1653.4) < 0.5)
        #expect(r.holdout.days == 273)
        // The classifier is trained on a split inside the calibration period: half the 272 days of history.
        #expect(r.churnModel.windowDays == 136)
        #expect(r.churnModel.trainedAsOf == "1997-05-17")
        let churn = try #require(r.holdout.churnAUC), bgnbd = try #require(r.holdout.bgnbdAUC)
        #expect(churn > bgnbd + 0.3)
        #expect(churn > 0.75)
        // Everyone in CDNOW is a buyer: both evaluations are of the same 2,357 customers.
        #expect(r.holdout.allCustomers.count == 2357 && r.holdout.customers == 2357)
        #expect(r.holdout.calibration.reduce(0) { $0 + $1.count } == 2357)
    }

    @Test func aTooShortHoldoutIsAnError() throws {
        var engine = Engine()
        engine.ingest(lines: try fixtureText("cdnow/cdnow_sample_events.jsonl"))
        let same = ms("1997-09-30T00:00:00Z")
        #expect(throws: BacktestError.emptyHoldout) { try Backtest(calibrationEnd: same, holdoutEnd: same + 3_600_000).run(engine: engine) }
        #expect(throws: BacktestError.emptyCalibration) {
            try Backtest(calibrationEnd: ms("1990-01-01T00:00:00Z"), holdoutEnd: ms("1990-06-01T00:00:00Z")).run(engine: engine)
        }
    }

    /// Paths where two decoded JSON values differ: numbers beyond a relative 1e-6, anything else at all.
    static func differences(_ a: Any, _ b: Any, path: String) -> [String] {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            guard Set(x.keys) == Set(y.keys) else { return ["\(path): keys \(x.keys.sorted()) vs \(y.keys.sorted())"] }
            return x.keys.sorted().flatMap { key in differences(x[key] as Any, y[key] as Any, path: path + "." + key) }
        case let (x as [Any], y as [Any]):
            guard x.count == y.count else { return ["\(path): \(x.count) vs \(y.count) elements"] }
            return zip(x, y).enumerated().flatMap { differences($1.0, $1.1, path: "\(path)[\($0)]") }
        case let (x as String, y as String):
            return x == y ? [] : ["\(path): \(x) vs \(y)"]
        case let (x as NSNumber, y as NSNumber):
            let (u, v) = (x.doubleValue, y.doubleValue)
            return abs(u - v) <= 1e-6 * max(1, abs(u), abs(v)) ? [] : ["\(path): \(u) vs \(v)"]
        case (is NSNull, is NSNull):
            return []
        default:
            return ["\(path): \(a) vs \(b)"]
        }
    }
}
