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
    /// The timeline entry of the latest accepted event (what the campaign triggers read).
    public internal(set) var lastEntry = TimelineEntry(time: 0, name: 0, channel: .none, kind: .none, item: 0, value: .nan)
    /// The latest event time of ``lastEntry``'s customer before it (`Int64.min`: it was her first): what the
    /// campaign triggers' inactivity bookkeeping compares it with, without a load of its own.
    public internal(set) var lastEntrySeenBefore = Int64.min
    /// The customer of the line that ``ingestDeferred(_:)`` or ``flushDeferred()`` completed last, when it
    /// was accepted (not a duplicate), until ``takeFinished()``: how a deferred stream reports what it applied.
    public internal(set) var finished: UInt32?
    /// A clock floor set by ``advanceClock(to:)``: in live mode the clock moves on with the wall clock
    /// while the log is quiet. `Int64.min` when never set (replays, headless commands).
    public internal(set) var quietClock = Int64.min
    var seenMessages: DedupWindow
    var parser = EventParser()
    /// The parser of the line after the pending one (``ingestDeferred(_:)``); the two are swapped per line.
    var nextParser = EventParser()
    /// The customer of the line parsed by `parser` and not yet applied (``ingestDeferred(_:)``).
    var pendingCustomer: UInt32?
    /// Recently seen short event names and their ids (see ``nameID(line:)``); 64 slots.
    var nameCache = [NameCacheEntry](repeating: .empty, count: 64)
    /// Pseudonyms for ids, emails and names on screen and in exports (`--redact`); nil shows them as they are.
    public var redaction: Redaction?
    /// Erased customers' keys: their events are dropped (see ``forget(customerKeys:)``).
    var suppression = SuppressionList()

    public init(config: EngineConfig = EngineConfig()) {
        self.config = config
        seenMessages = DedupWindow(window: config.dedupWindowMs)
        for known in KnownEvent.allCases { _ = eventNames.intern(known.name) }
        stats.eventsByName = Array(repeating: 0, count: eventNames.count)
    }

    /// The engine's clock (ms): the newest event time seen, or later when a live log was quiet
    /// (``advanceClock(to:)``); nil before the first event.
    public var watermark: Int64? {
        let t = max(stats.lastTimestamp, quietClock)
        return t == Int64.min ? nil : t
    }

    /// Moves the clock on to `time` without an event (never back): in live mode, while the log is quiet,
    /// the clock follows the wall clock so that recency, inactivity and segment timers move on
    /// (DESIGN.md, "event time"). No effect before the first event or for a time not past the clock.
    public mutating func advanceClock(to time: Int64) {
        guard stats.lastTimestamp != Int64.min, time > quietClock, time > stats.lastTimestamp else { return }
        quietClock = time
    }

    /// The customer whose line was completed last by the deferred path (``finished``), cleared.
    @inline(__always)
    public mutating func takeFinished() -> UInt32? {
        defer { finished = nil }
        return finished
    }

    /// Ingests one line (without its newline).
    /// - Complexity: O(line length) plus O(log k) for an out-of-order event of a customer with k events.
    public mutating func ingest(_ line: UnsafeRawBufferPointer) -> IngestOutcome {
        flushDeferred()
        stats.lines += 1
        parser.prefetch = prefetchHints
        if let error = parser.parse(line) {
            stats.countReject(error.reason)
            return .rejected(error)
        }
        if !suppression.isEmpty && isSuppressed(parser, line: line) {
            stats.suppressed += 1
            return .suppressed
        }
        let customer = internCustomer(key: parser.event.customerKey, hash: parser.event.customerKeyHash, line: line)
        return finish(customer: customer, line: line)
    }

    /// Ingests one line of a stream, leaving its duplicate check and profile update to the next call (or to
    /// ``flushDeferred()``): the line is parsed and its customer interned now, and the customer's profile and
    /// timeline, requested now, are updated while the next line is being parsed, when their cache lines have
    /// arrived. With 400k customers those loads are cache misses of ~100 ns each, one after the other when
    /// done line by line. The order of every effect is that of ``ingest(_:)``; only their timing differs.
    ///
    /// Call ``flushDeferred()`` before reading the engine's state: the last line's update is pending until then.
    /// - Returns: why the line was rejected (counted already), or nil when it was accepted for processing.
    public mutating func ingestDeferred(_ line: UnsafeRawBufferPointer) -> LineError? {
        stats.lines += 1
        nextParser.prefetch = prefetchHints
        if let error = nextParser.parse(line) {
            // The pending line (if any) stays pending: rejects touch only counters.
            stats.countReject(error.reason)
            return error
        }
        if !suppression.isEmpty && isSuppressed(nextParser, line: line) {
            // Dropped before interning: an erased customer is never created again.
            stats.suppressed += 1
            return nil
        }
        if let pending = pendingCustomer {
            // The pending customer's profile was requested one line ago; its timeline's end can be asked for now.
            prefetchTimelineEnd(of: Int(pending))
        }
        let customer = internCustomer(key: nextParser.event.customerKey, hash: nextParser.event.customerKeyHash, line: line)
        if let pending = pendingCustomer {
            finished = finish(customer: pending, line: parser.lastLine, timelinePrefetched: true).acceptedCustomer
        }
        // The line just parsed becomes the pending one; `parser` keeps its copy of the bytes until its next parse.
        swap(&parser, &nextParser)
        pendingCustomer = customer
        return nil
    }

    /// Completes the line left pending by ``ingestDeferred(_:)``, if any.
    public mutating func flushDeferred() {
        guard let pending = pendingCustomer else { return }
        pendingCustomer = nil
        finished = finish(customer: pending, line: parser.lastLine).acceptedCustomer
    }

    /// Whether the event just parsed by `p` from `line` is of a suppressed (erased) customer.
    func isSuppressed(_ p: EventParser, line: UnsafeRawBufferPointer) -> Bool {
        let key = p.event.customerKey
        if let hash = p.event.customerKeyHash { return suppression.contains(hash: hash) }
        let raw = UnsafeRawBufferPointer(rebasing: line[Int(key.start)..<Int(key.start + key.count)])
        guard key.escaped else { return suppression.contains(hash: hashBytes(raw)) }
        var decoded: [UInt8] = []
        JSONUnescape.decode(raw, into: &decoded)
        return decoded.withUnsafeBytes { suppression.contains(hash: hashBytes($0)) }
    }

    /// Where the parser should prefetch the customer's and the message id's table slots.
    var prefetchHints: PrefetchHints {
        let customerTable = customers.tableHint, messageTable = seenMessages.tableHint
        return PrefetchHints(customerTable: customerTable.address, customerMask: customerTable.mask,
                             messageTable: messageTable.address, messageMask: messageTable.mask)
    }

    /// Interns the customer of an event just parsed from `line` (its key span and the hash the parser took),
    /// adds a profile for a new one, and starts loading the profile.
    @inline(__always)
    mutating func internCustomer(key: Span, hash: UInt64?, line: UnsafeRawBufferPointer) -> UInt32 {
        let customer: UInt32
        let raw = UnsafeRawBufferPointer(rebasing: line[Int(key.start)..<Int(key.start + key.count)])
        if let hash {
            customer = customers.intern(raw, hash: hash)
        } else if !key.escaped {
            customer = customers.intern(raw)
        } else {
            // Rare: a key with escapes is interned by its decoded bytes (as ``EventParser/withBytes`` gives them).
            var decoded: [UInt8] = []
            JSONUnescape.decode(raw, into: &decoded)
            customer = decoded.withUnsafeBytes { customers.intern($0) }
        }
        if Int(customer) == profiles.count { profiles.append(Profile()) }
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
        return customer
    }

    /// Starts loading the end of a customer's timeline, where the next entry goes (needs the profile loaded).
    @inline(__always)
    func prefetchTimelineEnd(of c: Int) {
        // The elements' address without `withUnsafeBufferPointer`, which retains and releases the timeline
        // (two atomic operations per event) to keep it alive across its closure; the address is only prefetched.
        let timeline = profiles[c].timeline
        if let start = timeline._baseAddressIfContiguous {
            foresight_prefetch_write(UnsafeRawPointer(start + timeline.count))
        }
    }

    /// The duplicate check and the update of the event in `parser`, parsed from `line`, of `customer`.
    /// - Parameter timelinePrefetched: the end of the customer's timeline was requested already (by
    ///   ``ingestDeferred(_:)``), so `apply` need not ask again.
    mutating func finish(customer: UInt32, line: UnsafeRawBufferPointer, timelinePrefetched: Bool = false) -> IngestOutcome {
        let messageId = parser.event.messageId
        if messageId.isNonEmpty {
            let fingerprint = messageId.escaped ? parser.withBytes(messageId, in: line) { hashBytes($0) } : parser.event.messageIdHash
            if !seenMessages.insert(fingerprint, at: parser.event.timestamp) {
                stats.duplicates += 1
                return .duplicate
            }
        }
        apply(customer: Int(customer), line: line, timelinePrefetched: timelinePrefetched)
        return .accepted(customer: customer)
    }

    /// Counts a line rejected before parsing (too long for the line limit).
    public mutating func rejectUnparsed(_ reason: RejectReason) {
        flushDeferred()
        stats.lines += 1
        stats.countReject(reason)
    }

    mutating func nameID(line: UnsafeRawBufferPointer) -> UInt16 {
        switch parser.event.type {
        case .page: return KnownEvent.pageViewed.id
        case .screen: return KnownEvent.screenViewed.id
        case .identify: return KnownEvent.identify.id
        case .track:
            // Most event names are 16 bytes or shorter and few: a small table from their exact bytes (two
            // words and the length, read from the parser's padded copy of the line) to their id answers
            // without hashing and probing the interner. Escaped or longer names take the interner.
            let span = parser.event.event
            let padded = parser.lastLine
            let words = padded.baseAddress.map {
                JSONCursor($0.assumingMemoryBound(to: UInt8.self), padded.count).keyWords(span)
            } ?? .none
            let slot = words.count >= 0 ? Self.nameCacheSlot(words) : -1
            if slot >= 0, let id = nameCache.withUnsafeBufferPointer({ $0[slot].words == words ? $0[slot].id : nil }) {
                return id
            }
            let id = parser.withBytes(span, in: line) { eventNames.intern($0) }
            if Int(id) >= stats.eventsByName.count { stats.eventsByName.append(0) }
            let name = UInt16(clamping: id)
            if slot >= 0 { nameCache[slot] = NameCacheEntry(words: words, id: name) }
            return name
        }
    }

    /// A slot of ``nameCache`` for a name's words (a multiplicative hash of both words and the length).
    @inline(__always)
    static func nameCacheSlot(_ w: KeyWords) -> Int {
        let h = (w.w0 ^ (w.w1 &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(w.count)) &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: h >> 58)
    }
}

/// An event name (up to 16 bytes, as two words and its length) and its id in ``Engine/eventNames``.
struct NameCacheEntry: Sendable {
    var words: KeyWords
    var id: UInt16
    /// Matches no name.
    static let empty = NameCacheEntry(words: .none, id: 0)
}
