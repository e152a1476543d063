import Foundation
import Synchronization

/// Where a live ingest stands, for the dashboard header and progress bar.
public struct IngestProgress: Sendable, Equatable {
    /// Bytes read from the current file (its offset).
    public var bytesRead: Int64 = 0
    /// The file's size; nil for a stream.
    public var totalBytes: Int64?
    /// True until the end of the log was reached once: the log is being replayed.
    public var replaying = true
    /// Events accepted per second of wall time over the last second or so.
    public var eventsPerSecond: Double = 0
    /// Increases whenever new lines were ingested (a cheap "something changed" test for the screen).
    public var generation: UInt64 = 0
    /// What happened to the followed file (rotation, truncation, …), newest last.
    public var notices: [String] = []
    /// An error that stopped ingestion (the state ingested so far stays available).
    public var error: String?
    /// The stream ended (standard input closed).
    public var finished = false
    /// Ingestion is paused by the user.
    public var paused = false

    public init() {}

    /// Seconds left in the replay at the current rate, when known.
    public func estimatedSecondsLeft(bytesPerSecond: Double) -> Double? {
        guard replaying, let total = totalBytes, bytesPerSecond > 0 else { return nil }
        return Double(max(0, total - bytesRead)) / bytesPerSecond
    }
}

/// Runs ingestion on its own thread: replays a log, then follows it, feeding the shared pipeline in
/// small batches so that readers (the screen) never wait long for the lock.
public final class LiveIngestor: Sendable {
    public let path: String
    private let pipeline: Mutex<IngestPipeline>
    private let state = Mutex(IngestProgress())
    private let bytesPerSecond = Mutex(0.0)
    private let worker = WorkerThread()
    private let pauseRequested = Atomic<Bool>(false)
    /// Where rejected lines are appended, if anywhere.
    public let quarantinePath: String?
    private let batchBytes: Int
    /// Seconds without a new event at the end of the log after which the clock follows the wall clock.
    static let quietSeconds = 1.0
    private let now: @Sendable () -> Double
    /// Where to start reading (from a checkpoint), nil for the start of the log.
    private let resume: ResumePlan?
    /// Where the campaign triggers' fired messages go (each once), and their suppressed decisions: given at
    /// start, or by ``startCampaigns(_:outboxPath:suppressedPath:stageRules:)`` when triggers first appear.
    private let sinks: Mutex<(outbox: Outbox?, suppressed: SuppressedLog?)>
    public var outbox: Outbox? { sinks.withLock { $0.outbox } }
    public var suppressedLog: SuppressedLog? { sinks.withLock { $0.suppressed } }

