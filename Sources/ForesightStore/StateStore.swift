import ForesightCore
import Foundation
import GRDB

/// A Foresight state file: an SQLite database (WAL mode) holding the latest checkpoint of the engine and the
/// position in the log it reflects, the suppression list of erased customers and the erasure audit.
///
/// One value per process is enough; it is safe to use from several threads (GRDB serializes access) and from
/// several processes at once (a dashboard writing checkpoints while `foresight forget` erases a customer).
public final class StateStore: Sendable {
    /// The file's path.
    public let path: String
    let queue: DatabaseQueue

    /// The default state file of a log: `FILE.foresight.sqlite` next to it.
    public static func defaultPath(forLog log: String) -> String { log + ".foresight.sqlite" }

    /// Opens (creating when missing) and upgrades a state file.
    /// - Throws: ``StoreError`` when the file cannot be opened, is not a state file, or is newer than this build.
    public init(path: String) throws(StoreError) {
        self.path = path
        var config = Configuration()
        // A checkpoint transaction of 400k customers takes a second or two; an erasure waits for it.
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in
            // The WAL is moved into the database file by `mergeLog()` after a checkpoint, off its transaction
            // (a full checkpoint of 400k customers writes 250 MB: merging it at commit doubled the commit's time).
            try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -131072; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: Self.reason(error))
        }
        // Two processes creating the same file at once: the second's step fails ("table exists") once the
        // first committed it; reading the applied steps again then finds nothing left to do.
        var attempt = 0
        while true {
            do {
                try migrate()
                return
            } catch StoreError.notAState(_, let reason) where attempt < 3 && reason.contains("already exists") {
                attempt += 1
                usleep(50_000)
            }
        }
    }

    private func migrate() throws(StoreError) {
        let migrator = StateSchema.migrator()
        do {
            let applied = try queue.read { db -> Set<String> in
                guard try db.tableExists("grdb_migrations") else {
                    let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                    if !tables.isEmpty { throw StoreError.notAState(path: path, reason: "it holds tables \(tables.prefix(3).joined(separator: ", ")) but no Foresight schema") }
                    return []
                }
                return try migrator.appliedIdentifiers(db)
            }
            let unknown = applied.subtracting(StateSchema.steps).sorted()
            if !unknown.isEmpty { throw StoreError.newerSchema(path: path, unknown: unknown) }
            try migrator.migrate(queue)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.notAState(path: path, reason: Self.reason(error))
        }
    }

    /// Runs `body` in one write transaction, started at once (so that two processes never both hold a
    /// read snapshot they then try to write from).
    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw StoreError.sqlite("transaction ended without a result") }
                return result
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.sqlite(Self.reason(error))
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.sqlite(Self.reason(error))
        }
    }

    /// Moves the write-ahead log into the database file (after each checkpoint, on the checkpointer's thread).
    /// Passive: it never waits for readers (a reader of an older snapshot makes it stop short, and the next
    /// call finishes); the `-wal` file is cut back to 64 MiB when it is next reset (`journal_size_limit`).
    public func compactLog() {
        _ = try? queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
    }

    static func reason(_ error: any Error) -> String {
        if let db = error as? DatabaseError { return db.message ?? "\(db.resultCode)" }
        return "\(error)"
    }

    /// Now, as ISO-8601 UTC with milliseconds.
    static func now() -> String {
        Timestamp.iso8601(Int64(Date().timeIntervalSince1970 * 1000))
    }
}
