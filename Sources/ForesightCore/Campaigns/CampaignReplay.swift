import Foundation

/// A replay of a log through the campaign triggers, as the headless `campaigns` command and its benchmark
/// run it: every line through the deferred ingest path; the segments (when a trigger watches one) flushed
/// every ``Options/segmentFlushEvents`` events; the scores (when a trigger or a `when` rule reads one)
/// refitted and swapped in every ``Options/rescoreEveryMs`` of event time, so that score crossings fire.
/// What fires depends on the log and the configuration only.
public enum CampaignReplay {
    public struct Options: Sendable {
        /// Event time between two score runs (the first sets the baseline; crossings fire from the second).
        public var rescoreEveryMs: Int64 = 7 * 86_400_000
        /// Events between two segment flushes.
        public var segmentFlushEvents = 262_144

        public init(rescoreEveryMs: Int64 = 7 * 86_400_000, segmentFlushEvents: Int = 262_144) {
            self.rescoreEveryMs = rescoreEveryMs
            self.segmentFlushEvents = segmentFlushEvents
        }
    }

    /// What the replay did besides the decisions.
    public struct Summary: Sendable {
        public var lines = 0
        public var scoreRuns = 0
        public var scoreSeconds = 0.0
    }

    /// Whether the triggers need model scores (a score trigger, or a `when` rule on a score).
    public static func needsScores(_ triggers: [CampaignTrigger]) -> Bool {
        triggers.contains { t in
            if case .score = t.condition { return true }
            return t.when?.usesScores ?? false
        }
    }

    /// Replays the lines of `path` into `pipeline` (which holds the runner, and the segments if needed).
    /// - Parameters:
    ///   - decisions: called with the decisions made since the last call (when the runner emits them).
    ///   - clock: monotonic seconds, for the time spent scoring.
    public static func run(path: String, maxLineBytes: Int, pipeline: inout IngestPipeline, options: Options = Options(),
                           quarantine: QuarantineWriter? = nil, clock: () -> Double = { 0 },
                           decisions: ([CampaignDecision]) throws -> Void = { _ in }) throws -> Summary {
        var summary = Summary()
        let scored = needsScores(pipeline.campaigns?.triggers ?? [])
        pipeline.segments?.flushEvents = options.segmentFlushEvents
        pipeline.segments?.replayFlushSeconds = .infinity
        var nextScore = Int64.min
        var sinceCheck = 0
        var failure: Error?
        func step(_ p: inout IngestPipeline) {
            if p.segments != nil { p.flushSegments(force: false) }
            if scored, let now = p.engine.watermark {
                if nextScore == .min { nextScore = now + options.rescoreEveryMs }
                if now >= nextScore {
                    p.flush()
                    let start = clock()
                    let models = p.engine.fitModels(asOf: now)
                    p.setScores(SegmentScoreTable(p.engine.populationScores(models: models, now: now)), immediately: true)
                    summary.scoreRuns += 1
                    summary.scoreSeconds += clock() - start
                    nextScore = now + options.rescoreEveryMs
                }
            }
            if p.campaigns?.emitsDecisions == true, let taken = p.updateCampaigns({ $0.takeDecisions() }), !taken.isEmpty {
                do { try decisions(taken) } catch { failure = failure ?? error }
            }
        }
        defer { pipeline.flush() }
        summary.lines = try LogSources.readAll(path: path, maxLineBytes: maxLineBytes) { line in
            pipeline.consumeDeferred(line, quarantine: quarantine)
            sinceCheck += 1
            if sinceCheck >= 4096 {
                sinceCheck = 0
                step(&pipeline)
            }
        }.lines
        pipeline.flush()
        // The end of the log: everything due by its last event.
        pipeline.flushSegments(force: true)
        pipeline.flushCampaigns()
        step(&pipeline)
        if let failure { throw failure }
        return summary
    }
}
