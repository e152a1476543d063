import ForesightCore
import Foundation
import GRDB

/// What `foresight state info` prints.
public struct StateInfo: Sendable, Equatable, Codable {
    public var path: String
    /// Bytes of the database file and its write-ahead log.
    public var bytes: Int64
    public var schemaVersion: Int
    public var schemaSteps: [String]
    public var customers: Int?
    public var events: Int?
    /// The checkpoint: when (wall clock, UTC), its number, the log and the offset of the next line.
    public var checkpointAt: String?
    public var checkpointSequence: Int64?
    public var logPath: String?
    public var logOffset: Int64?
    public var logLine: Int?
    /// The newest event time in the checkpoint (ISO-8601 UTC).
    public var watermark: String?
    public var erasures: Int
    public var suppressedKeys: Int
    /// Rows of `campaign_suppressed`: the suppressed and held-out campaign decisions kept.
    public var suppressedDecisions: Int
    /// Whether the checkpoint holds the campaign triggers' state.
    public var campaignState: Bool
}

extension StateStore {
    /// The file's size, schema version, and what its checkpoint holds.
    public func info() throws(StoreError) -> StateInfo {
        let size = [path, path + "-wal"].reduce(Int64(0)) { total, p in
            total + ((try? FileManager.default.attributesOfItem(atPath: p)[.size] as? NSNumber)?.int64Value ?? 0)
        }
        return try read { db in
            let row = try Row.fetchOne(db, sql: "SELECT * FROM checkpoint WHERE id = 1")
            return StateInfo(
                path: path, bytes: size, schemaVersion: try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                schemaSteps: try StateSchema.migrator().appliedIdentifiers(db).sorted(),
                customers: row?["customers"], events: row?["events"], checkpointAt: row?["written_at"],
                checkpointSequence: row?["sequence"], logPath: row?["log_path"], logOffset: row?["log_offset"], logLine: row?["log_line"],
                watermark: (row?["watermark_ms"] as Int64?).map { Timestamp.iso8601($0) },
                erasures: try Int.fetchOne(db, sql: "SELECT count(*) FROM erasures") ?? 0,
                suppressedKeys: try Int.fetchOne(db, sql: "SELECT count(*) FROM suppression") ?? 0,
                suppressedDecisions: try Int.fetchOne(db, sql: "SELECT count(*) FROM campaign_suppressed") ?? 0,
                campaignState: try Int.fetchOne(db, sql: "SELECT count(*) FROM blobs WHERE name = 'campaigns'") ?? 0 > 0)
        }
    }
}

extension StateStore {
    /// The secret key of `--redact` pseudonyms kept in this state file (32 random bytes, created on first use),
    /// so that a customer gets the same pseudonym in every export and on every screen over this state.
    public func redactionKey() throws(StoreError) -> [UInt8] {
        try write { db -> [UInt8] in
            if let data = try Data.fetchOne(db, sql: "SELECT data FROM blobs WHERE name = 'redaction_key'") { return [UInt8](data) }
            var key = [UInt8](repeating: 0, count: 32)
            var rng = SystemRandomNumberGenerator()
            for i in key.indices { key[i] = UInt8.random(in: 0...255, using: &rng) }
            try db.execute(sql: "INSERT INTO blobs (name, data) VALUES ('redaction_key', ?)", arguments: [Data(key)])
            return key
        }
    }
}
