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

    public init(engine: Engine = Engine(), sourceName: String) {
        self.engine = engine
        self.sourceName = sourceName
    }

    /// Ingests one line; a rejected line is also handed to `quarantine`.
    /// - Returns: what became of the line.
    @discardableResult
    public mutating func consume(_ line: Line, quarantine: QuarantineWriter?) -> IngestOutcome {
        bytesConsumed += Int64(line.length + 1)
        let outcome: IngestOutcome
        if line.isTooLong {
            engine.rejectUnparsed(.lineTooLong)
            outcome = .rejected(LineError(.lineTooLong, column: engine.config.maxLineBytes + 1,
                                          "line of \(line.length) bytes is over the limit of \(engine.config.maxLineBytes)"))
        } else {
            outcome = engine.ingest(line.bytes)
        }
        if segments != nil, case .accepted(let c) = outcome { segments!.mark(customer: c, name: engine.lastEventName) }
        if case .rejected(let error) = outcome {
            let kept = line.bytes.prefix(RejectedLine.maxTextBytes)
            let rejected = RejectedLine(file: sourceName, offset: line.offset, line: line.number, reason: error.reason,
                                        column: error.column, detail: error.detail,
                                        text: String(decoding: kept, as: UTF8.self))
            recentRejects.append(rejected)
            quarantine?.write(rejected)
        }
        return outcome
    }

    /// Brings the segments up to date after a batch of lines (see ``LiveSegments/flush(engine:)``):
    /// at once with `force`, otherwise once enough events are marked (``LiveSegments/flushEvents``).
    /// - Returns: the number of entries and exits.
    @discardableResult
    public mutating func flushSegments(force: Bool = true) -> Int {
        guard segments != nil, segments!.flushDue(force: force) else { return 0 }
        return segments!.flush(engine: engine)
    }
}
