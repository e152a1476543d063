import ForesightCore
import ForesightSim
import ForesightStore
import ForesightUI
import Foundation
import Synchronization

/// `foresight bench --state [FILE]`: the durable state's figures on a log. The full replay through the live
/// ingest path; a full checkpoint of the replayed engine (best of `runs`); the same replay again with a
/// checkpoint every 2 s, to show ingestion keeps its speed while checkpoints are written; and a restart from
/// the checkpoint (load, resume at the offset, segments evaluated) against the full replay.
enum StateBench {
    struct Result: Encodable {
        var file: String
        var events: Int
        var customers: Int
        var replaySeconds: Double
        var replayEventsPerSecond: Double
        var fullCheckpointSeconds: [Double]
        var walCompactionSeconds: [Double]
        var stateBytes: Int64
        var replayWithCheckpointsSeconds: Double
        var replayWithCheckpointsEventsPerSecond: Double
        var checkpointsDuringReplay: Int
        var incrementalCheckpointSeconds: Double?
        var restartLoadSeconds: [Double]
        var restartSegmentsSeconds: [Double]
        var restartReadySeconds: [Double]
        /// Per checkpoint written during the replay: its seconds and the events ingested meanwhile.
        var ingestDuringCheckpoints: [Int]
        var checkpointSecondsDuringReplay: [Double]
    }

