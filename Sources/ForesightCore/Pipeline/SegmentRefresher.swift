import Foundation
import Synchronization

/// What the segment refresher has done, for the screen.
public struct SegmentRefreshStatus: Sendable, Equatable {
    /// RFM re-scorings and cluster refits swapped in.
    public var populationRuns = 0
    /// Milliseconds of the last RFM scoring and cluster fit (off the ingest thread).
    public var lastRFMMs: Double?
    public var lastClustersMs: Double?
    /// Score tables swapped in (one per model fit).
    public var scoreRuns = 0
    /// Configuration reloads applied, and loads refused (the file did not parse: the old one stays).
    public var reloads = 0
    public var refusedReloads = 0
    public init() {}
}

/// Keeps the whole-population side of the live segments current, on its own thread and on O(1)
/// copy-on-write copies of the engine: RFM re-scoring and a cluster refit every `interval` seconds
/// while events arrive, the score table the score rules read after each model fit, and the
/// configuration file, polled for changes every second. Each result is swapped in under the ingest
/// lock in a short hold; the customers affected are re-evaluated by a sweep over the next batches.
public final class SegmentRefresher: Sendable {
    private let ingestor: LiveIngestor
    private let models: ModelRefresher?
    /// The configuration file watched (nil: none).
    public let configPath: String?
    /// Seconds between two RFM and cluster runs (when events arrived).
    public let interval: Double
    private let clock: @Sendable () -> Double
    private let state = Mutex(SegmentRefreshStatus())
    private let worker = WorkerThread()
    private let seen = Mutex(Seen())

    private struct Seen {
        var fits = 0
        var events = -1
        var lastPopulation = -Double.infinity
        var lastConfigCheck = -Double.infinity
        var configStamp: FileStamp?
    }

    /// A file's modification time and size, to notice an edit.
    struct FileStamp: Equatable {
        var seconds: Int
        var nanoseconds: Int
        var size: Int64
        init?(path: String) {
            var st = stat()
            guard stat(path, &st) == 0 else { return nil }
            seconds = st.st_mtim.tv_sec
            nanoseconds = st.st_mtim.tv_nsec
            size = Int64(st.st_size)
        }
    }

    /// Where campaign messages go when triggers first appear in the configuration while the dashboard runs
    /// (``LiveIngestor/startCampaigns(_:outboxPath:suppressedPath:stageRules:)``); nil: they are not started.
    public struct CampaignStart: Sendable {
        public var outboxPath: String?
        public var suppressedPath: String?
        public var stageRules: StageRules
        public init(outboxPath: String?, suppressedPath: String?, stageRules: StageRules) {
            self.outboxPath = outboxPath
            self.suppressedPath = suppressedPath
            self.stageRules = stageRules
        }
    }
    private let campaignStart: CampaignStart?

