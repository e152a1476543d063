import Dispatch
import Glibc
import ForesightCore
import Synchronization

/// Runs the dashboard: keys into the reducer, engine data into frames, frames to the backend.
///
/// Ingestion runs on the ``LiveIngestor``'s thread; sorting all customers runs on a background queue;
/// this object lives on the UI thread with the backend. A frame is built when something changed, and at
/// most every `frameInterval` seconds while events stream in.
public final class DashboardRuntime {
    public private(set) var state: DashboardState
    private let ingestor: LiveIngestor
    private let refresher: ModelRefresher?
    private let backend: any TerminalBackend
    private let sourceName: String
    private let frameInterval: Double
    private let clock: @Sendable () -> Double
    private let shouldStop: () -> Bool
    private let mailbox = OrderMailbox()
    private let journeysMailbox = JourneysMailbox()
    /// The stage rules and default funnel (`journeys:` of the configuration).
    private let journeysConfig: JourneysConfiguration
    /// The last Journeys report, and the ingest generation and steps it was asked for.
    private var journeysReport: JourneysReport?
    private var journeysKey: (generation: UInt64, steps: FunnelSteps)?
    private var lastJourneysTime = -Double.infinity
    private var lastOrderGeneration: UInt64 = 0
    private var lastOrderTime = -Double.infinity
    private var lastOrderFits = 0
    private var lastFrameTime = -Double.infinity
    private var lastFrameGeneration: UInt64 = .max
    private var dirty = true
    private var buffer: ScreenBuffer
    /// Frames drawn so far.
    public private(set) var framesDrawn = 0
    /// The last frame drawn (for tests and benchmarks).
    public var lastFrame: ScreenBuffer { buffer }
    /// Called after each frame with the event count it showed (benchmarks measure latency with it).
    public var onFrame: ((Int) -> Void)?

    /// - Parameters:
    ///   - frameInterval: the shortest time between two frames while data streams in.
    ///   - clock: monotonic seconds.
    ///   - shouldStop: polled every loop turn (signals).
    ///   - refresher: the live models (nil: no scores, the Models view says why).
    public init(ingestor: LiveIngestor, refresher: ModelRefresher? = nil, backend: any TerminalBackend, sourceName: String,
                frameInterval: Double = 0.05, clock: @escaping @Sendable () -> Double, shouldStop: @escaping () -> Bool = { false },
                journeys: JourneysConfiguration = JourneysConfiguration()) {
        journeysConfig = journeys
        self.ingestor = ingestor
        self.refresher = refresher
        self.backend = backend
        self.sourceName = sourceName
        self.frameInterval = frameInterval
        self.clock = clock
        self.shouldStop = shouldStop
        state = DashboardState(size: backend.size)
        state.journeys = JourneysViewState(steps: journeys.funnel)
        buffer = ScreenBuffer(width: backend.size.width, height: backend.size.height, context: backend.context)
    }

    /// Runs until the user quits or `shouldStop` says so.
    public func run() {
        while !state.shouldQuit && !shouldStop() {
            step(key: backend.readKey(timeoutMilliseconds: 25))
        }
    }

    /// One turn of the loop: apply a key (if any), pick up finished sorts, and draw a frame if due.
    public func step(key: Key?) {
        if key != nil, state.screen == .tab(.customers), state.customers.orderSpec != state.customers.spec {
            // A key typed while the table is being sorted acts on the sorted table, not on the old one:
            // wait for the sort (at most a second; tens of milliseconds at 400k customers).
            waitForIdle(timeout: 1)
            collectFinishedOrder()
        }
        if let key {
            if key == .resize {
                dispatch(.terminalResized(backend.size))
            } else {
                dispatch(.keyPressed(key))
            }
            dirty = true
        }
        collectFinishedOrder()
        let progress = ingestor.progress
        let now = clock()
        // Keep the customers table current while events arrive: re-sort every 2 s at most (10 s for a score
        // column, which scores every customer), and when the models were refitted.
        if state.screen == .tab(.customers) {
            let spec = state.customers.spec
            let outdated = state.customers.orderSpec != spec
            let interval: Double = spec.column.isScore ? 10 : 2
            let refitted = spec.column.isScore && (refresher?.status.fits ?? 0) != lastOrderFits
            if outdated || refitted || (progress.generation != lastOrderGeneration && now - lastOrderTime >= interval) {
                requestOrder(spec, generation: progress.generation)
            }
        }
        if state.screen == .tab(.journeys) { refreshJourneys(generation: progress.generation, now: now) }
        let dataChanged = progress.generation != lastFrameGeneration
        if dirty || (dataChanged && now - lastFrameTime >= frameInterval) || now - lastFrameTime >= 1 {
            drawFrame(progress: progress, now: now)
        }
    }

