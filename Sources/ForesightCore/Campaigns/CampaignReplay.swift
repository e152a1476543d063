import Foundation
import Synchronization

/// A replay of a log through the campaign triggers, as the headless `campaigns` command and its benchmark
/// run it: every line through the deferred ingest path; the segments (when a trigger watches one) flushed
/// every ``Options/segmentFlushEvents`` events; the scores (when a trigger or a `when` rule reads one)
/// refitted and swapped in every ``Options/rescoreEveryMs`` of event time, so that score crossings fire.
/// What fires depends on the log and the configuration only.
///
/// A score run is a background job on a copy of the engine at its boundary (the models are fitted at the first
/// boundary and again whenever the log doubled since; each run scores every customer and finds the crossings): the
/// replay goes on meanwhile, and the job's result is applied at the next boundary (or the end of the
/// log), waiting for it if need be, so its effect lands at the same place in the log on every run.
public enum CampaignReplay {
    public struct Options: Sendable {
        /// Event time between two score runs (the first sets the baseline; crossings fire from the second).
        public var rescoreEveryMs: Int64 = 14 * 86_400_000
        /// Events between two segment flushes.
        public var segmentFlushEvents = 262_144

        public init(rescoreEveryMs: Int64 = 14 * 86_400_000, segmentFlushEvents: Int = 262_144) {
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
        // The score runs take the other core for most of the replay: a settle beside the ingest would be a third
        // thread on two cores (measured: the 10M-event dry run 2–4 s slower).
        if scored { pipeline.settlesCampaignsInBackground = false }
        pipeline.segments?.flushEvents = options.segmentFlushEvents
        pipeline.segments?.replayFlushSeconds = .infinity
        var schedule = ScoreSchedule(everyMs: options.rescoreEveryMs)
        var sinceCheck = 0
        var failure: Error?
        var job: ScoreJob?
        var models: PredictionModels?
        var lastTable = SegmentScoreTable(customers: 0)
        /// Waits for the running score job and applies its table and crossings.
        func join(_ p: inout IngestPipeline) {
            guard let running = job else { return }
            let start = clock()
            let finished = running.wait()
            summary.scoreSeconds += clock() - start
            job = nil
            guard let result = finished else { return }
            models = result.models
            lastTable = result.table
            p.applyScores(result.table, crossings: result.crossings)
            summary.scoreRuns += 1
        }
        func step(_ p: inout IngestPipeline) {
            if p.segments != nil { p.flushSegments(force: false) }
            if scored, let now = p.engine.watermark {
                if schedule.isDue(at: now) {
                    p.flush()
                    join(&p)
                    guard let runner = p.campaigns else { return }
                    // Refitted when the log doubled since the last fit (a fit costs more than a score run).
                    let refit = models.map { p.engine.stats.accepted >= 2 * $0.events } ?? true
                    // The rules alone go to the job: a copy of the runner's tables would be copied again (all of
                    // them, each customer's lists retained) by the next decision on this thread.
                    job = ScoreJob(engine: p.engine, runner: runner.rulesOnly, models: refit ? nil : models, previous: lastTable, now: now)
                    schedule.ran(at: now)
                }
            }
            // Not `p.campaigns` mid-batch: it would wait for a settle running beside the ingest, and copy its tables.
            if p.campaignsEmitDecisions, let taken = p.updateCampaigns({ $0.takeDecisions() }), !taken.isEmpty {
                do { try decisions(taken) } catch { failure = failure ?? error }
            }
        }
        defer { pipeline.flush() }
        summary.lines = try LogSources.readAll(path: path, maxLineBytes: maxLineBytes) { line in
            pipeline.consumeDeferred(line, quarantine: quarantine)
            sinceCheck += 1
            // The segments and the decisions every 4096 lines; a score boundary as soon as the log's clock passes
            // it (on a small log 4096 lines can span weeks of event time: every other run would be skipped).
            if sinceCheck >= 4096 || (scored && schedule.isPassed(by: pipeline.engine.stats.lastTimestamp)) {
                sinceCheck = 0
                step(&pipeline)
            }
        }.lines
        pipeline.flush()
        join(&pipeline)
        // The end of the log: everything due by its last event.
        pipeline.flushSegments(force: true)
        pipeline.flushCampaigns()
        step(&pipeline)
        if let failure { throw failure }
        return summary
    }
}

/// When a replay's score runs are due: every `everyMs` of event time on a grid from the log's first event (a gap
/// in the log longer than a period has no runs inside it: the next is at the first event after it).
public struct ScoreSchedule: Sendable, Equatable {
    /// Event time between two boundaries.
    public let everyMs: Int64
    /// The next boundary (`Int64.min` before the first event).
    public private(set) var next = Int64.min

    public init(everyMs: Int64) { self.everyMs = max(1, everyMs) }

    /// Whether the clock at `time` has reached the next boundary (true before the first event, so that the caller
    /// asks ``isDue(at:)`` and the grid is set).
    public func isPassed(by time: Int64) -> Bool { next == .min || time >= next }

    /// Whether a run is due with the clock at `now`; the first call sets the grid (`now` is the first event's time).
    public mutating func isDue(at now: Int64) -> Bool {
        if next == .min {
            next = now + everyMs
            return false
        }
        return now >= next
    }

    /// Moves the next boundary past `now`, after a run.
    public mutating func ran(at now: Int64) {
        while next <= now { next += everyMs }
    }
}

/// One score run of a replay on its own thread: fit (the first time), score every customer, find the
/// crossings against the previous table.
final class ScoreJob: Sendable {
    struct Result: Sendable {
        var models: PredictionModels
        var table: SegmentScoreTable
        var crossings: ScoreCrossings
    }
    private let result = Mutex<Result?>(nil)
    private let done = DispatchSemaphore(value: 0)
    /// The engine as handed over, until the job has its own copy of it (``Engine/detachingTimelines()``).
    private let handedOver: Mutex<Engine?>

    init(engine: Engine, runner: CampaignRunner, models: PredictionModels?, previous: SegmentScoreTable, now: Int64) {
        handedOver = Mutex(engine)
        Thread.detachNewThread { [self] in
            // The shared copy is released with this statement: the ingest thread's next events copy nothing of it.
            guard let engine = handedOver.withLock({ $0.take() })?.detachingTimelines() else { return }
            let fitted = models ?? engine.fitModels(asOf: now)
            let table = SegmentScoreTable(engine.populationScores(models: fitted, now: now))
            let crossings = runner.scoreCrossings(from: previous, to: table, engine: engine, now: now)
            result.withLock { $0 = Result(models: fitted, table: table, crossings: crossings) }
            done.signal()
        }
    }

    /// The result, once the job is done (it is always set before the job signals).
    func wait() -> Result? {
        done.wait()
        done.signal()
        return result.withLock { $0 }
    }
}
