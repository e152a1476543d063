/// Feeds lines from a log into the engine: rejects are counted, quarantined and kept for the dashboard.
///
/// The one path every front uses, so that the report and the screen agree on what was accepted.
public struct IngestPipeline: Sendable {
    public var engine: Engine
    /// The last rejected lines (for the dashboard's drill-down).
    public private(set) var recentRejects = RecentRejects()
    /// The name of the log in rejection messages.
    public var sourceName: String
    /// Bytes of lines consumed (including newlines, approximately: one byte per line end).
    public private(set) var bytesConsumed: Int64 = 0
    /// The segmentation kept current with the engine (nil: none kept). Each accepted event marks its
    /// customer; ``flushSegments()`` after each batch updates the marked customers and runs the timers.
    public var segments: LiveSegments?
    /// The campaign triggers run next to the engine (nil: none): each accepted event is observed, and each
    /// segment flush (``flushSegments(force:secondsSinceLastFlush:)``) runs their timers and guards.
    /// Set it with ``setCampaigns(_:)`` (segment triggers need the segments' changes kept).
    ///
    /// On the deferred path an hourly flush's settle runs on another thread while the next lines are read
    /// (``CampaignRunner/flush(engine:now:inBackground:)``); ``flush()`` waits for it, and this property is
    /// always the runner as if it had not (a copy with the settle waited for, while one runs).
    public var campaigns: CampaignRunner? { runner?.joined }
    /// The campaign runner itself (its settle may be running: see ``campaigns``).
    private var runner: CampaignRunner?
    /// Whether the campaign runner keeps its decisions for an outbox (read without waiting for a settle).
    public var campaignsEmitDecisions: Bool { runner?.emitsDecisions ?? false }
    /// Whether the deferred path's hourly settles may run on another thread (true); false keeps them on the
    /// ingest thread (a replay whose other core is busy with score runs gains nothing from a third thread).
    public var settlesCampaignsInBackground = true
    /// Whether a campaign settle is running beside the ingest now (until something waits for it: see ``flush()``).
    public var campaignsSettling: Bool { runner?.isSettling ?? false }

    /// Starts (or replaces, or with nil stops) the campaign triggers. A saved state waiting in
    /// ``savedCampaigns`` (a restored checkpoint's) is applied to the runner if its triggers are the same;
    /// otherwise the runner starts afresh and ``campaignNotices`` says so.
    public mutating func setCampaigns(_ runner: CampaignRunner?) {
        self.runner = runner
        if checkpointsCampaigns { self.runner?.logsSuppressed = true }
        segments?.keepsChanges = runner?.watchesSegments ?? false
        applySavedCampaigns()
        // A restored runner rebuilds its inactivity buckets from the profiles before the next event.
        self.runner?.resume(engine: engine)
    }

    /// The campaign state of a restored checkpoint, waiting for its runner (``setCampaigns(_:)``): kept, and
    /// written back by the checkpoints (erasures applied), as long as no runner is set.
    public private(set) var savedCampaigns: CampaignRunnerState?
    /// What applying a saved campaign state said (triggers changed, a state older than the engine).
    public private(set) var campaignNotices: [String] = []
    /// Whether a state file checkpoints this pipeline: the runner then keeps its suppressed and held-out
    /// decisions for the next checkpoint (``CampaignRunner/logsSuppressed``).
    public var checkpointsCampaigns = false {
        didSet { if checkpointsCampaigns { runner?.logsSuppressed = true } }
    }

    /// Hands over a checkpoint's campaign state: applied at once when a runner is set, else by the next
    /// ``setCampaigns(_:)``; nil: the checkpoint had none (a runner set later starts afresh).
    public mutating func restoreCampaigns(_ state: CampaignRunnerState?) {
        savedCampaigns = state
        applySavedCampaigns()
        runner?.resume(engine: engine)
    }

    private mutating func applySavedCampaigns() {
        guard let saved = savedCampaigns, runner != nil else { return }
        savedCampaigns = nil
        do {
            try runner?.restoreState(saved)
        } catch {
            campaignNotices.append("the campaign triggers changed since the state was saved: they start afresh from here (timers, cooldowns, caps and counts empty; the outbox still writes each message once)")
            return
        }
        // The hourly flushes go on at the hours they would have run at (the next after the newest event).
        let last = engine.stats.lastTimestamp
        nextCampaignFlush = last == Int64.min ? Int64.min : (last / Self.campaignFlushMs + 1) * Self.campaignFlushMs
        if saved.engineLines != engine.stats.lines {
            campaignNotices.append("the campaign triggers' state is from line \(saved.engineLines) of the log, the checkpoint from line \(engine.stats.lines) (read without triggers meanwhile): events in between fired nothing")
        }
    }

    /// What a checkpoint stores of the campaign triggers, taken in O(1) under the ingest lock (copies on
    /// write): the runner, or the saved state still waiting for one.
    public var campaignsSnapshot: CampaignsSnapshot {
        CampaignsSnapshot(runner: campaigns, saved: savedCampaigns, engineLines: engine.stats.lines)
    }

