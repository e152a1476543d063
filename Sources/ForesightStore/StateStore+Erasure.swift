import ForesightCore
import Foundation
import GRDB

/// What `foresight forget` did.
public struct ForgetReport: Sendable, Equatable, Codable {
    /// Profiles removed from the checkpoint (0 when the id was not in it: it is suppressed all the same).
    public var profilesRemoved: Int
    /// Their events, taken out of the counters.
    public var eventsRemoved: Int
    /// Customers left in the checkpoint.
    public var customersLeft: Int
    /// Whether the key was already suppressed (erased before).
    public var alreadySuppressed: Bool
    /// The audit row written.
    public var auditID: Int64
}

extension StateStore {
    /// Erases a customer from the state (GDPR): removes her profile, timeline, traits and orders from the
    /// checkpoint (rewritten without her, the counters without her events), adds her key's hash to the
    /// suppression list so that her later events and a replay of the old log are dropped, and writes an audit
    /// row (time, SHA-256 of the id, who). All in one transaction; a dashboard running on the same state picks
    /// the erasure up within a second and refuses to write a checkpoint until it has applied it.
    /// - Parameters:
    ///   - customerID: the `userId` (or `anonymousId`) as it appears in the log.
    ///   - by: who asked (recorded in the audit table).
    public func forget(customerID: String, by: String) throws(StoreError) -> ForgetReport {
        let hash = SuppressionList.hash(customerID)
        let digest = SHA256.hex(SHA256.hash(Array(customerID.utf8)))
        // Deleted rows are overwritten with zeros instead of lingering in free pages.
        _ = try? queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA secure_delete = ON") }
        for _ in 0..<10 {
            // Loaded outside the transaction (a second or so for 400k customers); the write below checks
            // that no other checkpoint landed meanwhile, and starts over if one did.
            let loaded = try loadCheckpoint()
            let pending = try pendingErasures(after: loaded?.appliedSuppression ?? 0)
            var engine = loaded?.engine
            var campaigns = loaded?.campaigns
            if let before = engine?.forget(keyHashes: pending.keyHashes) { campaigns?.customersErased(before.ids) }
            let erasure = engine?.forget(keyHashes: [hash])
            if let erasure { campaigns?.customersErased(erasure.ids) }
            let result = try write { db -> ForgetReport? in
                let sequence = try Int64.fetchOne(db, sql: "SELECT sequence FROM checkpoint WHERE id = 1")
                guard sequence == loaded?.sequence else { return nil }
                let existing = try Int64.fetchOne(db, sql: "SELECT id FROM suppression WHERE key_hash = ?", arguments: [Int64(bitPattern: hash)])
                if existing == nil {
                    try db.execute(sql: "INSERT INTO suppression (key_hash, added_at) VALUES (?, ?)",
                                   arguments: [Int64(bitPattern: hash), Self.now()])
                }
                let applied = try Int64.fetchOne(db, sql: "SELECT max(id) FROM suppression") ?? 0
                let removed = erasure?.ids.count ?? 0
                if var engine, let loaded {
                    var written = WrittenState()
                    // Her campaign decisions go with her: from the runner's state (timers, waits, caps, feeds), the
                    // sequence kept so that the next checkpoint appends no row twice.
                    let part = campaigns.map {
                        CampaignsPart.write(CampaignsCheckpoint(state: $0.encoded(), epoch: $0.epoch, sequence: $0.suppressedSequence, suppressed: []))
                    } ?? .keep
                    _ = try writeCheckpoint(db, engine.exportState(), position: loaded.position, appliedSuppression: applied,
                                            written: &written, extras: CheckpointExtras(), campaigns: part)
                }
                try db.execute(sql: "DELETE FROM campaign_suppressed WHERE customer = ?", arguments: [customerID])
                try db.execute(sql: """
                    INSERT INTO erasures (erased_at, id_sha256, erased_by, profiles_removed, events_removed) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [Self.now(), digest, by, removed, erasure?.events ?? 0])
                return ForgetReport(profilesRemoved: removed, eventsRemoved: erasure?.events ?? 0,
                                    customersLeft: engine?.profiles.count ?? 0, alreadySuppressed: existing != nil,
                                    auditID: db.lastInsertedRowID)
            }
            if let result {
                compactLog()
                return result
            }
        }
        throw StoreError.sqlite("another process kept writing checkpoints; try again")
    }
}
