import ArgumentParser
import ForesightCore
import ForesightSim
import ForesightUI
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure ingest speed, memory and frame render time (run a release build: swift run -c release foresight bench).",
        discussion: """
            Without FILE, generates --customers customers over --days days into a temporary file first \
            (400,000 customers over 90 days is about 10M events, 2.3 GB). Then replays the file through \
            the full engine (parse, deduplicate, profiles, timelines, activity counters) on one thread and \
            prints events/s, MB/s, peak RSS and bytes per customer, then times building a frame of every \
            dashboard view over that state.
            """
    )

    @Argument(help: "An event log to replay; omit to generate one.")
    var file: String?

    @Option(help: "Customers to generate.")
    var customers: Int = 400_000

    @Option(help: "Days to generate.")
    var days: Int = 90

    @Option(help: "Generator seed.")
    var seed: UInt64 = 1

    @Flag(help: "Keep the generated file (its path is printed).")
    var keep = false

    @Option(help: "Frames to build per view when timing rendering (0 skips it).")
    var frames: Int = 50

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: "Instead of the replay: measure append → on-screen latency with events appended at this rate per second.")
    var liveRate: Int?

    @Option(help: "Seconds the latency measurement runs.")
    var liveSeconds: Double = 10

    struct Result: Encodable {
        var file: String
        var bytes: Int64
        var lines: Int
        var events: Int
        var customers: Int
        var seconds: Double
        var eventsPerSecond: Double
        var megabytesPerSecond: Double
        var peakRSSBytes: Int
        var stateBytes: Int
        var stateBytesPerCustomer: Double
        var peakRSSBytesPerCustomer: Double
        var state: MemoryFootprint
        var frameMilliseconds: [String: Double]
    }

    @Flag(help: "Instead of the replay: time model fits and scoring (on simulated buyers, and on FILE when given).")
    var predictions = false

    @Flag(help: "Instead: replay with and without 20 rule segments kept current (best of --runs each), then time RFM and k-means.")
    var segments = false

    @Option(help: "With --segments: events marked between two segment flushes while replaying (default: the dashboard's policy).")
    var segmentFlushEvents: Int?

    @Option(help: "With --segments, --campaigns or --state: replays of each kind, alternated; the best of them counts (a busy machine needs more).")
    var runs = 3

    @Option(help: "With --segments: split each flush's evaluation into this many parts side by side (1: on the ingest thread alone; default: one per processor, up to 4, when the flush has many customers).")
    var segmentFlushParts: Int?

    @Flag(help: "Instead: replay FILE (or a generated log), then time a 6-step funnel and the full transition matrix (best of 3).")
    var journeys = false

    @Flag(help: "Instead: the durable state — full replay, full checkpoint, replay with checkpoints every 2 s, restart from the checkpoint.")
    var state = false

    @Flag(help: "Instead: replay with and without 20 campaign triggers (best of --runs each), then the dry run of the bundled triggers.")
    var campaigns = false

    @Flag(help: ArgumentHelp("With --campaigns: only the replays with the 20 triggers (to profile them).", visibility: .hidden))
    var triggersOnly = false

    @Flag(help: ArgumentHelp("With --campaigns: only the replays without triggers, through the same path (to profile against --triggers-only).", visibility: .hidden))
    var plainOnly = false

    @Option(help: "With --campaigns: split each flush's timer checks into this many parts side by side (1: on the ingest thread alone; default: one per processor, up to 4, when there are many).")
    var timerCheckParts: Int?

    func run() throws {
        if campaigns {
            return try CampaignsBench.run(path: file, customers: customers, days: days, seed: seed, runs: runs, config: nil,
                                          timerCheckParts: timerCheckParts, triggersOnly: triggersOnly, plainOnly: plainOnly, json: json)
        }
        if journeys { return try JourneysBench.run(path: file, customers: customers, days: days, seed: seed, json: json) }
        if state { return try StateBench.run(path: file, customers: customers, days: days, seed: seed, runs: runs, json: json) }
        if predictions { return try PredictionsBench.run(path: file) }
        if segments { return try SegmentsBench.run(path: file, customers: customers, days: days, seed: seed, runs: runs, flushEvents: segmentFlushEvents, flushParts: segmentFlushParts, json: json) }
        if let liveRate {
            let r = try LatencyBench.run(rate: liveRate, seconds: liveSeconds, frameInterval: 0.05)
            if json { try printJSON(r); return }
            print("Append → on screen at \(Format.integer(liveRate)) events/s for \(Format.decimal(liveSeconds, places: 0)) s (\(r.batches) batches of 10 ms, \(r.frames) frames)")
            print("  latency p50 \(Format.decimal(r.p50Milliseconds, places: 1)) ms, p99 \(Format.decimal(r.p99Milliseconds, places: 1)) ms, max \(Format.decimal(r.maxMilliseconds, places: 1)) ms")
            return
        }
        var path = file ?? ""
        var generated = false
        if file == nil {
            path = try BenchLog.generate("bench", customers: customers, days: days, seed: seed)
            generated = true
        }
        defer { if generated && !keep { try? FileManager.default.removeItem(atPath: path) } }
        ProcessMemory.resetPeak()

        var pipeline = IngestPipeline(sourceName: path)
        let began = monotonicSeconds()
        let totals: ReplayTotals
        do {
            totals = try LogSources.readAll(path: path) { line in pipeline.consumeDeferred(line, quarantine: nil) }
            pipeline.flush()
        } catch let error as IngestError {
            throw CLIError(error.message)
        }
        let seconds = monotonicSeconds() - began
        let peak = ProcessMemory.peakResidentBytes()
        let footprint = pipeline.engine.memoryFootprint()
        let n = max(1, pipeline.engine.profiles.count)
        let frameTimes = frames > 0 ? FrameBench.run(pipeline: pipeline, frames: frames) : [:]
        let result = Result(
            file: path, bytes: totals.bytes, lines: totals.lines, events: pipeline.engine.stats.accepted,
            customers: pipeline.engine.profiles.count, seconds: seconds,
            eventsPerSecond: Double(pipeline.engine.stats.accepted) / seconds,
            megabytesPerSecond: Double(totals.bytes) / 1_000_000 / seconds,
            peakRSSBytes: peak, stateBytes: footprint.total,
            stateBytesPerCustomer: Double(footprint.total) / Double(n),
            peakRSSBytesPerCustomer: Double(peak) / Double(n), state: footprint, frameMilliseconds: frameTimes)
        if json { try printJSON(result); return }
        print("Replay of \(path)")
        print("  \(Format.bytes(totals.bytes)), \(Format.integer(totals.lines)) lines, \(Format.integer(result.events)) events, \(Format.integer(result.customers)) customers")
        print("  ingest (parse + dedupe + profiles + timelines), one thread: \(Format.decimal(seconds, places: 2)) s")
        print("    \(Format.decimal(result.eventsPerSecond / 1e6, places: 2))M events/s, \(Format.decimal(result.megabytesPerSecond, places: 0)) MB/s")
        print("  memory: peak RSS \(Format.bytes(Int64(peak))) (\(Format.integer(Int(result.peakRSSBytesPerCustomer))) bytes per customer)")
        print("    state \(Format.bytes(Int64(footprint.total))) (\(Format.integer(Int(result.stateBytesPerCustomer))) bytes per customer): profiles \(Format.bytes(Int64(footprint.profiles))), timelines \(Format.bytes(Int64(footprint.timelines))), orders \(Format.bytes(Int64(footprint.orders))), traits \(Format.bytes(Int64(footprint.traits))), ids \(Format.bytes(Int64(footprint.interners))), dedupe \(Format.bytes(Int64(footprint.deduplication)))")
        if !frameTimes.isEmpty {
            let list = frameTimes.sorted { $0.key < $1.key }.map { "\($0.key) \(Format.decimal($0.value, places: 2)) ms" }
            print("  frame (state → buffer → changed cells), median of \(frames): " + list.joined(separator: ", "))
        }
    }
}

