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
        bytesConsumed += Int64(line.length + 1)
        let outcome: IngestOutcome
        if line.isTooLong {
            engine.rejectUnparsed(.lineTooLong)
            outcome = .rejected(tooLong(line))
        } else {
            outcome = engine.ingest(line.bytes)
        }
        if case .accepted(let c) = outcome, segments != nil { segments?.mark(customer: c, name: engine.lastEventName) }
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
        recentRejects.removeLines(ofCustomers: erasure.keys)
        return erasure
    }

    /// Completes the line left pending by ``consumeDeferred(_:quarantine:)``.
    public mutating func flush() {
        engine.flushDeferred()
        markFinished()
    }

    /// Marks the customer of the line the engine completed last, for the segments.
    @inline(__always)
    private mutating func markFinished() {
        guard let c = engine.takeFinished(), segments != nil else { return }
        segments?.mark(customer: c, name: engine.lastEventName)
    }

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
    @discardableResult
    public mutating func flushSegments(force: Bool = true, secondsSinceLastFlush: Double = 0) -> Int {
        guard segments?.flushDue(force: force, secondsSinceLastFlush: secondsSinceLastFlush) == true else { return 0 }
        return segments?.flush(engine: engine) ?? 0
    }
}