    /// Applies a reloaded `triggers:` / `campaigns:` configuration (an edit of the file while running): nothing
    /// changes when it is the same; otherwise a new runner takes over, keeping the outbox's ids, and the old
    /// one's timers, cooldowns, caps and counts when the triggers themselves are the same (only guards or
    /// messages changed). A load that could not be read keeps the runner in use.
    /// - Returns: whether the runner was replaced.
    @discardableResult
    public mutating func reconfigureCampaigns(_ load: CampaignsConfigurationLoad) -> Bool {
        guard load.isUsable, let old = campaigns else { return false }
        guard !CampaignRunner.sameConfiguration(old.configuration, load.configuration) else { return false }
        var fresh = CampaignRunner(configuration: load.configuration, problems: load.problems, stageRules: old.stageRules,
                                   feedCapacity: old.feedCapacity)
        if old.fingerprint == fresh.fingerprint { try? fresh.restoreState(old.exportState()) }
        fresh.delivered = old.delivered
        fresh.emitsDecisions = old.emitsDecisions
        fresh.from = old.from
        fresh.to = old.to
        runner = nil
        setCampaigns(fresh)
        return true
    }

    /// Changes the campaign runner in place (a configuration reload, taking its decisions).
    public mutating func updateCampaigns<R>(_ body: (inout CampaignRunner) -> R) -> R? {
        guard var runner = self.runner else { return nil }
        self.runner = nil  // one owner while `body` runs: no copy of its tables
        runner.join()
        defer { self.runner = runner }
        return body(&runner)
    }
    /// Where the log was read to when the engine was last updated: kept with the engine under the same lock,
    /// so that a copy of both is a consistent checkpoint (nil for a stream, or before the first read).
    public var position: LogPosition?
    /// The last erasure record of the state file applied to this pipeline (0: none): a checkpoint is refused
    /// while the file holds a later one, so that an erased customer is never written back.
    public var appliedErasure: Int64 = 0

    public init(engine: Engine = Engine(), sourceName: String) {
        self.engine = engine
        self.sourceName = sourceName
    }

    /// Ingests one line; a rejected line is also handed to `quarantine`.
    /// - Returns: what became of the line.
    @discardableResult
    public mutating func consume(_ line: Line, quarantine: QuarantineWriter?) -> IngestOutcome {
        // A line left pending by `consumeDeferred` is completed first (and marked for the segments).
        if engine.pendingCustomer != nil { flush() }
        runner?.join()
        bytesConsumed += Int64(line.length + 1)
        let outcome: IngestOutcome
        if line.isTooLong {
            engine.rejectUnparsed(.lineTooLong)
            outcome = .rejected(tooLong(line))
        } else {
            outcome = engine.ingest(line.bytes)
        }
        if case .accepted(let c) = outcome {
            if segments != nil { segments?.mark(customer: c, name: engine.lastEventName) }
            if runner != nil { observeCampaigns(c, inBackground: false) }
        }
        if case .rejected(let error) = outcome { record(error, line: line, quarantine: quarantine) }
        return outcome
    }

    /// ``consume(_:quarantine:)`` for a stream of lines, faster: each line's duplicate check and profile update
    /// run during the next call (``Engine/ingestDeferred(_:)``). Rejects are recorded at once; the segments
    /// mark each customer when her line is completed. Call ``flush()`` before reading ``engine``: the last
    /// line's update is pending until then.
    @inline(__always)
    public mutating func consumeDeferred(_ line: Line, quarantine: QuarantineWriter?) {
        bytesConsumed += Int64(line.length + 1)
        if line.isTooLong {
            engine.rejectUnparsed(.lineTooLong)
            markFinished()
            record(tooLong(line), line: line, quarantine: quarantine)
        } else if let error = engine.ingestDeferred(line.bytes) {
            record(error, line: line, quarantine: quarantine)
        } else {
            markFinished()
        }
    }

    /// Erases customers by key (GDPR) from the engine and the segments, and suppresses their keys (see
    /// ``Engine/forget(customerKeys:)``).
    /// - Returns: what was erased.
    @discardableResult
    public mutating func forget(customerKeys: [String]) -> Erasure {
        forget(keyHashes: customerKeys.map(SuppressionList.hash))
    }

    /// ``forget(customerKeys:)`` by key hashes (a state file's suppression list).
    @discardableResult
    public mutating func forget(keyHashes: [UInt64]) -> Erasure {
        // The pending line is completed and marked under the old numbering first; no mark may outlive it.
        flush()
        let erasure = engine.forget(keyHashes: keyHashes)
        _ = engine.takeFinished()
        segments?.customersErased(erasure.ids, engine: engine)
        runner?.customersErased(erasure.ids)
        savedCampaigns?.customersErased(erasure.ids)
        recentRejects.removeLines(ofCustomers: erasure.keys)
        return erasure
    }

    /// Completes the line left pending by ``consumeDeferred(_:quarantine:)``. A campaign settle started by the
    /// batch's last hourly flush may still run beside the next lines: what reads or changes the runner's tables
    /// waits for it (``campaigns``, ``updateCampaigns(_:)``, ``joinCampaigns()``, the next flush's settle).
    public mutating func flush() {
        engine.flushDeferred()
        markFinished()
    }