    /// Keeps the Journeys report current: computed on a copy of the engine off the lock (a few passes over every
    /// event, about a second at 10M events), at once for new steps, at most every 5 s while events arrive; a frame
    /// only reads the last one.
    private func refreshJourneys(generation: UInt64, now: Double) {
        if let ready = journeysMailbox.result.withLock({ value -> JourneysReport? in
            defer { value = nil }
            return value
        }) {
            journeysReport = ready
            dirty = true
        }
        let steps = state.journeys.steps
        let stale = journeysKey.map { $0.steps != steps || ($0.generation != generation && now - lastJourneysTime >= 5) } ?? true
        guard stale, !journeysMailbox.inFlight.exchange(true, ordering: .acquiringAndReleasing) else { return }
        journeysKey = (generation, steps)
        lastJourneysTime = now
        let ingestor = self.ingestor, mailbox = journeysMailbox, rules = journeysConfig.stageRules
        DispatchQueue.global(qos: .userInitiated).async {
            let engine = ingestor.read { $0.engine }
            let report = engine.journeysReport(steps: steps, rules: rules, now: engine.watermark ?? 0)
            mailbox.result.withLock { $0 = report }
            mailbox.inFlight.store(false, ordering: .releasing)
        }
    }

    /// Waits until no Journeys report is being computed, and takes the finished one (tests).
    public func waitForJourneys(timeout: Double = 10) {
        let deadline = clock() + timeout
        while journeysMailbox.inFlight.load(ordering: .acquiring) && clock() < deadline { usleep(1000) }
        refreshJourneys(generation: journeysKey?.generation ?? 0, now: clock())
        dirty = true
    }

    /// Hands a finished background sort to the reducer.
    private func collectFinishedOrder() {
        if let ready = mailbox.result.withLock({ value -> (order: [UInt32], spec: CustomerOrderSpec)? in
            defer { value = nil }
            return value
        }) {
            dispatch(.customerOrderComputed(ready.order, ready.spec))
            dirty = true
        }
    }

    /// Applies an action and carries out its effects.
    public func dispatch(_ action: DashboardAction) {
        for effect in DashboardReducer.reduce(&state, action) {
            switch effect {
            case .quit: break
            case .setPaused(let paused): ingestor.setPaused(paused)
            case .computeCustomerOrder(let spec): requestOrder(spec, generation: ingestor.progress.generation)
            }
        }
    }

    private func requestOrder(_ spec: CustomerOrderSpec, generation: UInt64) {
        guard !mailbox.inFlight.exchange(true, ordering: .acquiringAndReleasing) else { return }
        lastOrderGeneration = generation
        lastOrderTime = clock()
        lastOrderFits = refresher?.status.fits ?? 0
        let ingestor = self.ingestor
        let mailbox = self.mailbox
        let models = spec.column.isScore ? refresher?.models : nil
        let rules = journeysConfig.stageRules
        DispatchQueue.global(qos: .userInitiated).async {
            let input: CustomerSortInput, subset: [UInt32]?
            // A funnel drop runs the funnel over every event: on a copy of the engine, off the lock.
            let dropped = spec.funnelDrop.map { DashboardQueries.funnelDropped($0, engine: ingestor.read { $0.engine }) }
            if let models {
                // Scoring everyone takes about 0.5 s at 400k customers: do it on a copy of the engine (O(1) under
                // the lock, copy-on-write), so that ingestion and the screen do not wait for it.
                let engine = ingestor.read { $0.engine }
                input = engine.customerSortInput(spec.column, now: engine.watermark ?? 0, rules: rules, models: models)
                subset = ingestor.read { DashboardQueries.customerSubset(spec, pipeline: $0, dropped: dropped) }
            } else {
                (input, subset) = ingestor.read { p -> (CustomerSortInput, [UInt32]?) in
                    (p.engine.customerSortInput(spec.column, now: p.engine.watermark ?? 0, rules: rules),
                     DashboardQueries.customerSubset(spec, pipeline: p, dropped: dropped))
                }
            }
            let order = input.sorted(descending: spec.descending, subset: subset)
            mailbox.result.withLock { $0 = (order, spec) }
            mailbox.inFlight.store(false, ordering: .releasing)
        }
    }

