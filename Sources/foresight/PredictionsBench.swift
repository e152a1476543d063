import ForesightCore
import ForesightUI

/// `foresight bench --predictions`: how long the models take to fit and to score, on simulated buyers
/// (BG/NBD's published CDNOW parameters) and on a replayed log, and what a background refit costs the
/// ingest thread.
enum PredictionsBench {
    static func run(path: String?) throws {
        let synthetic = try PredictionsBenchmark.run()
        print("Simulated customers (BG/NBD r 0.243, α 4.414, a 0.793, b 2.426), best of 5:")
        print("  BG/NBD fit on 150,000 buyers: \(ms(synthetic.fitSeconds)); Gamma-Gamma: \(ms(synthetic.spendFitSeconds))")
        print("  scoring \(Format.integer(synthetic.scoredCustomers)) customers (P(alive), E[orders], CLV): \(ms(synthetic.scoreSeconds))")
        guard let path else { return }
        var pipeline = IngestPipeline(sourceName: path)
        do {
            _ = try LogSources.readAll(path: path) { line in pipeline.consume(line, quarantine: nil) }
        } catch let error as IngestError {
            throw CLIError(error.message)
        }
        let engine = pipeline.engine
        guard let now = engine.watermark else { throw CLIError("\(path): no event to fit on") }
        print("\(path): \(Format.integer(engine.stats.accepted)) events, \(Format.integer(engine.profiles.count)) customers")
        var began = monotonicSeconds()
        let models = engine.fitModels(asOf: now)
        print("  fit at the watermark (BG/NBD, Gamma-Gamma, churn classifier, next product): \(ms(monotonicSeconds() - began))")
        began = monotonicSeconds()
        _ = engine.fitModels(asOf: now, holdout: true)
        print("  the same with the hold-out check (what the dashboard refits): \(ms(monotonicSeconds() - began))")
        began = monotonicSeconds()
        let population = engine.populationScores(models: models, now: now)
        print("  every customer's scores at once (sorting by a score): \(ms(monotonicSeconds() - began))")
        began = monotonicSeconds()
        var checksum = 0.0
        for c in 0..<engine.profiles.count {
            checksum += engine.liveScore(UInt32(c), models: models, now: now, nextProducts: 1).churnRisk ?? 0
        }
        let each = (monotonicSeconds() - began) / Double(max(1, engine.profiles.count))
        print("  one customer's live score (closed forms, features, reasons, next product): \(Format.decimal(each * 1e6, places: 1)) µs"
            + (checksum.isFinite && population.churnRisk.count == engine.profiles.count ? "" : " (check failed)"))
        // A refit copies the engine in O(1); the ingest thread then pays for copying what it writes next.
        var live = pipeline
        let held = live.engine
        var line = #"{"type":"track","event":"Product Viewed","userId":"bench-copy","timestamp":"2026-12-31T00:00:00Z"}"#
        began = monotonicSeconds()
        line.withUTF8 { _ = live.engine.ingest(UnsafeRawBufferPointer($0)) }
        print("  copy-on-write paid by the ingest thread once per refit: \(ms(monotonicSeconds() - began))"
            + (held.profiles.count < live.engine.profiles.count ? "" : " (check failed)"))
    }

    static func ms(_ seconds: Double) -> String { Format.decimal(seconds * 1000, places: 1) + " ms" }
}
