import ForesightCore
import Foundation
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
        compareLive(path: path)
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

    /// Replays `path` through the live ingestor (its own thread, batches under the lock, as the dashboard
    /// does) until the end of the file, with or without the model refresher refitting meanwhile.
    static func liveReplay(path: String, withModels: Bool) -> (seconds: Double, events: Int, fits: Int) {
        let ingestor = LiveIngestor(path: path, pipeline: IngestPipeline(sourceName: path), quarantinePath: nil)
        let refresher = withModels ? ModelRefresher(ingestor: ingestor, clock: monotonicSeconds) : nil
        let began = monotonicSeconds()
        ingestor.start()
        refresher?.start()
        while ingestor.progress.replaying && ingestor.progress.error == nil { usleep(2_000) }
        let seconds = monotonicSeconds() - began
        refresher?.stop(timeout: 30)
        ingestor.stop()
        return (seconds, ingestor.read { $0.engine.stats.accepted }, refresher?.status.fits ?? 0)
    }

    /// The issue's before/after: replay throughput without and with live models.
    static func compareLive(path: String) {
        let without = liveReplay(path: path, withModels: false)
        let with = liveReplay(path: path, withModels: true)
        let rate = { (r: (seconds: Double, events: Int, fits: Int)) in Format.decimal(Double(r.events) / r.seconds / 1e6, places: 2) + "M events/s" }
        print("Live replay of \(path) (ingest thread + lock, as in the dashboard):")
        print("  without models: \(rate(without)) (\(Format.decimal(without.seconds, places: 2)) s)")
        print("  with the model refresher: \(rate(with)) (\(Format.decimal(with.seconds, places: 2)) s, \(with.fits) fits during the replay)")
        print("  change: " + Format.signedPercent(without.seconds / with.seconds - 1, places: 1))
    }

    static func ms(_ seconds: Double) -> String { Format.decimal(seconds * 1000, places: 1) + " ms" }
}
