import ForesightCore
import Foundation
import Synchronization

/// Writes checkpoints of a live ingest in the background and applies erasures recorded by other processes.
///
/// Every `interval` seconds it takes an O(1) copy of the engine and its log position under the ingest lock
/// (both from the same moment, at a line boundary: the ingest thread completes its batch and updates the
/// position before releasing the lock), then writes it in one transaction on its own thread, so ingestion
/// only pays the copy-on-write of the arrays it next touches. Every second it also looks for erasures
/// recorded in the file (`foresight forget` run while this runs) and applies them to the live engine.
///
/// Crash safety follows: a checkpoint is the engine as of exactly its offset, and both are committed
/// together, so whatever moment the process is killed at, a restart resumes with no event counted twice
/// or missed.
public final class Checkpointer: Sendable {
    public let store: StateStore
    private let ingestor: LiveIngestor
    /// Seconds between two checkpoints (0 or less: only on ``stop()``).
    public let interval: Double
    private let written: Mutex<WrittenState>
    private let status = Mutex(CheckpointerStatus())
    private let stopFlag = Atomic<Bool>(false)
    private let runningFlag = Atomic<Bool>(false)
    /// Serializes the writes of this process (the loop and a final write on stop).
    private let writing = Mutex(())
    /// Readable copies written with each checkpoint (model cards, segment sizes), gathered off the ingest lock.
    private let extras: (@Sendable () -> CheckpointExtras)?

    /// - Parameters:
    ///   - written: what the file holds already (from ``LoadedCheckpoint/written``), so that the first
    ///     checkpoint after a restart writes only what changed.
    ///   - extras: what else to write with each checkpoint for SQL readers (model cards, segment sizes).
    public init(store: StateStore, ingestor: LiveIngestor, interval: Double, written: WrittenState = WrittenState(),
                extras: (@Sendable () -> CheckpointExtras)? = nil) {
        self.extras = extras
        self.store = store
        self.ingestor = ingestor
        self.interval = interval
        self.written = Mutex(written)
    }

    /// What the checkpointer did so far (for the dashboard and the benchmark).
    public var current: CheckpointerStatus { status.withLock { $0 } }

    /// Starts the background thread.
    public func start() {
        guard !runningFlag.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Thread.detachNewThread { [self] in
            run()
            runningFlag.store(false, ordering: .releasing)
        }
    }

    /// Stops the thread, then writes a last checkpoint (the state at exit).
    /// - Returns: the last checkpoint's outcome (nil if it failed; the error is in ``current``).
    @discardableResult
    public func stop() -> CheckpointOutcome? {
        stopFlag.store(true, ordering: .releasing)
        while runningFlag.load(ordering: .acquiring) { usleep(5_000) }
        applyErasures()
        return checkpoint()
    }

    private func run() {
        // Below the ingest thread: on a busy machine the writer waits, ingestion does not.
        Self.lowerThreadPriority()
        var lastCheckpoint = Self.clock()
        var lastErasureCheck = 0.0
        while !stopFlag.load(ordering: .acquiring) {
            usleep(interval > 0 && interval < 0.2 ? UInt32(max(interval, 0.005) * 1_000_000 / 2) : 100_000)
            let now = Self.clock()
            if now - lastErasureCheck >= 1 {
                lastErasureCheck = now
                applyErasures()
            }
            if interval > 0 && now - lastCheckpoint >= interval {
                lastCheckpoint = now
                if checkpoint() == .erasurePending { applyErasures() }
            }
        }
    }

    /// Applies the erasures recorded in the file since the last one applied; returns how many customers went.
    @discardableResult
    public func applyErasures() -> Int {
        let applied = ingestor.read { $0.appliedErasure }
        guard let latest = try? store.latestErasureID(), latest > applied,
              let pending = try? store.pendingErasures(after: applied) else { return 0 }
        let erasure = ingestor.update { p -> Erasure in
            let e = p.forget(keyHashes: pending.keyHashes)
            p.appliedErasure = pending.lastID
            return e
        }
        // Ids moved down: the next checkpoint rewrites every customer.
        written.withLock { $0.invalidate() }
        status.withLock { s in
            s.erasuresApplied += pending.keyHashes.count
            s.lastLines = -1
        }
        return erasure.ids.count
    }

    /// Writes a checkpoint now, on the calling thread.
    @discardableResult
    public func checkpoint() -> CheckpointOutcome? {
        writing.withLock { _ in
            // O(1) under the ingest lock: the engine's arrays are shared until the ingest thread writes them.
            let (engineCopy, position, applied, lines, campaigns) = ingestor.read { p in
                (p.engine, p.position, p.appliedErasure, p.engine.stats.lines, p.campaignsSnapshot)
            }
            let key = campaigns.changeKey
            let unchanged = status.withLock { s in
                s.lastLines == lines && s.lastPosition == position && s.lastCampaigns == key && s.checkpoints > 0
            }
            if unchanged { return nil }
            var engine = engineCopy
            let state = engine.exportState()
            var w = written.withLock { $0 }
            let more = extras?() ?? CheckpointExtras()
            do {
                let outcome = try store.writeCheckpoint(state, position: position, appliedSuppression: applied, written: &w, extras: more,
                                                        campaigns: campaigns)
                written.withLock { $0 = w }
                if case .written(let report) = outcome {
                    store.compactLog()
                    status.withLock { s in
                        s.checkpoints += 1
                        s.last = report
                        s.lastLines = lines
                        s.lastPosition = position
                        s.lastCampaigns = key
                        s.error = nil
                    }
                }
                return outcome
            } catch {
                status.withLock { $0.error = "\(error)" }
                return nil
            }
        }
    }

    /// Lowers the calling thread's scheduling priority to nice 10 (on Linux the nice value is per thread,
    /// and `who = 0` names the calling thread).
    public static func lowerThreadPriority() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }

    static func clock() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}

/// What a ``Checkpointer`` did.
public struct CheckpointerStatus: Sendable, Equatable {
    public var checkpoints = 0
    public var last: CheckpointReport?
    /// The last write's error, in words (cleared by the next success).
    public var error: String?
    public var erasuresApplied = 0
    var lastLines = -1
    var lastPosition: LogPosition?
    var lastCampaigns = 0

    public init() {}
}
