import Foundation
import GRDB
import Testing
import ForesightCore
import ForesightTestSupport
@testable import ForesightStore

/// Opening state files: schema migration from the previous version, newer and foreign files, damage.
@Suite struct StateFileTests {
    /// A state file with a checkpoint of the whole fixture.
    func writtenState(_ path: String) throws -> IngestPipeline {
        let pipeline = replayed(StoreFixture.log[...])
        var engine = pipeline.engine
        var written = WrittenState()
        _ = try StateStore(path: path).writeCheckpoint(engine.exportState(), position: position(offset: StoreFixture.log.count, line: 99),
                                                      appliedSuppression: 0, written: &written)
        return pipeline
    }

    @Test func aVersion1FileIsMigratedAndItsCheckpointKept() throws {
        let dir = try TemporaryDirectory("store-migrate")
        defer { dir.cleanup() }
        let path = dir.file("v1.sqlite")
        let pipeline = try writtenState(path)
        // Turn the file into what version 1 wrote: no erasure tables, no applied_suppression column.
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                DROP TABLE suppression; DROP TABLE erasures; ALTER TABLE checkpoint DROP COLUMN applied_suppression;
                DROP TABLE campaign_suppressed;
                DELETE FROM grdb_migrations WHERE identifier IN ('v2-erasure', 'v3-campaigns'); PRAGMA user_version = 1;
                """)
        }
        try queue.close()
        let store = try StateStore(path: path)
        let info = try store.info()
        #expect(info.schemaVersion == 3)
        #expect(info.schemaSteps == ["v1-checkpoint", "v2-erasure", "v3-campaigns"])
        #expect(info.suppressedDecisions == 0)
        let loaded = try #require(try store.loadCheckpoint())
        #expect(try reportJSON(loaded.engine) == reportJSON(pipeline.engine))
        #expect(try store.forget(customerID: "u000001", by: "test").auditID == 1)
    }

    @Test func aNewerFileIsRefusedWithAMessage() throws {
        let dir = try TemporaryDirectory("store-newer")
        defer { dir.cleanup() }
        let path = dir.file("new.sqlite")
        _ = try StateStore(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v3-journeys')") }
        try queue.close()
        let error = #expect(throws: StoreError.self) { try StateStore(path: path) }
        #expect(error == .newerSchema(path: path, unknown: ["v3-journeys"]))
        #expect(error?.description.contains("newer Foresight") == true)
    }

    @Test func aFileThatIsNotAStateIsRefused() throws {
        let dir = try TemporaryDirectory("store-foreign")
        defer { dir.cleanup() }
        let garbage = dir.file("garbage.sqlite")
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: garbage))
        #expect(throws: StoreError.self) { try StateStore(path: garbage) }
        let other = dir.file("other.sqlite")
        let queue = try DatabaseQueue(path: other)
        try queue.write { db in try db.execute(sql: "CREATE TABLE invoices (id INTEGER)") }
        try queue.close()
        let error = #expect(throws: StoreError.self) { try StateStore(path: other) }
        #expect(error?.description.contains("not a Foresight state file") == true)
    }

    @Test func aDamagedCheckpointIsReportedNotTrapped() throws {
        let dir = try TemporaryDirectory("store-damaged")
        defer { dir.cleanup() }
        let path = dir.file("d.sqlite")
        _ = try writtenState(path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "UPDATE blobs SET data = x'0102' WHERE name = 'stats'")
            try db.execute(sql: "UPDATE customers SET timeline = x'00112233' WHERE id = 3")
        }
        try queue.close()
        let error = #expect(throws: StoreError.self) { try StateStore(path: path).loadCheckpoint() }
        #expect(error?.description.contains("damaged") == true)
    }
}
