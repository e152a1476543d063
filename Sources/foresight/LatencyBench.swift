import ForesightCore
import ForesightUI
import Foundation
import Synchronization

/// Append → on screen: a writer appends events at a steady rate while the real dashboard loop (with a
/// headless backend that waits for keys like a terminal) draws frames; for each appended batch, the
/// latency is the time until the first frame whose event count includes it.
enum LatencyBench {
    struct Result: Encodable {
        var rate: Int
        var seconds: Double
        var batches: Int
        var frames: Int
        var p50Milliseconds: Double
        var p99Milliseconds: Double
        var maxMilliseconds: Double
    }

    final class Log: Sendable {
        let writes = Mutex<[(time: Double, total: Int)]>([])
        let frames = Mutex<[(time: Double, events: Int)]>([])
        let stop = Atomic<Bool>(false)
    }

    static func run(rate: Int, seconds: Double, frameInterval: Double) throws -> Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("foresight-latency-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("events.jsonl").path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let log = Log()
        let ingestor = LiveIngestor(path: path, pipeline: IngestPipeline(sourceName: path), quarantinePath: nil)
        ingestor.start()
        defer { ingestor.stop() }

        Thread.detachNewThread {
            guard let handle = FileHandle(forWritingAtPath: path) else { return }
            let start = monotonicSeconds()
            var written = 0, tick = 0
            let perTick = max(1, rate / 100)
            while !log.stop.load(ordering: .relaxed) {
                tick += 1
                let due = start + Double(tick) * 0.01
                let wait = due - monotonicSeconds()
                if wait > 0 { usleep(UInt32(wait * 1e6)) }
                var text = ""
                let now = Timestamp.iso8601(Int64(Date().timeIntervalSince1970 * 1000))
                for _ in 0..<perTick {
                    text += #"{"type":"track","event":"Product Viewed","userId":"u\#(written % 5000)","timestamp":"\#(now)","messageId":"lat-\#(written)","properties":{"product_id":"p\#(written % 300)","price":10},"context":{"channel":"web"}}"# + "\n"
                    written += 1
                }
                handle.write(Data(text.utf8))
                let total = written
                log.writes.withLock { $0.append((monotonicSeconds(), total)) }
            }
            try? handle.close()
        }

        let backend = HeadlessBackend(size: Size(width: 160, height: 48))
        backend.waitsLikeATerminal = true
        let began = monotonicSeconds()
        let runtime = DashboardRuntime(ingestor: ingestor, backend: backend, sourceName: path, frameInterval: frameInterval,
                                       clock: monotonicSeconds, shouldStop: { monotonicSeconds() - began > seconds })
        runtime.onFrame = { events in
            let t = monotonicSeconds()
            log.frames.withLock { $0.append((t, events)) }
        }
        runtime.run()
        log.stop.store(true, ordering: .relaxed)
        usleep(50_000)

        let writes = log.writes.withLock { $0 }
        let frames = log.frames.withLock { $0 }
        var latencies: [Double] = []
        var f = 0
        for w in writes {
            while f < frames.count && (frames[f].events < w.total || frames[f].time < w.time) { f += 1 }
            guard f < frames.count else { break }
            latencies.append((frames[f].time - w.time) * 1000)
        }
        latencies.sort()
        func pct(_ p: Double) -> Double { latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        return Result(rate: rate, seconds: seconds, batches: latencies.count, frames: frames.count,
                      p50Milliseconds: pct(0.5), p99Milliseconds: pct(0.99), maxMilliseconds: latencies.last ?? .nan)
    }
}
