import ForesightCore
import Foundation
import GRDB

/// A checkpoint read back: the engine as it was, and where to resume the log.
public struct LoadedCheckpoint: Sendable {
    public var engine: Engine
    public var position: LogPosition?
    /// The last suppression row applied to `engine` (erasures recorded after it are pending).
    public var appliedSuppression: Int64
    /// What the file holds, so that the next checkpoint writes only what changes.
    public var written: WrittenState
    /// When it was written (wall clock, ISO-8601) and its number.
    public var writtenAt: String
    public var sequence: Int64
    /// The campaign triggers' state as of the same line (nil: the checkpoint has none); hand it to the
    /// pipeline with ``IngestPipeline/restoreCampaigns(_:)``, which applies it to a runner of the same triggers.
    public var campaigns: CampaignRunnerState?
}

/// Erasures recorded in the file after a given suppression row.
public struct PendingErasures: Sendable, Equatable {
    /// Hashes of the erased keys (``SuppressionList/hash(_:)``).
    public var keyHashes: [UInt64]
    /// The last row: what the state has applied once these are.
    public var lastID: Int64
}

extension StateStore {
    /// Reads the latest checkpoint, or nil when the file holds none yet.
    /// - Throws: ``StoreError/damaged(_:)`` when a part does not decode or does not fit with the rest.
    /// - Complexity: O(customers + events + key bytes); about 1 s for 400k customers and 10M events.
    public func loadCheckpoint() throws(StoreError) -> LoadedCheckpoint? {
        try read { db -> LoadedCheckpoint? in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM checkpoint WHERE id = 1") else { return nil }
            let config = EngineConfig(sessionGapMs: row["session_gap_ms"], maxLineBytes: row["max_line_bytes"],
                                      dedupWindowMs: row["dedup_window_ms"])
            var position: LogPosition?
            if let path: String = row["log_path"], let offset: Int64 = row["log_offset"] {
                position = LogPosition(path: path, device: UInt64(bitPattern: row["log_device"] ?? 0), inode: UInt64(bitPattern: row["log_inode"] ?? 0),
                                       offset: offset, line: row["log_line"] ?? 1, fingerprintBytes: row["fingerprint_bytes"] ?? 0,
                                       fingerprint: UInt64(bitPattern: row["fingerprint"] ?? 0))
            }
            let applied: Int64 = row["applied_suppression"] ?? 0
            var written = WrittenState()
            let names = try readNames(db, written: &written.names)
            let (customerKeys, profiles, traits, events) = try readCustomers(db, labels: names[3])
            written.customerEvents = events
            func blob(_ name: String) throws -> [UInt8] {
                guard let data = try Data.fetchOne(db, sql: "SELECT data FROM blobs WHERE name = ?", arguments: [name]) else {
                    throw StoreError.damaged("the checkpoint has no \(name)")
                }
                return [UInt8](data)
            }
            var orderProducts: [UInt32] = []
            let chunks = try Data.fetchAll(db, sql: "SELECT data FROM blobs WHERE name LIKE 'order_products.%' ORDER BY name")
            for chunk in chunks { orderProducts += try CheckpointBlobs.uint32s([UInt8](chunk), what: "the order products") }
            written.orderProducts = orderProducts.count
            let recent = try CheckpointBlobs.recentEvents(try blob("recent_events"))
            let lastName = try blob("last_event_name")
            let suppressed = try Int64.fetchAll(db, sql: "SELECT key_hash FROM suppression WHERE id <= ?", arguments: [applied])
            let state = EngineState(
                config: config, stats: try CheckpointBlobs.stats(try blob("stats")), customers: customerKeys,
                eventNames: names[0], products: names[1], categories: names[2], labels: names[3], profiles: profiles, traits: traits,
                orderProducts: orderProducts, productCategory: try CheckpointBlobs.uint32s(try blob("product_category"), what: "the product categories"),
                activity: try CheckpointBlobs.activity(try blob("activity")), recentEvents: recent.events, recentEventsTotal: recent.total,
                lastEventName: lastName.count == 3 ? UInt16(lastName[1]) | UInt16(lastName[2]) << 8 : 0,
                dedup: try CheckpointBlobs.dedup(try blob("dedup")), suppressed: suppressed.map { UInt64(bitPattern: $0) })
            let engine: Engine
            do {
                engine = try Engine(restoring: state)
            } catch {
                throw StoreError.damaged("\(error)")
            }
            var campaigns: CampaignRunnerState?
            if let data = try Data.fetchOne(db, sql: "SELECT data FROM blobs WHERE name = 'campaigns'") {
                do throws(CampaignStateError) { campaigns = try CampaignRunnerState(decoding: [UInt8](data)) } catch { throw StoreError.damaged(error.description) }
            }
            let sequence: Int64 = row["sequence"]
            written.valid = true
            written.sequence = sequence
            return LoadedCheckpoint(engine: engine, position: position, appliedSuppression: applied, written: written,
                                    writtenAt: row["written_at"], sequence: sequence, campaigns: campaigns)
        }
    }

