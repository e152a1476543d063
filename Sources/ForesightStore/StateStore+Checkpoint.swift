import ForesightCore
import Foundation
import GRDB

/// What the state file already holds of the engine, so that the next checkpoint writes only what changed:
/// a customer's row is rewritten only when her event count moved (every accepted event of hers, an identify
/// call or an order update included, adds one), the id tables only grow, the order products grow by chunks.
public struct WrittenState: Sendable {
    /// Per customer id: her event count in the file; the array's length is the customers in the file.
    var customerEvents: [UInt32] = []
    /// Keys in the file per name table (event, product, category, label).
    var names = [0, 0, 0, 0]
    var orderProducts = 0
    /// The checkpoint sequence number these figures describe: if the file's differs, another process wrote it.
    var sequence: Int64 = -1
    /// False when nothing is known of the file: the next checkpoint rewrites every customer.
    var valid = false

    /// Nothing known: the next checkpoint is a full one.
    public init() {}

    /// Forget what was written (after an erasure renumbered the customers).
    public mutating func invalidate() { valid = false }
}

/// Extra, readable copies written with a checkpoint for SQL users (not needed to restore).
public struct CheckpointExtras: Sendable {
    /// Model name → (fitted at, model card JSON).
    public var models: [(name: String, fittedAt: Int64, card: String)] = []
    /// Segment size samples (time, segment, size).
    public var segmentSizes: [(time: Int64, segment: String, size: Int)] = []

    public init() {}
}

/// What one checkpoint did.
public struct CheckpointReport: Sendable, Equatable {
    /// Whether every customer was rewritten.
    public var full: Bool
    public var customersWritten: Int
    public var customers: Int
    public var events: Int
    /// Seconds in the transaction.
    public var seconds: Double
    /// The checkpoint's number in this file.
    public var sequence: Int64
}

/// The outcome of a checkpoint attempt.
public enum CheckpointOutcome: Sendable, Equatable {
    case written(CheckpointReport)
    /// An erasure was recorded in the file (by `foresight forget`) after the erasures this state has applied:
    /// nothing was written. Apply the pending erasures (``StateStore/pendingErasures(after:)``) and retry, so
    /// that an erased customer's data is never written back.
    case erasurePending
}

extension StateStore {
    static let orderProductsChunk = 1 << 16
    static let nameKinds = ["event", "product", "category", "label"]

    /// Writes a checkpoint in one transaction: the engine's state and the log position it reflects.
    /// - Parameters:
    ///   - state: the engine's state at a line boundary (``Engine/exportState()`` of a copy).
    ///   - position: where the log was read to at that moment (nil: a state without a log position).
    ///   - appliedSuppression: the last suppression row this state has applied (erasures).
    ///   - written: what the file holds already; updated when the transaction commits.
    /// - Complexity: O(changed customers' events + customers) — the unchanged ones cost a comparison.
    ///   - campaigns: the campaign triggers' part (``IngestPipeline/campaignsSnapshot``, encoded here, before
    ///     the transaction): the runner's state blob, or none when the snapshot holds no runner and no saved
    ///     state; and its suppressed decisions not yet in `campaign_suppressed`. nil: leave that part as it is.
    public func writeCheckpoint(_ state: EngineState, position: LogPosition?, appliedSuppression: Int64,
                                written: inout WrittenState, extras: CheckpointExtras = CheckpointExtras(),
                                campaigns: CampaignsSnapshot? = nil) throws(StoreError) -> CheckpointOutcome {
        let began = Date()
        let previous = written
        let part: CampaignsPart = campaigns.map { $0.checkpoint().map(CampaignsPart.write) ?? .remove } ?? .keep
        let result = try write { db -> (CheckpointOutcome, WrittenState) in
            let latest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM suppression") ?? 0
            if latest > appliedSuppression { return (.erasurePending, previous) }
            var w = previous
            let report = try writeCheckpoint(db, state, position: position, appliedSuppression: appliedSuppression,
                                             written: &w, extras: extras, campaigns: part, began: began)
            return (.written(report), w)
        }
        written = result.1
        return result.0
    }