/// Times building frames of every view over a replayed state with the headless backend.
enum FrameBench {
    static func run(pipeline: IngestPipeline, frames: Int) -> [String: Double] {
        var out: [String: Double] = [:]
        let ingestor = LiveIngestor(path: "/dev/null", pipeline: pipeline, quarantinePath: nil)
        for size in [Size(width: 160, height: 48), Size(width: 80, height: 24)] {
            let backend = HeadlessBackend(size: size)
            let runtime = DashboardRuntime(ingestor: ingestor, backend: backend, sourceName: "bench", clock: monotonicSeconds)
            func time(_ name: String, keys: [Key]) {
                for key in keys { runtime.step(key: key) }
                runtime.waitForIdle()
                runtime.step(key: nil)
                var samples: [Double] = []
                for i in 0..<frames {
                    let t0 = monotonicSeconds()
                    // Alternate moves so every frame differs, as when a user scrolls.
                    runtime.step(key: i % 2 == 0 ? .down : .up)
                    samples.append((monotonicSeconds() - t0) * 1000)
                }
                samples.sort()
                out["\(name) \(size.width)x\(size.height)"] = samples[samples.count / 2]
            }
            time("overview", keys: [.char("1")])
            time("customers", keys: [.char("2")])
            time("customer", keys: [.char("2"), .enter])
            time("rejects", keys: [.escape, .char("1"), .char("r")])
        }
        return out
    }
}

/// Resident memory of this process, from /proc.
enum ProcessMemory {
    /// Peak resident set size (VmHWM) in bytes.
    static func peakResidentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return digits * 1024
        }
        return 0
    }

    /// Resets the peak (so a generator run before the replay does not count).
    static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }
}
