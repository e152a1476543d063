/// Everything an ``Engine`` holds, as plain values: what a checkpoint writes and a restart restores.
///
/// Taking it is O(1) (the arrays are shared copy-on-write with the engine); restoring it rebuilds the
/// interners' lookup tables and checks that the parts fit together, so that a damaged checkpoint is
/// refused with a reason instead of trapping later. The engine restored from the state of an engine
/// equals it in every query (ids, counters, timelines, the duplicate window and the suppression list).
/// Persistence formats (SQL, blobs) belong to ForesightStore; this type knows nothing of them.
public struct EngineState: Sendable {
    public var config: EngineConfig
    public var stats: IngestStats
    public var customers: InternerKeys
    public var eventNames: InternerKeys
    public var products: InternerKeys
    public var categories: InternerKeys
    public var labels: InternerKeys
    public var profiles: [Profile]
    public var traits: [Traits]
    public var orderProducts: [UInt32]
    public var productCategory: [UInt32]
    public var activity: DailyActivityState
    /// The live tail, oldest first, and how many events were ever appended to it.
    public var recentEvents: [RecentEvent]
    public var recentEventsTotal: Int
    public var lastEventName: UInt16
    public var dedup: DedupWindowState
    /// Key hashes (``hashBytes(_:_:)`` of the customer key's bytes) whose events are dropped (erasure).
    public var suppressed: [UInt64]

    /// A state from its parts (as a checkpoint reader assembles it).
    public init(config: EngineConfig, stats: IngestStats, customers: InternerKeys, eventNames: InternerKeys,
                products: InternerKeys, categories: InternerKeys, labels: InternerKeys, profiles: [Profile],
                traits: [Traits], orderProducts: [UInt32], productCategory: [UInt32], activity: DailyActivityState,
                recentEvents: [RecentEvent], recentEventsTotal: Int, lastEventName: UInt16, dedup: DedupWindowState,
                suppressed: [UInt64]) {
        self.config = config
        self.stats = stats
        self.customers = customers
        self.eventNames = eventNames
        self.products = products
        self.categories = categories
        self.labels = labels
        self.profiles = profiles
        self.traits = traits
        self.orderProducts = orderProducts
        self.productCategory = productCategory
        self.activity = activity
        self.recentEvents = recentEvents
        self.recentEventsTotal = recentEventsTotal
        self.lastEventName = lastEventName
        self.dedup = dedup
        self.suppressed = suppressed
    }
}

/// Why an ``EngineState`` cannot be restored: its parts do not fit together.
public struct EngineStateError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What does not fit, in words.
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

extension Engine {
    /// The whole state as plain values (call on a copy taken at a line boundary: a line left pending by
    /// ``ingestDeferred(_:)`` is completed first).
    /// - Complexity: O(1) apart from that line: every array is shared copy-on-write.
    public mutating func exportState() -> EngineState {
        flushDeferred()
        return EngineState(
            config: config, stats: stats, customers: customers.keys, eventNames: eventNames.keys, products: products.keys,
            categories: categories.keys, labels: labels.keys, profiles: profiles, traits: traits,
            orderProducts: orderProducts, productCategory: productCategory, activity: activity.state,
            recentEvents: recentEvents.oldestFirst, recentEventsTotal: recentEvents.total, lastEventName: lastEventName,
            dedup: seenMessages.state, suppressed: suppression.sortedHashes)
    }

    /// The engine a state was exported from.
    /// - Throws: ``EngineStateError`` when the parts do not fit together (a damaged checkpoint).
    /// - Complexity: O(customers + events + key bytes).
    public init(restoring s: EngineState) throws(EngineStateError) {
        self.init(config: s.config)
        func keys(_ k: InternerKeys, _ what: String, capacity: Int) throws(EngineStateError) -> Interner {
            guard let interner = Interner(restoring: k, capacity: capacity) else {
                throw EngineStateError("the \(what) ids are damaged (\(k.problem ?? "inconsistent"))")
            }
            return interner
        }
        customers = try keys(s.customers, "customer", capacity: 1 << 16)
        eventNames = try keys(s.eventNames, "event name", capacity: 256)
        products = try keys(s.products, "product", capacity: 4096)
        categories = try keys(s.categories, "category", capacity: 256)
        labels = try keys(s.labels, "label", capacity: 4096)
        guard eventNames.count >= KnownEvent.allCases.count,
              KnownEvent.allCases.allSatisfy({ eventNames.lookup($0.name) == UInt32($0.id) }) else {
            throw EngineStateError("the event names do not start with the built-in ones")
        }
        guard s.profiles.count == customers.count else {
            throw EngineStateError("\(s.profiles.count) profiles for \(customers.count) customer ids")
        }
        guard s.productCategory.count == products.count, s.productCategory.allSatisfy({ $0 <= UInt32(categories.count) }) else {
            throw EngineStateError("the product categories do not match the \(products.count) products")
        }
        guard s.stats.eventsByName.count == eventNames.count,
              s.stats.rejectedByReason.count == RejectReason.allCases.count else {
            throw EngineStateError("the counters do not match the \(eventNames.count) event names")
        }
        for (c, p) in s.profiles.enumerated() {
            guard Int(p.traitsIndex) <= s.traits.count else { throw EngineStateError("customer \(c) has traits beyond the table") }
            for o in p.orders where Int(o.productStart) + Int(o.productCount) > s.orderProducts.count {
                throw EngineStateError("an order of customer \(c) lists products beyond the table")
            }
            for e in p.timeline where e.kind == .order && Int(e.item) >= p.orders.count {
                throw EngineStateError("the timeline of customer \(c) points at a missing order")
            }
        }
        guard s.orderProducts.allSatisfy({ $0 < UInt32(products.count) }) else {
            throw EngineStateError("an order lists an unknown product")
        }
        guard let activity = DailyActivity(restoring: s.activity) else {
            throw EngineStateError(s.activity.problem ?? "the activity counters are damaged")
        }
        guard let dedup = DedupWindow(restoring: s.dedup) else { throw EngineStateError("the duplicate window is damaged") }
        guard dedup.window == s.config.dedupWindowMs else {
            throw EngineStateError("the duplicate window does not match the settings")
        }
        guard s.recentEvents.allSatisfy({ Int($0.customer) < customers.count }) else {
            throw EngineStateError("the live tail names unknown customers")
        }
        stats = s.stats
        profiles = s.profiles
        traits = s.traits
        orderProducts = s.orderProducts
        productCategory = s.productCategory
        self.activity = activity
        recentEvents = RecentEvents(restoring: s.recentEvents, total: s.recentEventsTotal, capacity: recentEvents.capacity)
        lastEventName = s.lastEventName
        seenMessages = dedup
        suppression = SuppressionList(s.suppressed)
    }
}