    /// The checkpoint's writes inside the caller's transaction.
    func writeCheckpoint(_ db: Database, _ state: EngineState, position: LogPosition?, appliedSuppression: Int64,
                         written w: inout WrittenState, extras: CheckpointExtras, campaigns: CampaignsPart = .keep,
                         began: Date = Date()) throws -> CheckpointReport {
        // The file may have been rewritten by another process since (an erasure): trust `w` only when the
        // checkpoint sequence is still the one it describes.
        let fileSequence = try Int64.fetchOne(db, sql: "SELECT sequence FROM checkpoint WHERE id = 1") ?? 0
        let full = !w.valid || w.sequence != fileSequence || w.customerEvents.count > state.profiles.count
        if full {
            try db.execute(sql: "DELETE FROM customers; DELETE FROM names; DELETE FROM blobs WHERE name LIKE 'order_products.%'")
            w = WrittenState()
        }
        let changed = try writeCustomers(db, state, written: &w.customerEvents)
        try writeNames(db, state, written: &w.names)
        try writeBlobs(db, state, orderProductsWritten: &w.orderProducts)
        try writeExtras(db, extras)
        try writeCampaigns(db, campaigns)
        let sequence = fileSequence + 1
        try db.execute(sql: """
            INSERT OR REPLACE INTO checkpoint (id, written_at, sequence, log_path, log_device, log_inode, log_offset, log_line,
                fingerprint_bytes, fingerprint, session_gap_ms, max_line_bytes, dedup_window_ms, watermark_ms, customers, events,
                applied_suppression)
            VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                Self.now(), sequence, position?.path, position.map { Int64(bitPattern: $0.device) }, position.map { Int64(bitPattern: $0.inode) },
                position?.offset, position?.line, position?.fingerprintBytes, position.map { Int64(bitPattern: $0.fingerprint) },
                state.config.sessionGapMs, state.config.maxLineBytes, state.config.dedupWindowMs,
                state.stats.lastTimestamp == Int64.min ? nil : state.stats.lastTimestamp, state.profiles.count, state.stats.accepted,
                appliedSuppression,
            ])
        w.valid = true
        w.sequence = sequence
        return CheckpointReport(full: full, customersWritten: changed, customers: state.profiles.count,
                                events: state.stats.accepted, seconds: Date().timeIntervalSince(began), sequence: sequence)
    }

    private func writeCustomers(_ db: Database, _ s: EngineState, written: inout [UInt32]) throws -> Int {
        let insert = try RawStatement(db, """
            INSERT OR REPLACE INTO customers (id, key, first_seen_ms, last_seen_ms, events, sessions, orders, revenue, refunds,
                first_order_ms, last_order_ms, stage, page_views, product_views, cart_adds, cart_removes, checkouts,
                emails_delivered, email_opens, email_clicks, support_tickets, advocacy, sentiment_sum, sentiment_count, channels,
                traits_index, email, name, country, city, plan, timezone, age, email_opt_in, sms_opt_in, timeline, order_list)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let rules = StageRules()
        let now = s.stats.lastTimestamp
        let labelKeys = s.labels
        func label(_ id: UInt32) -> String? {
            guard id != UInt32.max, Int(id) < labelKeys.count else { return nil }
            return String(decoding: labelKeys.arena[Int(labelKeys.starts[Int(id)])..<Int(labelKeys.starts[Int(id) + 1])], as: UTF8.self)
        }
        var orderBytes = ByteWriter(capacity: 4096)
        var changed = 0
        written.reserveCapacity(s.profiles.count)
        try s.customers.arena.withUnsafeBytes { keys in
            for (c, p) in s.profiles.enumerated() {
                if c < written.count && written[c] == p.events { continue }
                changed += 1
                insert.bind(1, c)
                insert.bindText(2, UnsafeRawBufferPointer(rebasing: keys[Int(s.customers.starts[c])..<Int(s.customers.starts[c + 1])]))
                insert.bind(3, p.firstSeen == Int64.max ? nil : p.firstSeen)
                insert.bind(4, p.lastSeen == Int64.min ? nil : p.lastSeen)
                insert.bind(5, Int(p.events))
                insert.bind(6, Int(p.sessions))
                insert.bind(7, Int(p.orderCount))
                insert.bind(8, p.revenue)
                insert.bind(9, p.refunds)
                insert.bind(10, p.firstOrder == Int64.max ? nil : p.firstOrder)
                insert.bind(11, p.lastOrder == Int64.min ? nil : p.lastOrder)
                insert.bind(12, p.events > 0 ? rules.stage(p, now: now).label : nil)
                let counters = [p.pageViews, p.productViews, p.cartAdds, p.cartRemoves, p.checkouts, p.emailsDelivered,
                                p.emailOpens, p.emailClicks, p.supportTickets, p.advocacy]
                for (i, v) in counters.enumerated() { insert.bind(Int32(13 + i), Int(v)) }
                insert.bind(23, Double(p.sentimentSum))
                insert.bind(24, Int(p.sentimentCount))
                insert.bind(25, Int(p.channels))
                insert.bind(26, Int(p.traitsIndex))
                if p.traitsIndex > 0 && Int(p.traitsIndex) <= s.traits.count {
                    let t = s.traits[Int(p.traitsIndex) - 1]
                    insert.bind(27, t.email)
                    insert.bind(28, t.name)
                    insert.bind(29, label(t.country))
                    insert.bind(30, label(t.city))
                    insert.bind(31, label(t.plan))
                    insert.bind(32, label(t.timezone))
                    insert.bind(33, t.age == 0 ? nil : Int64(t.age))
                    insert.bind(34, Int(t.emailOptIn.rawValue))
                    insert.bind(35, Int(t.smsOptIn.rawValue))
                } else {
                    for i in Int32(27)...35 { insert.bindNull(i) }
                }
                orderBytes.removeAll()
                CheckpointBlobs.orders(p.orders, into: &orderBytes)
                // Bound without a copy: SQLite reads the bytes during the step, inside these closures.
                try p.timeline.withUnsafeBytes { timeline in
                    try orderBytes.bytes.withUnsafeBytes { orders in
                        insert.bindBlob(36, timeline, copy: false)
                        insert.bindBlob(37, orders, copy: false)
                        try insert.run()
                    }
                }
                if c < written.count { written[c] = p.events } else { written.append(p.events) }
            }
        }
        return changed
    }

    private func writeNames(_ db: Database, _ s: EngineState, written: inout [Int]) throws {
        let insert = try RawStatement(db, "INSERT OR REPLACE INTO names (kind, id, key) VALUES (?, ?, ?)")
        for (k, keys) in [s.eventNames, s.products, s.categories, s.labels].enumerated() {
            guard written[k] < keys.count else { continue }
            try keys.arena.withUnsafeBytes { bytes in
                for id in written[k]..<keys.count {
                    insert.bind(1, Self.nameKinds[k])
                    insert.bind(2, id)
                    insert.bindText(3, UnsafeRawBufferPointer(rebasing: bytes[Int(keys.starts[id])..<Int(keys.starts[id + 1])]))
                    try insert.run()
                }
            }
            written[k] = keys.count
        }
    }

    private func writeBlobs(_ db: Database, _ s: EngineState, orderProductsWritten: inout Int) throws {
        let put = try RawStatement(db, "INSERT OR REPLACE INTO blobs (name, data) VALUES (?, ?)")
        func blob(_ name: String, _ bytes: [UInt8]) throws {
            put.bind(1, name)
            bytes.withUnsafeBytes { put.bindBlob(2, $0) }
            try put.run()
        }
        try blob("stats", CheckpointBlobs.stats(s.stats))
        try blob("activity", CheckpointBlobs.activity(s.activity))
        try blob("dedup", CheckpointBlobs.dedup(s.dedup))
        try blob("recent_events", CheckpointBlobs.recentEvents(s.recentEvents, total: s.recentEventsTotal))
        try blob("product_category", CheckpointBlobs.uint32s(s.productCategory))
        try blob("last_event_name", [CheckpointBlobs.format, UInt8(s.lastEventName & 0xFF), UInt8(s.lastEventName >> 8)])
        // The order products only grow: rewrite the last chunk written and the new ones.
        let chunk = Self.orderProductsChunk
        var start = (orderProductsWritten / chunk) * chunk
        let all = s.orderProducts
        while start < all.count || (start == 0 && all.isEmpty) {
            let end = min(all.count, start + chunk)
            try blob("order_products.\(String(format: "%08d", start / chunk))", CheckpointBlobs.uint32s(Array(all[start..<end])))
            start = end
            if all.isEmpty { break }
        }
        orderProductsWritten = all.count
    }

    private func writeExtras(_ db: Database, _ extras: CheckpointExtras) throws {
        if !extras.models.isEmpty {
            try db.execute(sql: "DELETE FROM models")
            for m in extras.models {
                try db.execute(sql: "INSERT INTO models (name, fitted_at_ms, card) VALUES (?, ?, ?)", arguments: [m.name, m.fittedAt, m.card])
            }
        }
        for s in extras.segmentSizes {
            try db.execute(sql: "INSERT OR REPLACE INTO segment_sizes (time_ms, segment, size) VALUES (?, ?, ?)",
                           arguments: [s.time, s.segment, s.size])
        }
    }
}

/// What a checkpoint does with the campaign triggers' part.
enum CampaignsPart: Sendable {
    /// Leave the blob and the table as they are (a caller that knows nothing of campaigns).
    case keep
    /// No campaign state goes with this engine: remove the blob (the table's rows stay).
    case remove
    case write(CampaignsCheckpoint)
}

extension StateStore {
    /// Suppressed and held-out decisions kept in `campaign_suppressed` (the newest).
    public static let suppressedDecisionsKept = CampaignRunner.suppressedLogCapacity

