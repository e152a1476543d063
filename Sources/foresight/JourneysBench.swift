import ForesightCore
import ForesightSim
import ForesightUI
import Foundation

/// `foresight bench --journeys [FILE]`: replays the log once, then times the journey queries on the
/// ingested state (no re-reading of the file): a 6-step funnel without and with a 7-day window, the full
/// transition matrix, and the whole Journeys view report. Best of 3 runs each, with the spread.
enum JourneysBench {
    /// The funnel timed: six steps, one with alternatives.
    static let steps = "Page Viewed|Products Searched, Product Viewed, Product Added, Checkout Started, Payment Info Entered, Order Completed"

    struct Timing: Encodable {
        var name: String
        var bestSeconds: Double
        var worstSeconds: Double
    }

    struct Result: Encodable {
        var file: String
        var events: Int
        var customers: Int
        var replaySeconds: Double
        var timings: [Timing]
        var funnel: [FunnelStepRow]
        var transitions: Int
    }

    static func run(path given: String?, customers: Int, days: Int, seed: UInt64, json: Bool) throws {
        let path = try given ?? BenchLog.generate("jbench", customers: customers, days: days, seed: seed)
        defer { if given == nil { try? FileManager.default.removeItem(atPath: path) } }
        var pipeline = IngestPipeline(sourceName: path)
        let began = monotonicSeconds()
        do {
            _ = try LogSources.readAll(path: path) { line in pipeline.consumeDeferred(line, quarantine: nil) }
            pipeline.flush()
        } catch let error as IngestError {
            throw CLIError(error.message)
        }
        let replay = monotonicSeconds() - began
        let engine = pipeline.engine
        guard let now = engine.watermark else { throw CLIError("\(path): no event accepted") }
        let spec = try FunnelSteps.parse(steps)
        var windowed = spec
        windowed.windowMs = 7 * 86_400_000
        func time<T>(_ name: String, _ body: () throws -> T) rethrows -> (Timing, T) {
            var t0 = monotonicSeconds()
            var value = try body()
            var samples = [monotonicSeconds() - t0]
            for _ in 1..<3 {
                t0 = monotonicSeconds()
                value = try body()
                samples.append(monotonicSeconds() - t0)
            }
            return (Timing(name: name, bestSeconds: samples.min() ?? 0, worstSeconds: samples.max() ?? 0), value)
        }
        let (funnelTime, funnel) = try time("6-step funnel") { try engine.funnel(spec, now: now) }
        let (windowTime, _) = try time("6-step funnel, 7-day window") { try engine.funnel(windowed, now: now) }
        let (matrixTime, matrix) = time("transition matrix (within sessions)") { engine.transitions(withinSession: true, now: now) }
        let (acrossTime, _) = time("transition matrix (across sessions)") { engine.transitions(withinSession: false, now: now) }
        let (reportTime, _) = time("Journeys view report (funnel, stages, flow, paths, pain points)") {
            engine.journeysReport(steps: JourneysConfiguration.standardFunnel, now: now)
        }
        let timings = [funnelTime, windowTime, matrixTime, acrossTime, reportTime]
        let result = Result(file: path, events: engine.stats.accepted, customers: engine.profiles.count, replaySeconds: replay,
                            timings: timings, funnel: funnel.rows, transitions: matrix.total)
        if json { try printJSON(result); return }
        print("Journeys on \(path): \(Format.integer(result.events)) events, \(Format.integer(result.customers)) customers (replay \(Format.decimal(replay, places: 1)) s)")
        for t in timings {
            print("  \(t.name): best \(Format.decimal(t.bestSeconds * 1000, places: 0)) ms of 3 (worst \(Format.decimal(t.worstSeconds * 1000, places: 0)) ms)")
        }
        print("  funnel: " + funnel.rows.map { "\($0.step) \(Format.integer($0.users))" }.joined(separator: " → "))
    }
}