    /// Waits until no sort is running (tests).
    public func waitForIdle(timeout: Double = 5) {
        let deadline = clock() + timeout
        while mailbox.inFlight.load(ordering: .acquiring) && clock() < deadline { usleep(1000) }
    }

    private func drawFrame(progress: IngestProgress, now: Double) {
        let size = backend.size
        if size != state.size { dispatch(.terminalResized(size)) }
        if buffer.width != size.width || buffer.height != size.height {
            buffer = ScreenBuffer(width: size.width, height: size.height, context: backend.context)
        }
        let header = headerData(progress)
        let models = modelsContext(now: now)
        let rules = journeysConfig.stageRules
        let journeys = state.screen == .tab(.journeys) ? journeysReport : nil
        let computing = journeysMailbox.inFlight.load(ordering: .acquiring)
        let snapshot = ingestor.read {
            DashboardQueries.snapshot(state: state, pipeline: $0, header: header, rules: rules, models: models,
                                      journeys: journeys, journeysComputing: computing)
        }
        dispatch(.dataShown(tailCustomers: snapshot.overview?.tail.map(\.customerIndex) ?? state.tailCustomers,
                            tailTotal: snapshot.overview?.tailTotal,
                            timelineCount: snapshot.detail?.timelineCount ?? state.timelineCount,
                            rejectCount: snapshot.rejects?.count ?? state.rejectCount,
                            segmentNames: snapshot.segments?.rows.map(\.name),
                            campaigns: state.screen == .tab(.campaigns) ? snapshot.campaigns.map(CampaignsShown.init) : nil,
                            messageRows: snapshot.detail.map { DashboardLayout.messageRows(state.size, count: $0.messages?.count ?? 0) }))
        DashboardView.render(state: state, snapshot: snapshot, into: &buffer)
        backend.draw(buffer)
        framesDrawn += 1
        lastFrameTime = now
        lastFrameGeneration = progress.generation
        dirty = false
        onFrame?(snapshot.header.events)
    }

    func modelsContext(now: Double) -> ModelsContext {
        guard let refresher else { return ModelsContext() }
        let status = refresher.status
        return ModelsContext(models: refresher.models, status: status, secondsSinceFit: status.lastFitWallTime.map { now - $0 },
                             minimumEvents: refresher.policy.minimumEvents)
    }

    func headerData(_ p: IngestProgress) -> HeaderData {
        let mode: FeedMode
        if let error = p.error { mode = .failed(error) }
        else if p.paused { mode = .paused }
        else if p.finished { mode = .ended }
        else if p.replaying { mode = .replaying }
        else { mode = .live }
        var header = HeaderData(source: sourceName, mode: mode, eventsPerSecond: p.eventsPerSecond,
                                bytesRead: p.bytesRead, totalBytes: p.totalBytes,
                                secondsLeft: p.estimatedSecondsLeft(bytesPerSecond: ingestor.readRate),
                                notice: p.notices.last)
        header.quarantinePath = ingestor.quarantinePath
        return header
    }
}

/// Where a background Journeys report is left for the UI thread.
final class JourneysMailbox: Sendable {
    let result = Mutex<JourneysReport?>(nil)
    let inFlight = Atomic<Bool>(false)
}

/// Where a background sort leaves its result for the UI thread.
final class OrderMailbox: Sendable {
    let result = Mutex<(order: [UInt32], spec: CustomerOrderSpec)?>(nil)
    let inFlight = Atomic<Bool>(false)
}
