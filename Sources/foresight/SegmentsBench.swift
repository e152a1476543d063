import ForesightCore
import ForesightSim
import ForesightUI
import Foundation

/// `foresight bench --segments [FILE]`: the replay with and without per-event maintenance of the 20
/// sample rule segments (alternating, best of `runs` each), their ratio, then RFM and k-means timings on
/// the replayed customers.
enum SegmentsBench {
    struct Result: Encodable {
        var file: String
        var ruleSegments: Int
        var runs: Int
        var without: SegmentsBenchmark.ReplayRun
        var with: SegmentsBenchmark.ReplayRun
        var withoutEventsPerSecond: Double
        var withEventsPerSecond: Double
        var ratio: Double
        var population: SegmentsBenchmark.Report
        /// A flush of every replayed customer into new segments, best of 3: on one thread, and in parts.
        var fullFlushOneThreadSeconds: Double
        var fullFlushInPartsSeconds: Double
        var fullFlushChanges: Int
    }

    static func run(path given: String?, customers: Int, days: Int, seed: UInt64, runs: Int, flushEvents: Int?, flushParts: Int?, json: Bool) throws {
        let path = try given ?? BenchLog.generate("segbench", customers: customers, days: days, seed: seed)
        defer { if given == nil { try? FileManager.default.removeItem(atPath: path) } }
        let config = SegmentsBenchmark.sampleConfiguration
        var best: [Bool: SegmentsBenchmark.ReplayRun] = [:]
        var last: IngestPipeline?
        do {
            for _ in 0..<max(1, runs) {
                for withSegments in [false, true] {
                    let (run, pipeline) = try SegmentsBenchmark.replay(path: path, segments: withSegments ? config : nil, flushEvents: flushEvents, flushParts: flushParts,
                                                                       clock: monotonicSeconds)
                    if best[withSegments].map({ run.seconds < $0.seconds }) ?? true { best[withSegments] = run }
                    if withSegments { last = pipeline }
                }
            }
        } catch let error as IngestError {
            throw CLIError(error.message)
        }
        guard let without = best[false], let with = best[true], let pipeline = last,
              let now = pipeline.engine.watermark else { throw CLIError("\(path): no event accepted") }
        let population = SegmentsBenchmark.run(engine: pipeline.engine, now: now)
        let serial = SegmentsBenchmark.fullFlush(engine: pipeline.engine, configuration: config, parts: 1)
        let inParts = SegmentsBenchmark.fullFlush(engine: pipeline.engine, configuration: config, parts: flushParts)
        let ratio = without.eventsPerSecond > 0 ? with.eventsPerSecond / without.eventsPerSecond : 0
        let result = Result(file: path, ruleSegments: config.segments.count, runs: max(1, runs), without: without,
                            with: with,
                            withoutEventsPerSecond: without.eventsPerSecond, withEventsPerSecond: with.eventsPerSecond, ratio: ratio, population: population,
                            fullFlushOneThreadSeconds: serial.seconds, fullFlushInPartsSeconds: inParts.seconds,
                            fullFlushChanges: serial.changes)
        if json { try printJSON(result); return }
        func rate(_ r: SegmentsBenchmark.ReplayRun) -> String {
            "\(Format.decimal(r.eventsPerSecond / 1e6, places: 2))M events/s (\(Format.decimal(r.seconds, places: 2)) s)"
        }
        print("Replay of \(path): \(Format.integer(without.events)) events, \(Format.integer(without.customers)) customers, best of \(result.runs)")
        print("  without segments:         \(rate(without))")
        print("  with \(config.segments.count) rule segments:     \(rate(with)), \(Format.integer(with.changes)) entries and exits")
        print("  customers evaluated:      \(Format.integer(with.evaluatedByEvent)) after their events, \(Format.integer(with.evaluatedByClock)) by their timers, in \(with.flushes) flushes taking \(Format.decimal(with.flushSeconds, places: 2)) s")
        print("  the flushes, in order:    " + with.flushLog.map { "\(Format.decimal($0.seconds, places: 2)) s (\(Format.integer($0.customers)))" }.joined(separator: ", "))
        print("  ratio with / without:     \(Format.decimal(ratio * 100, places: 1))%")
        print("  a flush of every customer: \(Format.decimal(serial.seconds * 1000, places: 0)) ms on one thread, \(Format.decimal(inParts.seconds * 1000, places: 0)) ms in parts (\(Format.integer(serial.changes)) entries)")
        print(population.text)
    }
}
