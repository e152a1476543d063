import Foundation

extension SegmentsBenchmark {
    /// One replay of a log through the pipeline, in 1 MiB batches as the live ingest thread reads it.
    /// One flush of a replay: its duration and the customers it evaluated.
    public struct FlushRecord: Sendable, Codable, Equatable {
        public var seconds: Double
        public var customers: Int
    }

    public struct ReplayRun: Sendable, Codable, Equatable {
        public var events: Int
        public var customers: Int
        public var seconds: Double
        /// Entries and exits recorded (0 without segments).
        public var changes: Int
        /// Customers evaluated after their events, by their timers alone, and the flushes (0 without segments).
        public var evaluatedByEvent = 0
        public var evaluatedByClock = 0
        public var flushes = 0
        /// Wall-clock seconds spent in the segment flushes (evaluations, timers, changes).
        public var flushSeconds = 0.0
        /// Each flush's wall-clock seconds and customers evaluated, in order.
        public var flushLog: [FlushRecord] = []
        public var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }
    }

    /// ``sampleRules`` as a configuration (segments `S0` … `S19`; `S5` refers to `S4`).
    public static var sampleConfiguration: SegmentsConfiguration {
        let segments = sampleRules.enumerated().compactMap { i, text -> RuleSegment? in
            guard case .success(let rule) = CompiledRule.compile(text) else { return nil }
            return RuleSegment(name: "S\(i)", rule: rule)
        }
        return SegmentsConfiguration(file: "sample", segments: segments)
    }

    /// Replays `path` through ``IngestPipeline`` in batches of `batchBytes`, on the deferred path as
    /// ``LiveIngestor`` reads, keeping `segments` current as it does during a replay (each accepted event marked, a flush by
    /// ``LiveSegments/flushDue(force:secondsSinceLastFlush:)``, about once a second, and at the end), or without segments when nil.
    /// `flushEvents` and `flushParts` override ``LiveSegments/flushEvents`` and ``LiveSegments/flushParts``.
    /// - Returns: the run's figures and the final pipeline.
    public static func replay(path: String, segments: SegmentsConfiguration?, flushEvents: Int? = nil, flushParts: Int? = nil, batchBytes: Int = 1 << 20,
                              clock: () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }) throws
        -> (run: ReplayRun, pipeline: IngestPipeline) {
        var pipeline = IngestPipeline(sourceName: path)
        if let segments {
            pipeline.segments = LiveSegments(configuration: segments)
            if let flushEvents { pipeline.segments?.flushEvents = flushEvents }
            pipeline.segments?.flushParts = flushParts
        }
        let source = try LogSources.open(path: path)
        let start = clock()
        var changes = 0
        var lastFlush = start
        var flushSeconds = 0.0
        var flushLog: [FlushRecord] = []
        var evaluatedBefore = 0
        while true {
            let status = try source.poll(maxBytes: batchBytes) { line in pipeline.consumeDeferred(line, quarantine: nil) }
            pipeline.flush()
            let end = status.atEOF || status.isFinished || status.bytesRead == 0
            let t = clock()
            let flushed = pipeline.segments?.flushDue(force: end, secondsSinceLastFlush: t - lastFlush) == true
            changes += pipeline.flushSegments(force: end, secondsSinceLastFlush: t - lastFlush)
            if flushed {
                let e = pipeline.segments?.evaluations
                flushLog.append(FlushRecord(seconds: clock() - t, customers: (e?.byEvent ?? 0) + (e?.byClock ?? 0) - evaluatedBefore))
                evaluatedBefore = (e?.byEvent ?? 0) + (e?.byClock ?? 0)
                // As the dashboard's ingest thread: the wait counts from the flush's end, and its duration paces the next.
                lastFlush = clock()
                flushSeconds += lastFlush - t
                pipeline.segments?.lastFlushSeconds = lastFlush - t
            }
            if end { break }
        }
        let seconds = clock() - start
        var run = ReplayRun(events: pipeline.engine.stats.accepted, customers: pipeline.engine.profiles.count,
                            seconds: seconds, changes: changes)
        if let e = pipeline.segments?.evaluations {
            run.evaluatedByEvent = e.byEvent
            run.evaluatedByClock = e.byClock
            run.flushes = e.flushes
            run.flushSeconds = flushSeconds
            run.flushLog = flushLog
        }
        return (run, pipeline)
    }
}