    static func run(path given: String?, customers: Int, days: Int, seed: UInt64, runs: Int, json: Bool) throws {
        let path = try given ?? BenchLog.generate("statebench", customers: customers, days: days, seed: seed)
        defer { if given == nil { try? FileManager.default.removeItem(atPath: path) } }
        let statePath = FileManager.default.temporaryDirectory.appendingPathComponent("foresight-statebench-\(getpid()).sqlite").path
        func removeState() { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: statePath + suffix) } }
        removeState()
        defer { removeState() }

        // 1. The full replay through the live ingest path (what a dashboard without state does).
        printError("replaying \(path) …")
        let (replayed, replaySeconds) = try liveReplay(path: path, checkpointEvery: nil, statePath: nil)
        let events = replayed.engine.stats.accepted, n = replayed.engine.profiles.count

        // 2. Full checkpoints of that engine (a new file each time).
        var full: [Double] = [], compaction: [Double] = []
        var stateBytes: Int64 = 0
        var store: StateStore?
        for _ in 0..<max(1, runs) {
            removeState()
            let s = try open(statePath)
            var engine = replayed.engine
            var written = WrittenState()
            let t0 = monotonicSeconds()
            _ = try checked { try s.writeCheckpoint(engine.exportState(), position: replayed.position, appliedSuppression: 0, written: &written) }
            let t1 = monotonicSeconds()
            s.compactLog()
            full.append(t1 - t0)
            compaction.append(monotonicSeconds() - t1)
            stateBytes = (try? FileManager.default.attributesOfItem(atPath: statePath)[.size] as? NSNumber)?.int64Value ?? 0
            store = s
            printError("full checkpoint of \(Format.integer(n)) customers: \(Format.decimal(t1 - t0, places: 2)) s (+ \(Format.decimal(compaction.last ?? 0, places: 2)) s moving the WAL into the file)")
        }

        // 3. The replay again with a checkpoint every 2 s on the checkpointer's thread.
        removeState()
        let (_, withSeconds, status, during) = try liveReplayWithCheckpoints(path: path, statePath: statePath, every: 2)
        printError("replay with a checkpoint every 2 s: \(Format.decimal(withSeconds, places: 2)) s, \(status.checkpoints) checkpoints")
        let duringText = during.map { "\(Format.decimal($0.seconds, places: 2)) s: \(Format.decimal(Double($0.events) / max($0.seconds, 1e-9) / 1e6, places: 2))M events/s" }

        // 4. Restart: load the last checkpoint (the whole log), resume at its offset, evaluate the segments.
        var load: [Double] = [], segments: [Double] = [], ready: [Double] = []
        store = try open(statePath)
        for _ in 0..<max(1, runs) {
            let t0 = monotonicSeconds()
            guard let loaded = try checked({ try store?.loadCheckpoint() }) else { throw CLIError("no checkpoint was written") }
            var pipeline = IngestPipeline(engine: loaded.engine, sourceName: path)
            pipeline.position = loaded.position
            let resume = loaded.position.map { ResumePlan.resume(path: path, from: $0) } ?? .fromStart
            let t1 = monotonicSeconds()
            if let config = ConfigOptions.locateDefault() {
                var live = LiveSegments(configuration: SegmentsConfiguration.load(path: config).configuration)
                live.evaluateAll(engine: pipeline.engine)
                pipeline.segments = live
            }
            let t2 = monotonicSeconds()
            let ingestor = LiveIngestor(path: path, pipeline: pipeline, quarantinePath: nil, resume: resume)
            ingestor.start()
            while ingestor.progress.replaying && ingestor.progress.error == nil { usleep(1_000) }
            ingestor.stop()
            let t3 = monotonicSeconds()
            load.append(t1 - t0)
            segments.append(t2 - t1)
            ready.append(t3 - t0)
            printError("restart: load \(Format.decimal(t1 - t0, places: 2)) s, segments \(Format.decimal(t2 - t1, places: 2)) s, ready \(Format.decimal(t3 - t0, places: 2)) s")
        }

        // An incremental checkpoint after a little more of the log: the last 1% of the lines again is not
        // possible (offsets), so the replay's last checkpoint stands for it.
        let result = Result(
            file: path, events: events, customers: n, replaySeconds: replaySeconds,
            replayEventsPerSecond: Double(events) / replaySeconds, fullCheckpointSeconds: full, walCompactionSeconds: compaction,
            stateBytes: stateBytes, replayWithCheckpointsSeconds: withSeconds,
            replayWithCheckpointsEventsPerSecond: Double(events) / withSeconds, checkpointsDuringReplay: status.checkpoints,
            incrementalCheckpointSeconds: status.last.flatMap { $0.full ? nil : $0.seconds },
            restartLoadSeconds: load, restartSegmentsSeconds: segments, restartReadySeconds: ready,
            ingestDuringCheckpoints: during.map(\.events), checkpointSecondsDuringReplay: during.map(\.seconds))
        if json { try printJSON(result); return }
        print("Durable state on \(path): \(Format.integer(events)) events, \(Format.integer(n)) customers")
        print("  full replay (live ingest path): \(Format.decimal(replaySeconds, places: 2)) s, \(Format.decimal(result.replayEventsPerSecond / 1e6, places: 2))M events/s")
        print("  full checkpoint: \(full.map { Format.decimal($0, places: 2) }.joined(separator: ", ")) s (one transaction); WAL into the file \(compaction.map { Format.decimal($0, places: 2) }.joined(separator: ", ")) s; file \(Format.bytes(stateBytes))")
        print("  replay with a checkpoint every 2 s: \(Format.decimal(withSeconds, places: 2)) s, \(Format.decimal(result.replayWithCheckpointsEventsPerSecond / 1e6, places: 2))M events/s, \(status.checkpoints) checkpoints (last \(status.last.map { "\($0.full ? "full" : "incremental"), \(Format.integer($0.customersWritten)) customers, \(Format.decimal($0.seconds, places: 2)) s" } ?? "-"))")
        print("  ingest while each of those checkpoints was written: " + duringText.joined(separator: "; "))
        print("  restart from the checkpoint: load \(load.map { Format.decimal($0, places: 2) }.joined(separator: ", ")) s, segments \(segments.map { Format.decimal($0, places: 2) }.joined(separator: ", ")) s, ready \(ready.map { Format.decimal($0, places: 2) }.joined(separator: ", ")) s (the full replay: \(Format.decimal(replaySeconds, places: 2)) s)")
    }

    private static func open(_ path: String) throws -> StateStore {
        do { return try StateStore(path: path) } catch { throw CLIError(error.description) }
    }

    private static func checked<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as StoreError { throw CLIError(error.description) }
    }

    /// The log through a ``LiveIngestor`` from the start to its end.
    private static func liveReplay(path: String, checkpointEvery: Double?, statePath: String?) throws -> (IngestPipeline, Double) {
        let ingestor = LiveIngestor(path: path, pipeline: IngestPipeline(sourceName: path), quarantinePath: nil)
        let t0 = monotonicSeconds()
        ingestor.start()
        while ingestor.progress.replaying && ingestor.progress.error == nil { usleep(1_000) }
        let seconds = monotonicSeconds() - t0
        ingestor.stop()
        if let error = ingestor.progress.error { throw CLIError(error) }
        return (ingestor.read { $0 }, seconds)
    }

    /// The replay with a checkpoint every `every` seconds, written on this thread (as the checkpointer's
    /// thread does) while the ingest thread goes on; records the events ingested during each write.
    private static func liveReplayWithCheckpoints(path: String, statePath: String, every: Double) throws -> (IngestPipeline, Double, CheckpointerStatus, [(seconds: Double, events: Int)]) {
        let store = try open(statePath)
        let ingestor = LiveIngestor(path: path, pipeline: IngestPipeline(sourceName: path), quarantinePath: nil)
        let checkpointer = Checkpointer(store: store, ingestor: ingestor, interval: 0)
        let samples = Mutex<[(seconds: Double, events: Int)]>([])
        let done = DispatchSemaphore(value: 0)
        let t0 = monotonicSeconds()
        ingestor.start()
        // The writes on a thread of their own at nice 10, as the checkpointer's thread runs.
        Thread.detachNewThread {
            Checkpointer.lowerThreadPriority()
            var next = t0 + every
            while ingestor.progress.replaying && ingestor.progress.error == nil {
                usleep(1_000)
                guard monotonicSeconds() >= next else { continue }
                let a0 = ingestor.read { $0.engine.stats.accepted }, w0 = monotonicSeconds()
                checkpointer.checkpoint()
                let a1 = ingestor.read { $0.engine.stats.accepted }, w1 = monotonicSeconds()
                samples.withLock { $0.append((w1 - w0, a1 - a0)) }
                next = w1 + every
            }
            done.signal()
        }
        while ingestor.progress.replaying && ingestor.progress.error == nil { usleep(1_000) }
        let seconds = monotonicSeconds() - t0
        done.wait()
        let during = samples.withLock { $0 }
        ingestor.stop()
        checkpointer.checkpoint()
        return (ingestor.read { $0 }, seconds, checkpointer.current, during)
    }
}