    /// The erasures recorded after suppression row `id` (0: all of them).
    public func pendingErasures(after id: Int64) throws(StoreError) -> PendingErasures {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, key_hash FROM suppression WHERE id > ? ORDER BY id", arguments: [id])
            return PendingErasures(keyHashes: rows.map { UInt64(bitPattern: $0["key_hash"]) }, lastID: rows.last?["id"] ?? id)
        }
    }

    /// The last suppression row, cheaply (the dashboard polls it every second).
    public func latestErasureID() throws(StoreError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM suppression") ?? 0 }
    }

    private func readNames(_ db: Database, written: inout [Int]) throws -> [InternerKeys] {
        let query = try RawStatement(db, "SELECT id, key FROM names WHERE kind = ? ORDER BY id")
        var out: [InternerKeys] = []
        for (k, kind) in Self.nameKinds.enumerated() {
            query.bind(1, kind)
            var keys = InternerKeys(arena: [], starts: [0])
            while try query.step() {
                guard query.int(0) == Int64(keys.count) else { throw StoreError.damaged("the \(kind) ids are not consecutive") }
                keys.arena.append(contentsOf: query.bytes(1))
                keys.starts.append(UInt32(truncatingIfNeeded: keys.arena.count))
            }
            query.reset()
            written[k] = keys.count
            out.append(keys)
        }
        return out
    }

    private func readCustomers(_ db: Database, labels: InternerKeys) throws -> (InternerKeys, [Profile], [Traits], [UInt32]) {
        guard let labelInterner = Interner(restoring: labels) else { throw StoreError.damaged("the label ids are damaged") }
        let query = try RawStatement(db, """
            SELECT id, key, first_seen_ms, last_seen_ms, events, sessions, orders, revenue, refunds, first_order_ms, last_order_ms,
                page_views, product_views, cart_adds, cart_removes, checkouts, emails_delivered, email_opens, email_clicks,
                support_tickets, advocacy, sentiment_sum, sentiment_count, channels, traits_index,
                email, name, country, city, plan, timezone, age, email_opt_in, sms_opt_in, timeline, order_list
            FROM customers ORDER BY id
            """)
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM customers") ?? 0
        var keys = InternerKeys(arena: [], starts: [0])
        keys.starts.reserveCapacity(count + 1)
        var profiles: [Profile] = []
        profiles.reserveCapacity(count)
        var events: [UInt32] = []
        events.reserveCapacity(count)
        var traitsByIndex: [(UInt32, Traits)] = []
        func labelID(_ column: Int32) throws -> UInt32 {
            guard let text = query.text(column) else { return UInt32.max }
            guard let id = labelInterner.lookup(text) else { throw StoreError.damaged("a customer's trait '\(text)' is not among the labels") }
            return id
        }
        while try query.step() {
            let c = profiles.count
            guard query.int(0) == Int64(c) else { throw StoreError.damaged("customer ids are not consecutive at \(c)") }
            keys.arena.append(contentsOf: query.bytes(1))
            keys.starts.append(UInt32(truncatingIfNeeded: keys.arena.count))
            var p = Profile()
            p.firstSeen = query.optionalInt(2) ?? Int64.max
            p.lastSeen = query.optionalInt(3) ?? Int64.min
            p.events = UInt32(truncatingIfNeeded: query.int(4))
            p.sessions = UInt32(truncatingIfNeeded: query.int(5))
            p.orderCount = UInt32(truncatingIfNeeded: query.int(6))
            p.revenue = query.double(7)
            p.refunds = query.double(8)
            p.firstOrder = query.optionalInt(9) ?? Int64.max
            p.lastOrder = query.optionalInt(10) ?? Int64.min
            func u32(_ i: Int32) -> UInt32 { UInt32(truncatingIfNeeded: query.int(i)) }
            p.pageViews = u32(11); p.productViews = u32(12); p.cartAdds = u32(13); p.cartRemoves = u32(14)
            p.checkouts = u32(15); p.emailsDelivered = u32(16); p.emailOpens = u32(17); p.emailClicks = u32(18)
            p.supportTickets = u32(19); p.advocacy = u32(20)
            p.sentimentSum = Float(query.double(21))
            p.sentimentCount = u32(22)
            p.channels = UInt16(truncatingIfNeeded: query.int(23))
            p.traitsIndex = u32(24)
            if p.traitsIndex > 0 {
                var t = Traits()
                t.email = query.text(25)
                t.name = query.text(26)
                t.country = try labelID(27)
                t.city = try labelID(28)
                t.plan = try labelID(29)
                t.timezone = try labelID(30)
                t.age = UInt8(clamping: query.optionalInt(31) ?? 0)
                t.emailOptIn = Consent(rawValue: UInt8(clamping: query.int(32))) ?? .unknown
                t.smsOptIn = Consent(rawValue: UInt8(clamping: query.int(33))) ?? .unknown
                traitsByIndex.append((p.traitsIndex, t))
            }
            guard let timeline = PlainArray.elements(query.bytes(34), as: TimelineEntry.self) else {
                throw StoreError.damaged("the timeline of customer \(c) has a partial entry")
            }
            p.timeline = timeline
            p.orders = try CheckpointBlobs.orders(query.bytes(35))
            events.append(p.events)
            profiles.append(p)
        }
        traitsByIndex.sort { $0.0 < $1.0 }
        for (i, entry) in traitsByIndex.enumerated() where entry.0 != UInt32(i + 1) {
            throw StoreError.damaged("the traits of customers are not numbered 1 to \(traitsByIndex.count)")
        }
        return (keys, profiles, traitsByIndex.map(\.1), events)
    }
}
