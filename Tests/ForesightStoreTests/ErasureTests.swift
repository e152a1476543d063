import Foundation
import GRDB
import Testing
import ForesightCore
import ForesightSim
import ForesightTestSupport
@testable import ForesightStore

/// `foresight forget`: gone from the state and every output, gone after a restart and after a full replay,
/// the audit row written; picked up by a running ingest.
@Suite struct ErasureTests {
    static let bytes = Generator.generate(GeneratorOptions(customers: 800, days: 30, seed: 12, badRate: 0.005, duplicateRate: 0.01)).bytes

    /// The customer with the most orders.
    static let victim: String = {
        let e = replayed(bytes[...]).engine
        let c = e.profiles.indices.max { e.profiles[$0].orderCount < e.profiles[$1].orderCount } ?? 0
        return e.customers.string(UInt32(c))
    }()

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The figures a replay that never saw the customer must share with the erased state.
    static let compared = ["customers", "events", "orders", "revenue", "refunds", "buyers", "repeatBuyers", "sessions",
                           "identifiedCustomers", "eventsByName", "eventsByChannel", "activity", "averageOrderValue", "rejected"]

    @Test func forgottenEverywhereAndAfterRestartAndReplay() throws {
        let dir = try TemporaryDirectory("erasure")
        defer { dir.cleanup() }
        let log = dir.file("events.jsonl"), state = dir.file("s.sqlite")
        try Data(Self.bytes).write(to: URL(fileURLWithPath: log))
        let q = ["--quarantine", "none"]
        let before = try json(try ForesightBinary.run(["report", log, "--json", "--state", state] + q).stdout)
        #expect(try ForesightBinary.run(["customer", log, Self.victim, "--state", state] + q).status == 0)

        let forget = try ForesightBinary.run(["forget", Self.victim, "--state", state, "--by", "dpo@example.com"])
        #expect(forget.status == 0, "\(forget.stderr)")
        #expect(forget.stdout.contains("Erased \(Self.victim)"))

        // The state file: no row, no key, an audit row with the id's hash and who.
        let queue = try DatabaseQueue(path: state)
        try queue.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM customers WHERE key = ?", arguments: [Self.victim]) == 0)
            let audit = try #require(try Row.fetchOne(db, sql: "SELECT * FROM erasures"))
            #expect(audit["erased_by"] == "dpo@example.com")
            #expect(audit["id_sha256"] == SHA256.hex(SHA256.hash(Array(Self.victim.utf8))))
            #expect((audit["profiles_removed"] as Int?) == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM suppression") == 1)
        }
        try queue.close()

        // Every output reading that state: gone.
        let one = try ForesightBinary.run(["customer", log, Self.victim, "--state", state] + q)
        #expect(one.status != 0 && one.stderr.contains("No customer"))
        let table = try ForesightBinary.run(["customers", log, "--csv", "--state", state] + q)
        #expect(table.status == 0 && !table.stdout.contains(Self.victim + ","))
        // (scores, segments and export read the log through the same path; scores takes 20 s in a debug build.)
        let search = try ForesightBinary.run(["customers", log, "--json", "--search", Self.victim, "--state", state] + q)
        #expect(search.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]" || !search.stdout.contains("\"\(Self.victim)\""))

        // Restart from the rewritten checkpoint.
        let after = try json(try ForesightBinary.run(["report", log, "--json", "--state", state] + q).stdout)
        #expect(after["customers"] as? Int == (before["customers"] as? Int ?? 0) - 1)
        #expect((after["events"] as? Int ?? 0) < (before["events"] as? Int ?? 0))

        // A full replay of the old log with the suppression list: her events dropped, counted as suppressed.
        let fresh = dir.file("fresh.sqlite")
        #expect(try ForesightBinary.run(["forget", Self.victim, "--state", fresh]).status == 0)
        let replay = try json(try ForesightBinary.run(["report", log, "--json", "--state", fresh] + q).stdout)
        #expect((replay["suppressed"] as? Int ?? 0) > 0)
        for key in Self.compared {
            #expect(NSDictionary(dictionary: ["v": replay[key] ?? 0]) == NSDictionary(dictionary: ["v": after[key] ?? 0]), "\(key) differs")
        }
        #expect(try ForesightBinary.run(["customer", log, Self.victim, "--state", fresh] + q).status != 0)

        // Her later events are suppressed and never re-create the profile.
        let line = "{\"type\":\"track\",\"event\":\"Product Viewed\",\"userId\":\"\(Self.victim)\",\"timestamp\":\"2030-01-01T00:00:00Z\"}\n"
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try h.seekToEnd()
        try h.write(contentsOf: Data(line.utf8))
        try h.close()
        let later = try json(try ForesightBinary.run(["report", log, "--json", "--state", state] + q).stdout)
        #expect(later["suppressed"] as? Int == 1)
        #expect(later["customers"] as? Int == after["customers"] as? Int)
        let info = try ForesightBinary.run(["state", "info", "--state", state, "--json"])
        #expect(try json(info.stdout)["erasures"] as? Int == 1)
    }

    @Test func aRunningIngestPicksTheErasureUp() throws {
        let dir = try TemporaryDirectory("erasure-live")
        defer { dir.cleanup() }
        let log = dir.file("events.jsonl"), path = dir.file("s.sqlite")
        try Data(Self.bytes).write(to: URL(fileURLWithPath: log))
        let store = try StateStore(path: path)
        let ingestor = LiveIngestor(path: log, pipeline: IngestPipeline(sourceName: log), quarantinePath: nil)
        let checkpointer = Checkpointer(store: store, ingestor: ingestor, interval: 0.05)
        ingestor.start()
        checkpointer.start()
        defer { ingestor.stop() }
        // Generous deadlines: the whole suite runs in parallel on two cores.
        var deadline = Date().addingTimeInterval(60)
        while ingestor.progress.replaying && Date() < deadline { usleep(10_000) }
        let accepted = ingestor.read { $0.engine.stats.accepted }
        while checkpointer.current.last?.events != accepted && Date() < deadline { usleep(10_000) }
        #expect(checkpointer.current.last?.events == accepted, "no checkpoint of the whole log")
        #expect(ingestor.read { $0.engine.customers.lookup(Self.victim) } != nil)

        // Another process (another connection to the same file) erases her.
        let report = try StateStore(path: path).forget(customerID: Self.victim, by: "test")
        #expect(report.profilesRemoved == 1)
        deadline = Date().addingTimeInterval(30)
        while ingestor.read({ $0.engine.customers.lookup(Self.victim) }) != nil && Date() < deadline { usleep(20_000) }
        #expect(ingestor.read { $0.engine.customers.lookup(Self.victim) } == nil, "the erasure was not picked up")
        #expect(ingestor.read { $0.engine.suppressedKeys.contains(key: Self.victim) })
        // The status is updated just after the engine.
        while checkpointer.current.erasuresApplied == 0 && Date() < deadline { usleep(5_000) }
        #expect(checkpointer.current.erasuresApplied == 1)
        checkpointer.stop()
        let loaded = try #require(try store.loadCheckpoint())
        #expect(loaded.engine.customers.lookup(Self.victim) == nil)
        #expect(loaded.appliedSuppression == 1)
        let live = ingestor.read { $0.engine }
        #expect(try reportJSON(loaded.engine) == reportJSON(live))
    }
}
