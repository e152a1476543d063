import Foundation
import Synchronization

/// When the live models are refitted: a pure decision over counts and times, so tests drive it.
public struct RefitPolicy: Sendable, Equatable {
    /// No fit before the log holds this many accepted events.
    public var minimumEvents: Int
    /// Refit once the accepted events grew by this share since the last fit (during a replay this
    /// gives a handful of fits, each on a log that doubled, say, rather than one every second).
    public var growth: Double
    /// While live, refit after this many wall-clock seconds if any event arrived meanwhile.
    public var liveInterval: Double
    /// While replaying, at least this many wall-clock seconds between two fits: a fit of a large log takes
    /// seconds of the other core and a copy on the ingest thread, and the replay's end refits anyway.
    public var replayInterval: Double

    /// Creates a policy: first fit at 1,000 events, refit at +50% events (at most every 30 s while
    /// replaying, and once the replay ends), or every 5 minutes live.
    public init(minimumEvents: Int = 1_000, growth: Double = 0.5, liveInterval: Double = 300, replayInterval: Double = 30) {
        self.minimumEvents = minimumEvents
        self.growth = growth
        self.liveInterval = liveInterval
        self.replayInterval = replayInterval
    }

    /// The last fit's circumstances.
    public struct LastFit: Sendable, Equatable {
        public var events: Int
        public var wallTime: Double
        public var duringReplay: Bool
        public init(events: Int, wallTime: Double, duringReplay: Bool) {
            self.events = events
            self.wallTime = wallTime
            self.duringReplay = duringReplay
        }
    }

    /// Whether a fit is due now.
    /// - Parameters:
    ///   - events: accepted events so far; replaying: whether the log is still being replayed;
    ///   - last: the last fit, nil before the first; wallTime: monotonic seconds now.
    public func isDue(events: Int, replaying: Bool, last: LastFit?, wallTime: Double) -> Bool {
        guard events >= minimumEvents else { return false }
        guard let last else { return true }
        guard events > last.events else { return false }
        if last.duringReplay && !replaying { return true }
        if replaying && wallTime - last.wallTime < replayInterval { return false }
        if Double(events) >= Double(last.events) * (1 + growth) { return true }
        return !replaying && wallTime - last.wallTime >= liveInterval
    }
}

/// What the model refresher is doing, for the Models view.
public struct ModelRefreshStatus: Sendable, Equatable {
    /// A fit is running now.
    public var fitting = false
    /// Fits made so far.
    public var fits = 0
    /// Wall-clock seconds (monotonic) of the last finished fit, for "refitted 2 min ago".
    public var lastFitWallTime: Double?
    /// Predicted against actual transactions since the fit, refreshed every few seconds.
    public var drift: ModelDrift?

    public init() {}
}

/// Keeps the live models current: refits them on a background thread when the ``RefitPolicy`` says so
/// and swaps the result in whole, so that ingestion never waits for a fit.
///
/// A fit works on a copy of the engine taken under the lock in O(1) (its arrays are copy-on-write), whose
/// timelines it then copies on this thread (``Engine/detachingTimelines()``); the ingest thread pays one copy of
/// the arrays it next writes, once per fit, and the fit itself runs on this thread while ingestion goes on.
public final class ModelRefresher: Sendable {
    private let ingestor: LiveIngestor
    private let options: ScoresOptions
    /// When it refits.
    public let policy: RefitPolicy
    private let clock: @Sendable () -> Double
    private let published = Mutex<PredictionModels?>(nil)
    private let state = Mutex(ModelRefreshStatus())
    private let worker = WorkerThread()

    /// - Parameters:
    ///   - ingestor: the live state to fit on.
    ///   - clock: monotonic seconds (the live-interval rule and "refitted … ago").
    public init(ingestor: LiveIngestor, options: ScoresOptions = ScoresOptions(), policy: RefitPolicy = RefitPolicy(),
                clock: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }) {
        self.ingestor = ingestor
        self.options = options
        self.policy = policy
        self.clock = clock
    }

    /// The models in use (nil before the first fit).
    public var models: PredictionModels? { published.withLock { $0 } }

    /// What the refresher is doing.
    public var status: ModelRefreshStatus { state.withLock { $0 } }

    /// Starts the refresher's thread.
    public func start() {
        worker.start { [self] in run() }
    }

    /// Asks the thread to stop and waits up to `timeout` seconds (a fit in progress finishes first).
    public func stop(timeout: Double = 5) {
        worker.stop(timeout: timeout, clock: clock)
    }

    /// Fits now, on this thread, and publishes the result (tests and the first fit of a benchmark).
    @discardableResult
    public func refit() -> PredictionModels? {
        let replaying = ingestor.progress.replaying
        // O(1) under the lock; the timelines are then copied here, so that the ingest thread does not copy
        // them at each customer's next event for as long as the fit runs (``Engine/detachingTimelines()``).
        let engine = ingestor.read { $0.engine }.detachingTimelines()
        guard let now = engine.watermark else { return nil }
        state.withLock { $0.fitting = true }
        let start = clock()
        var models = engine.fitModels(asOf: now, options: options, holdout: true)
        let end = clock()
        models.fitSeconds = end - start
        let drift = engine.drift(models: models, now: now)
        published.withLock { $0 = models }
        state.withLock { s in
            s.fitting = false
            s.fits += 1
            s.lastFitWallTime = end
            s.drift = drift
        }
        lastFit.withLock { $0 = RefitPolicy.LastFit(events: models.events, wallTime: end, duringReplay: replaying) }
        return models
    }

    private let lastFit = Mutex<RefitPolicy.LastFit?>(nil)

    private func run() {
        var lastDrift = clock()
        var driftGeneration: UInt64 = 0
        while !worker.stopRequested {
            usleep(250_000)
            let progress = ingestor.progress
            let events = ingestor.read { $0.engine.stats.accepted }
            let now = clock()
            let last = lastFit.withLock { $0 }
            if policy.isDue(events: events, replaying: progress.replaying, last: last, wallTime: now) {
                refit()
                continue
            }
            // Outcomes arrive between fits: refresh the drift every few seconds while the log moves live (during a
            // replay the next fit is never far, and the O(orders) pass would hold the ingest lock).
            if !progress.replaying, let models, progress.generation != driftGeneration, now - lastDrift >= 2 {
                let drift = ingestor.read { p in p.engine.watermark.flatMap { p.engine.drift(models: models, now: $0) } }
                state.withLock { $0.drift = drift }
                driftGeneration = progress.generation
                lastDrift = now
            }
        }
    }
}
