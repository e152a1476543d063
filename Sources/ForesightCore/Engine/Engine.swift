import CForesightSupport

/// The single-writer analytics state: every accepted event updates its customer's profile and the
/// whole-log counters. Time is event time: the clock is the newest timestamp seen (``watermark``).
///
/// A value type owned by the ingest thread; readers get small value types from the query functions.
/// Do not copy an `Engine` needlessly: its arrays are large and copy on write.
public struct Engine: Sendable {
    public let config: EngineConfig
    public internal(set) var stats = IngestStats()
    /// Customer keys (`userId`, else `anonymousId`) → dense customer ids, which index ``profiles``.
    public internal(set) var customers = Interner(capacity: 1 << 16)
    /// Event names; the ``KnownEvent`` names come first.
    public internal(set) var eventNames = Interner(capacity: 256)
    public internal(set) var products = Interner(capacity: 4096)
    public internal(set) var categories = Interner(capacity: 256)
    /// Page names, campaign names, countries, cities, plans and time zones.
    public internal(set) var labels = Interner(capacity: 4096)
    public internal(set) var profiles: [Profile] = []
    public internal(set) var traits: [Traits] = []
    /// Product ids of all orders; an order holds a range of it.
    public internal(set) var orderProducts: [UInt32] = []
    /// Category id + 1 of each product (0 when never sent).
    public internal(set) var productCategory: [UInt32] = []
    /// Per-day and per-hour activity over event time.
    public internal(set) var activity = DailyActivity()
    /// The latest events accepted, for the live tail.
    public internal(set) var recentEvents = RecentEvents()
    /// The event-name id of the latest accepted event (what it changed, for the segments).
    public internal(set) var lastEventName: UInt16 = 0
    var seenMessages: DedupWindow
    var parser = EventParser()

    public init(config: EngineConfig = EngineConfig()) {
        self.config = config
        seenMessages = DedupWindow(window: config.dedupWindowMs)
        for known in KnownEvent.allCases { _ = eventNames.intern(known.name) }
        stats.eventsByName = Array(repeating: 0, count: eventNames.count)
    }

    /// The engine's clock: the newest event time seen (ms), or nil before the first event.
    public var watermark: Int64? { stats.lastTimestamp == Int64.min ? nil : stats.lastTimestamp }

    /// Ingests one line (without its newline).
    /// - Complexity: O(line length) plus O(log k) for an out-of-order event of a customer with k events.
    public mutating func ingest(_ line: UnsafeRawBufferPointer) -> IngestOutcome {
        stats.lines += 1
        // The parser prefetches the customer's and the message id's table slots as soon as it reads them.
        let customerTable = customers.tableHint, messageTable = seenMessages.tableHint
        parser.prefetch = PrefetchHints(customerTable: customerTable.address, customerMask: customerTable.mask,
                                        messageTable: messageTable.address, messageMask: messageTable.mask)
        if let error = parser.parse(line) {
            stats.countReject(error.reason)
            return .rejected(error)
        }
        let key = parser.event.customerKey
        let customer: UInt32
        if let hash = parser.event.customerKeyHash {
            customer = parser.withBytes(key, in: line) { customers.intern($0, hash: hash) }
        } else {
            customer = parser.withBytes(key, in: line) { customers.intern($0) }
        }
        if Int(customer) == profiles.count { profiles.append(Profile()) }
        // Start loading the profile now: the duplicate check and the name lookup run meanwhile.
        profiles.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return }
            // Every cache line the profile touches: its stride (176 bytes) is not a multiple of 64, so it
            // may span four lines, and the timeline's address sits at its end.
            let profile = UnsafeRawPointer(base + Int(customer))
            foresight_prefetch_write(profile)
            foresight_prefetch_write(profile + 64)
            foresight_prefetch_write(profile + 128)
            foresight_prefetch_write(profile + (MemoryLayout<Profile>.size - 1))
        }
        let messageId = parser.event.messageId
        if messageId.isNonEmpty {
            let fingerprint = messageId.escaped ? parser.withBytes(messageId, in: line) { hashBytes($0) } : parser.event.messageIdHash
            if !seenMessages.insert(fingerprint, at: parser.event.timestamp) {
                stats.duplicates += 1
                return .duplicate
            }
        }
        apply(customer: Int(customer), line: line)
        return .accepted(customer: customer)
    }

    /// Counts a line rejected before parsing (too long for the line limit).
    public mutating func rejectUnparsed(_ reason: RejectReason) {
        stats.lines += 1
        stats.countReject(reason)
    }

    mutating func nameID(line: UnsafeRawBufferPointer) -> UInt16 {
        switch parser.event.type {
        case .page: return KnownEvent.pageViewed.id
        case .screen: return KnownEvent.screenViewed.id
        case .identify: return KnownEvent.identify.id
        case .track:
            let id = parser.withBytes(parser.event.event, in: line) { eventNames.intern($0) }
            if Int(id) >= stats.eventsByName.count { stats.eventsByName.append(0) }
            return UInt16(clamping: id)
        }
    }
}