    /// Waits for a campaign settle running beside the ingest (the end of a replay that is timed).
    public mutating func joinCampaigns() {
        runner?.join()
    }

    /// Marks the customer of the line the engine completed last, for the segments.
    @inline(__always)
    private mutating func markFinished() {
        guard let c = engine.takeFinished() else { return }
        if segments != nil {
            segments?.mark(customer: c, name: engine.lastEventName)
            // The next line's customer is known a line ahead: her mark (a random slot of a per-customer
            // array, a cache miss at 400k customers) loads while that line is applied.
            if let next = engine.pendingCustomer { segments?.prefetchMark(customer: next) }
        }
        // An hourly flush's settle may run beside the next lines (into the next batch: see ``flush()``).
        if runner != nil {
            observeCampaigns(c, inBackground: settlesCampaignsInBackground)
            if let next = engine.pendingCustomer { runner?.prefetch(customer: next) }
        }
    }

    /// Hands an accepted event to the campaign triggers; once the log's clock enters a new hour of event
    /// time, their timers and guards run (so what fires depends on the log alone, not on how it was read).
    @inline(__always)
    private mutating func observeCampaigns(_ c: UInt32, inBackground: Bool) {
        // `inout` only to pass the engine by address (see ``CampaignRunner/observe(customer:engine:)``).
        runner?.observe(customer: c, engine: &engine)
        if engine.lastEntry.time >= nextCampaignFlush {
            nextCampaignFlush = (engine.lastEntry.time / Self.campaignFlushMs + 1) * Self.campaignFlushMs
            flushCampaigns(inBackground: inBackground)
        }
    }

    /// The event-time step of the campaign triggers' flushes.
    public static let campaignFlushMs: Int64 = 3_600_000
    private var nextCampaignFlush = Int64.min

    private func tooLong(_ line: Line) -> LineError {
        LineError(.lineTooLong, column: engine.config.maxLineBytes + 1,
                  "line of \(line.length) bytes is over the limit of \(engine.config.maxLineBytes)")
    }

    private mutating func record(_ error: LineError, line: Line, quarantine: QuarantineWriter?) {
        let kept = line.bytes.prefix(RejectedLine.maxTextBytes)
        let rejected = RejectedLine(file: sourceName, offset: line.offset, line: line.number, reason: error.reason,
                                    column: error.column, detail: error.detail,
                                    text: String(decoding: kept, as: UTF8.self))
        recentRejects.append(rejected)
        quarantine?.write(rejected)
    }

    /// Brings the segments up to date after a batch of lines (see ``LiveSegments/flush(engine:)``):
    /// at once with `force`, otherwise when ``LiveSegments/flushDue(force:secondsSinceLastFlush:)`` says so.
    /// - Returns: the number of entries and exits.
    /// The campaign triggers' timers and guards run after the segments (they read the segments' changes).
    @discardableResult
    public mutating func flushSegments(force: Bool = true, secondsSinceLastFlush: Double = 0) -> Int {
        guard flushDue(force: force, secondsSinceLastFlush: secondsSinceLastFlush) else { return 0 }
        let changes = segments?.flush(engine: engine) ?? 0
        if runner != nil, let segments, !segments.lastChanges.isEmpty {
            let names = segments.membership.segments.map(\.name)
            runner?.addSegmentChanges(segments.lastChanges, names: names, engine: engine)
        }
        flushCampaigns()
        return changes
    }

    /// Whether ``flushSegments(force:secondsSinceLastFlush:)`` would run now.
    public func flushDue(force: Bool, secondsSinceLastFlush: Double) -> Bool {
        if let segments { return segments.flushDue(force: force, secondsSinceLastFlush: secondsSinceLastFlush) }
        guard let runner else { return false }
        return force || (runner.hasWork && secondsSinceLastFlush >= 1)
    }

    /// Runs the campaign triggers' timers due by the engine's clock and settles their messages.
    /// With `inBackground`, the settle runs on another thread until something waits for it (see ``flush()``).
    public mutating func flushCampaigns(inBackground: Bool = false) {
        guard runner != nil, let now = engine.watermark else { return }
        runner?.flush(engine: engine, now: now, inBackground: inBackground)
    }

    /// Swaps in a score table with the score triggers' crossings computed for it elsewhere
    /// (``CampaignRunner/scoreCrossings(from:to:engine:now:)`` on a copy of the engine).
    public mutating func applyScores(_ table: SegmentScoreTable, crossings: ScoreCrossings) {
        // The segments sweep their customers only when a rule reads a score.
        if segments?.membership.segments.contains(where: { $0.rule.usesScores }) == true {
            segments?.setScores(table, engine: engine, immediately: true)
        }
        runner?.applyScores(table, crossings: crossings)
    }

    /// Swaps in new model scores for the segments and the campaign triggers (score crossings fire).
    public mutating func setScores(_ table: SegmentScoreTable, immediately: Bool = false) {
        segments?.setScores(table, engine: engine, immediately: immediately)
        if let now = engine.watermark { runner?.scoresChanged(to: table, engine: engine, now: now) }
    }
}