    /// - Parameters:
    ///   - path: the log, or `-` for standard input.
    ///   - pipeline: the state to continue from (a fresh one, or one restored from a checkpoint).
    ///   - quarantinePath: where rejected lines are appended; nil for nowhere.
    ///   - batchBytes: bytes ingested per lock hold; caps the work between two redraws.
    ///   - now: a monotonic clock in seconds, for the events-per-second figure and for the event-time clock,
    ///     which runs on with it while the followed log is quiet.
    ///   - resume: where to start reading, for a pipeline restored from a checkpoint (its notice, if any, is
    ///     shown with the follower's).
    public init(path: String, pipeline: IngestPipeline, quarantinePath: String?, batchBytes: Int = 1 << 20,
                now: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 },
                resume: ResumePlan? = nil, outbox: Outbox? = nil, suppressedLog: SuppressedLog? = nil) {
        self.resume = resume
        sinks = Mutex((outbox, suppressedLog))
        if let notice = resume?.notice { state.withLock { $0.notices.append(notice) } }
        // What restoring the campaign triggers' state said (triggers changed): shown with the follower's.
        if !pipeline.campaignNotices.isEmpty { state.withLock { $0.notices += pipeline.campaignNotices } }
        self.path = path
        self.pipeline = Mutex(pipeline)
        self.quarantinePath = quarantinePath
        self.batchBytes = batchBytes
        self.now = now
    }

    /// Reads the shared state under the lock. Keep `body` short: ingestion waits meanwhile.
    public func read<R>(_ body: (borrowing IngestPipeline) -> R) -> R {
        pipeline.withLock { body($0) }
    }

    /// Changes the shared state under the lock (erasure, configuration reloads).
    public func update<R>(_ body: (inout IngestPipeline) -> R) -> R {
        pipeline.withLock { body(&$0) }
    }

    public var progress: IngestProgress { state.withLock { $0 } }

    /// Pauses or resumes reading the log (nothing is lost: the file is read on from where it stopped).
    public func setPaused(_ paused: Bool) {
        pauseRequested.store(paused, ordering: .relaxed)
        state.withLock { $0.paused = paused }
    }

    public var isPaused: Bool { pauseRequested.load(ordering: .relaxed) }

    /// Starts the ingest thread.
    /// Starts campaign triggers in a dashboard that began without any (the configuration gained a `triggers:`
    /// section while it ran): opens the outbox and the suppressed file (their ids are read first, so nothing
    /// they hold is written again), and runs the triggers on the events from now on — a trigger added today
    /// does not message customers for what they did last month. Does nothing when triggers already run (a
    /// reload reconfigures those) or the load has none.
    /// - Returns: whether the triggers were started.
    @discardableResult
    public func startCampaigns(_ load: CampaignsConfigurationLoad, outboxPath: String?, suppressedPath: String?,
                               stageRules: StageRules) throws(OutboxError) -> Bool {
        guard load.isUsable, !load.configuration.triggers.isEmpty, read({ $0.campaigns == nil }) else { return false }
        let outbox = try outboxPath.map { path throws(OutboxError) in try Outbox(path: path) }
        let suppressed = try suppressedPath.map { path throws(OutboxError) in try SuppressedLog(path: path) }
        var runner = CampaignRunner(configuration: load.configuration, problems: load.problems, stageRules: stageRules)
        runner.delivered = outbox?.ids ?? []
        runner.emitsDecisions = outbox != nil || suppressed != nil
        sinks.withLock { $0 = (outbox, suppressed) }
        let started = update { p -> Bool in
            guard p.campaigns == nil else { return false }
            runner.from = p.engine.watermark.map { $0 + 1 }
            p.setCampaigns(runner)
            return true
        }
        if started {
            let n = load.configuration.triggers.count
            notify("campaign triggers started: \(n) trigger\(n == 1 ? "" : "s"), on the events from now on")
        }
        return started
    }

    /// Adds a line to the notices shown with the follower's (a helper thread's news).
    func notify(_ message: String) { state.withLock { $0.notices.append(message) } }

    public func start() {
        worker.start { [self] in run() }
    }

    /// Asks the ingest thread to stop and waits up to `timeout` seconds for it.
    public func stop(timeout: Double = 2) {
        worker.stop(timeout: timeout, clock: now)
    }

    public var isRunning: Bool { worker.isRunning }

    private func run() {
        let maxLine = pipeline.withLock { $0.engine.config.maxLineBytes }
        let source: any LogSource
        do {
            if let drain = resume?.drainPath { try drainRotated(drain, maxLine: maxLine) }
            source = try LogSources.open(path: path, startOffset: resume?.offset ?? 0, startLine: resume?.line ?? 1,
                                         maxLineBytes: maxLine)
        } catch {
            let message = (error as? IngestError)?.message ?? "\(error)"
            state.withLock { $0.error = message; $0.replaying = false }
            return
        }
        let quarantine = quarantinePath.map { QuarantineWriter(path: $0) }
        var reportedQuarantineFailure = false
        var windowStart = now()
        var windowEvents = 0, windowBytes = 0
        var lastSegmentFlush = now()
        var outboxFailure: String?
        // The event time of the newest event and the wall-clock second it was read: once the log has been
        // quiet for a second, the engine's clock runs on from there with the wall clock (DESIGN.md).
        var clockAnchor: (event: Int64, wall: Double)?
        while !worker.stopRequested {
            if pauseRequested.load(ordering: .relaxed) {
                usleep(50_000)
                continue
            }
            var status = FollowStatus()
            var accepted = 0
            do {
                try pipeline.withLock { p in
                    let before = p.engine.stats.accepted
                    // Deferred: each line's profile update overlaps the next line's parsing; flushed before
                    // the lock is released (also when the poll throws), so readers never see a line pending.
                    defer { p.flush() }
                    status = try source.poll(maxBytes: batchBytes) { line in p.consumeDeferred(line, quarantine: quarantine) }
                    p.flush()
                    p.position = source.position
                    accepted = p.engine.stats.accepted - before
                    let wall = now()
                    if accepted > 0 || clockAnchor == nil {
                        clockAnchor = p.engine.watermark.map { ($0, wall) }
                    } else if status.atEOF, let anchor = clockAnchor, wall - anchor.wall >= Self.quietSeconds {
                        p.engine.advanceClock(to: anchor.event + Int64((wall - anchor.wall) * 1000))
                    }
                    // The marked customers and the timers due by the watermark, once each: every batch at
                    // the end of the log (live), once a second while replaying.
                    let beforeFlush = now()
                    if p.flushDue(force: status.atEOF, secondsSinceLastFlush: beforeFlush - lastSegmentFlush) {
                        p.flushSegments()
                        lastSegmentFlush = now()
                        p.segments?.lastFlushSeconds = lastSegmentFlush - beforeFlush
                    }
                    // The campaign messages decided since the last batch, written under the same hold: a
                    // checkpoint (which copies the runner under this lock) never sees them taken but unwritten.
                    // While a settle still runs beside the ingest, its messages wait for the next batch (the
                    // ingest does not wait for it), at the end of the log for nothing.
                    let (outbox, suppressedLog) = sinks.withLock { ($0.outbox, $0.suppressed) }
                    if outbox != nil || suppressedLog != nil, status.atEOF || !p.campaignsSettling,
                       let taken = p.updateCampaigns({ $0.takeDecisions() }), !taken.isEmpty {
                        do {
                            try outbox?.append(taken)
                            try suppressedLog?.append(taken)
                        } catch {
                            outboxFailure = "\(error)"
                        }
                    }
                }
            } catch {
                let message = (error as? IngestError)?.message ?? "\(error)"
                state.withLock { $0.error = message }
                source.wait(timeoutMilliseconds: 1000)
                continue
            }
            quarantine?.flush()
            if let failure = outboxFailure {
                outboxFailure = nil
                state.withLock { $0.notices.append("\(failure); the messages of this batch were not written") }
            }
            if let failure = quarantine?.failure, !reportedQuarantineFailure {
                reportedQuarantineFailure = true
                state.withLock { $0.notices.append("\(failure)") }
            }
            windowEvents += accepted
            windowBytes += status.bytesRead
            let t = now()
            let elapsed = t - windowStart
            let rate: Double? = elapsed >= 1 ? Double(windowEvents) / elapsed : nil
            if let rate {
                bytesPerSecond.withLock { $0 = Double(windowBytes) / elapsed }
                windowStart = t
                windowEvents = 0
                windowBytes = 0
                _ = rate
            }
            let offset = source.offset, total = source.totalBytes
            state.withLock { s in
                s.bytesRead = offset
                s.totalBytes = total
                if status.bytesRead > 0 { s.generation &+= 1 }
                if let rate { s.eventsPerSecond = rate }
                if status.atEOF { s.replaying = false }
                for notice in status.notices { s.notices.append("\(source.displayName): \(notice.message)") }
                if s.notices.count > 20 { s.notices.removeFirst(s.notices.count - 20) }
                s.error = nil
                if status.isFinished { s.finished = true }
            }
            if status.isFinished { break }
            if status.atEOF { source.wait(timeoutMilliseconds: 100) }
        }
        quarantine?.flush()
    }

    /// Reads the rest of the checkpoint's file, renamed away by a rotation while Foresight was not running,
    /// before the log itself (its unfinished last line is dropped, as the follower drops it on a rotation).
    private func drainRotated(_ drainPath: String, maxLine: Int) throws {
        guard let resume else { return }
        let old = try FileFollower(path: drainPath, startOffset: resume.drainOffset, startLine: resume.drainLine, maxLineBytes: maxLine)
        let quarantine = quarantinePath.map { QuarantineWriter(path: $0) }
        var atEnd = false
        while !atEnd && !worker.stopRequested {
            try pipeline.withLock { p in
                defer { p.flush() }
                let status = try old.poll(maxBytes: batchBytes) { line in p.consumeDeferred(line, quarantine: quarantine) }
                p.flush()
                p.position = old.position
                // The file was renamed away: its own path-change handling would see the new log; stop at its end.
                atEnd = status.atEOF || !status.notices.isEmpty
            }
        }
        quarantine?.flush()
    }

    /// Bytes read per second over the last window (for the replay ETA).
    public var readRate: Double { bytesPerSecond.withLock { $0 } }
}