    public init(ingestor: LiveIngestor, models: ModelRefresher?, configPath: String?, interval: Double = 10,
                campaignStart: CampaignStart? = nil,
                clock: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }) {
        self.ingestor = ingestor
        self.campaignStart = campaignStart
        self.models = models
        self.configPath = configPath
        self.interval = interval
        self.clock = clock
        if let configPath { seen.withLock { $0.configStamp = FileStamp(path: configPath) } }
    }

    public var status: SegmentRefreshStatus { state.withLock { $0 } }

    public func start() {
        worker.start { [self] in run() }
    }

    public func stop(timeout: Double = 5) {
        worker.stop(timeout: timeout, clock: clock)
    }

    private func run() {
        while !worker.stopRequested {
            usleep(250_000)
            step()
        }
    }

    /// One round of the thread's work: what is due now (tests call it directly).
    public func step() {
        let now = clock()
        var checkConfig = false
        seen.withLock { s in
            if now - s.lastConfigCheck >= 1 { s.lastConfigCheck = now; checkConfig = true }
        }
        if checkConfig { reloadIfChanged() }
        if let fits = models?.status.fits, fits != seen.withLock({ $0.fits }) { rescore() }
        let events = ingestor.read { $0.engine.stats.accepted }
        let due = seen.withLock { s in events != s.events && now - s.lastPopulation >= interval }
        if due { refreshPopulation() }
    }

    /// Reloads the configuration when its file changed since the last look.
    /// - Returns: whether the file had changed.
    @discardableResult
    public func reloadIfChanged() -> Bool {
        guard let configPath else { return false }
        let stamp = FileStamp(path: configPath)
        let changed = seen.withLock { s -> Bool in
            guard stamp != s.configStamp else { return false }
            s.configStamp = stamp
            return true
        }
        if changed { reload() }
        return changed
    }

    /// Loads the configuration file and applies it: a file that does not parse keeps the configuration
    /// in use (its problems are shown); otherwise the good definitions replace the old ones, the new
    /// membership being evaluated here on a copy of the engine.
    public func reload() {
        guard let configPath else { return }
        let load = SegmentsConfiguration.load(path: configPath)
        guard load.isUsable else {
            ingestor.update { $0.segments?.keepConfiguration(problems: load.problems) }
            state.withLock { $0.refusedReloads += 1 }
            return
        }
        // O(1) copies; the membership is evaluated off the lock.
        guard let (engine, live) = ingestor.read({ p in p.segments.map { (p.engine, $0) } }) else { return }
        let rebuilt = live.rebuiltMembership(for: load.configuration, engine: engine)
        ingestor.update { p in p.segments?.reconfigure(load, engine: p.engine, rebuilt: rebuilt) }
        // The campaign triggers of the same file: reconfigured when the dashboard runs some, started when
        // the file has its first ones.
        func triggers() -> CampaignsConfigurationLoad {
            CampaignsConfiguration.load(path: configPath, segments: load.configuration.segments.map(\.name))
        }
        if ingestor.read({ $0.campaigns != nil }) {
            let triggers = triggers()
            ingestor.update { p in _ = p.reconfigureCampaigns(triggers) }
        } else if let start = campaignStart {
            do {
                try ingestor.startCampaigns(triggers(), outboxPath: start.outboxPath, suppressedPath: start.suppressedPath,
                                            stageRules: start.stageRules)
            } catch {
                ingestor.notify("\(error.description); the campaign triggers were not started (pass --outbox PATH or --outbox none)")
            }
        }
        state.withLock { $0.reloads += 1 }
    }

    /// Scores every customer with the current models (on a copy of the engine) and swaps the score
    /// table in; the score rules are re-evaluated by the sweep that follows.
    public func rescore() {
        guard let models, let fitted = models.models else { return }
        let fits = models.status.fits
        let engine = ingestor.read { $0.engine }.detachingTimelines()  // see ``Engine/detachingTimelines()``
        guard let now = engine.watermark else { return }
        let table = SegmentScoreTable(engine.populationScores(models: fitted, now: now))
        ingestor.update { p in p.setScores(table) }
        seen.withLock { $0.fits = fits }
        state.withLock { $0.scoreRuns += 1 }
    }

    /// Re-scores RFM and refits the clusters (from the previous centroids) on a copy of the engine,
    /// and swaps both in.
    public func refreshPopulation() {
        let start = clock()
        guard let (engine, live) = ingestor.read({ p in p.segments.map { (p.engine, $0) } }),
              let now = engine.watermark else { return }
        let events = engine.stats.accepted
        let rfm = RFMScorer.score(engine.rfmExtract(), map: live.configuration.rfm)
        let rfmDone = clock()
        let settings = live.configuration.clusters
        let matrix = engine.behaviourMatrix(features: settings.features, now: now)
        var clusters: BehaviourClusters?
        if matrix.count >= 4 * max(settings.k ?? settings.kRange.upperBound, 2) {
            if let previous = live.clusters, previous.features == settings.features,
               settings.k == nil || settings.k == previous.model.k {
                clusters = previous.refit(matrix, seed: settings.seed)
            } else {
                clusters = BehaviourClusters.fit(matrix, settings: settings)
            }
        }
        let end = clock()
        ingestor.update { p in p.segments?.setPopulation(rfm: rfm, clusters: clusters, now: now) }
        seen.withLock { s in s.events = events; s.lastPopulation = end }
        state.withLock { s in
            s.populationRuns += 1
            s.lastRFMMs = (rfmDone - start) * 1000
            s.lastClustersMs = clusters == nil ? nil : (end - rfmDone) * 1000
        }
    }
}