    /// Writes the runner's blob and appends its suppressed decisions the table does not hold yet: those
    /// numbered after the sequence in the blob being replaced, when that blob is of the same runner epoch
    /// (all of them for a runner of another epoch: a fresh one); then prunes the table to its newest rows.
    func writeCampaigns(_ db: Database, _ part: CampaignsPart) throws {
        switch part {
        case .keep:
            return
        case .remove:
            try db.execute(sql: "DELETE FROM blobs WHERE name = 'campaigns'")
        case .write(let c):
            let head = try Data.fetchOne(db, sql: "SELECT substr(data, 1, ?) FROM blobs WHERE name = 'campaigns'",
                                         arguments: [CampaignRunnerState.headerBytes])
            var after = 0
            if let head, let h = CampaignRunnerState.header([UInt8](head)), h.epoch == c.epoch { after = h.suppressedSequence }
            let fresh = c.suppressed.drop { $0.sequence <= after }
            if !fresh.isEmpty {
                let insert = try RawStatement(db, """
                    INSERT INTO campaign_suppressed (action_id, trigger, customer, channel, template, cause_time_ms, send_time_ms,
                        reason, because) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for e in fresh {
                    let d = e.decision
                    insert.bind(1, d.id.description)
                    insert.bind(2, d.trigger)
                    insert.bind(3, d.customerKey)
                    insert.bind(4, d.channel.rawValue)
                    insert.bind(5, d.template)
                    insert.bind(6, d.causeTime)
                    insert.bind(7, d.sendTime)
                    insert.bind(8, d.suppressed?.rawValue ?? "")
                    insert.bind(9, d.because)
                    try insert.run()
                }
                try db.execute(sql: "DELETE FROM campaign_suppressed WHERE id <= (SELECT max(id) FROM campaign_suppressed) - ?",
                               arguments: [Self.suppressedDecisionsKept])
            }
            try db.execute(sql: "INSERT OR REPLACE INTO blobs (name, data) VALUES ('campaigns', ?)", arguments: [Data(c.state)])
        }
    }
}
