/// Settings of the ingest engine.
public struct EngineConfig: Sendable, Equatable {
    /// A gap longer than this between two events of a customer starts a new session.
    public var sessionGapMs: Int64
    /// Lines longer than this are rejected as `line_too_long`.
    public var maxLineBytes: Int
    /// A repeated `messageId` within this much event time of the first is a duplicate; nil: any repeat
    /// in the whole log (see ``DedupWindow``).
    public var dedupWindowMs: Int64?

    public init(sessionGapMs: Int64 = 30 * 60 * 1000, maxLineBytes: Int = 1 << 20, dedupWindowMs: Int64? = 24 * 3_600_000) {
        self.sessionGapMs = sessionGapMs
        self.maxLineBytes = maxLineBytes
        self.dedupWindowMs = dedupWindowMs
    }
}

/// Whole-log counters, kept current on every line.
public struct IngestStats: Sendable, Equatable {
    /// Non-empty lines seen: accepted, duplicates, suppressed and rejected.
    public var lines = 0
    /// Events accepted (duplicates excluded).
    public var accepted = 0
    /// Events whose `messageId` was seen before.
    public var duplicates = 0
    /// Events of erased customers, dropped (see ``Engine/forget(customerKeys:)``).
    public var suppressed = 0
    /// Rejected lines by reason, indexed like `RejectReason.allCases`.
    public var rejectedByReason = [Int](repeating: 0, count: RejectReason.allCases.count)
    /// Accepted events by name id.
    public var eventsByName: [Int] = []
    /// Completed, not cancelled, distinct orders.
    public var orders = 0
    /// Revenue of those orders.
    public var revenue: Double = 0
    public var refunds: Double = 0
    /// Oldest and newest event time seen (ms); the newest is the engine's clock, the watermark.
    public var firstTimestamp = Int64.max
    public var lastTimestamp = Int64.min
    /// Events older than their customer's latest event (accepted and placed in time order).
    public var outOfOrder = 0

    public init() {}

    /// All rejected lines.
    public var rejected: Int { rejectedByReason.reduce(0, +) }

    /// The count for one reason.
    public func rejected(_ reason: RejectReason) -> Int {
        guard let i = RejectReason.allCases.firstIndex(of: reason) else { return 0 }
        return rejectedByReason[i]
    }

    mutating func countReject(_ reason: RejectReason) {
        if let i = RejectReason.allCases.firstIndex(of: reason) { rejectedByReason[i] += 1 }
    }
}

/// What became of one line.
public enum IngestOutcome: Sendable, Equatable {
    /// Accepted for the customer with this id.
    case accepted(customer: UInt32)
    /// A repeated `messageId`: counted once, ignored.
    case duplicate
    /// An event of an erased customer: dropped, counted in ``IngestStats/suppressed``.
    case suppressed
    case rejected(LineError)
}

extension IngestOutcome {
    /// The customer of an accepted line, nil for a duplicate or a reject.
    @inline(__always)
    public var acceptedCustomer: UInt32? {
        if case .accepted(let c) = self { return c }
        return nil
    }
}
