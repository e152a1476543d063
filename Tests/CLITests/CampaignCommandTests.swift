import Foundation
import Testing
import ForesightTestSupport

/// `foresight campaigns` on the bundled log with the triggers of Expected/campaigns.yml.
@Suite struct CampaignCommandTests {
    static var config: String { HeadlessCommandTests.expectedDir.appendingPathComponent("campaigns.yml").path }
    static var log: String {
        HeadlessCommandTests.expectedDir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Data/events.jsonl").path
    }

    func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try ForesightBinary.run(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func dryRunJSONHasEveryTriggerWithFiredHeldOutAndSuppressedByReason() throws {
        let args = ["campaigns", Self.log, "--dry-run", "--json", "--config", Self.config, "--quarantine", "none"]
        try HeadlessCommandTests().check(args, expected: "campaigns-dry-run.json")
        let object = try json(args)
        let triggers = try #require(object["triggers"] as? [[String: Any]])
        #expect(triggers.compactMap { $0["name"] as? String } == ["Abandoned cart", "Big order", "First purchase", "Quiet for two weeks"])
        for t in triggers {
            #expect(t["fired"] is Int && t["heldOut"] is Int && t["suppressed"] is [String: Int], "\(t)")
        }
        #expect(triggers.allSatisfy { ($0["fired"] as? Int ?? 0) > 0 }, "every trigger fires on the bundled log")
        let big = triggers[1]
        let held = Double(big["heldOut"] as? Int ?? 0), fired = Double(big["fired"] as? Int ?? 0)
        #expect(held / max(1, held + fired) > 0.1 && held / max(1, held + fired) < 0.3, "20% control: \(held) of \(held + fired)")
        #expect(object["dryRun"] as? Bool == true && object["written"] == nil)
    }

    @Test func aRangeCountsOnlyItsCausesAndTheTextNamesTheReasons() throws {
        let all = try json(["campaigns", Self.log, "--dry-run", "--json", "--config", Self.config, "--quarantine", "none"])
        let part = try json(["campaigns", Self.log, "--dry-run", "--json", "--config", Self.config, "--quarantine", "none",
                             "--from", "2026-10-01", "--to", "2026-10-15"])
        let a = try #require(all["fired"] as? Int), p = try #require(part["fired"] as? Int)
        #expect(p > 0 && p < a)
        #expect(part["from"] as? String == "2026-10-01T00:00:00.000Z")
        try HeadlessCommandTests().check(["campaigns", Self.log, "--dry-run", "--config", Self.config, "--quarantine", "none"],
                                         expected: "campaigns-dry-run.txt")
    }

    /// The bundled configuration on the bundled log: every trigger fires, the score trigger too (its score runs
    /// come every 14 days of event time, however few lines those days hold).
    @Test func everyBundledTriggerFiresOnTheBundledLog() throws {
        let bundled = URL(fileURLWithPath: Self.log).deletingLastPathComponent().appendingPathComponent("foresight.yml").path
        let object = try json(["campaigns", Self.log, "--dry-run", "--json", "--config", bundled, "--quarantine", "none", "--no-state"])
        let triggers = try #require(object["triggers"] as? [[String: Any]])
        #expect(triggers.count == 5)
        for t in triggers { #expect((t["fired"] as? Int ?? 0) > 0, "\(t["name"] ?? "?") fires") }
    }

    @Test func theDryRunsCSVHasOneRowPerTriggerWithTheJSONsNumbers() throws {
        let args = ["campaigns", Self.log, "--dry-run", "--config", Self.config, "--quarantine", "none"]
        try HeadlessCommandTests().check(args + ["--csv"], expected: "campaigns-dry-run.csv")
        let result = try ForesightBinary.run(args + ["--csv"])
        let rows = result.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try #require(rows.first)
        let object = try json(args + ["--json"])
        let triggers = try #require(object["triggers"] as? [[String: Any]])
        #expect(rows.count == 1 + triggers.count)
        func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name), "\(name) in \(header)") }
        let (name, fired, held, cooldown) = (try column("trigger"), try column("fired"), try column("held_out"), try column("suppressed_cooldown"))
        for (row, t) in zip(rows.dropFirst(), triggers) {
            #expect(row.count == header.count)
            #expect(row[name] == t["name"] as? String)
            #expect(Int(row[fired]) == t["fired"] as? Int && Int(row[held]) == t["heldOut"] as? Int)
            #expect(Int(row[cooldown]) == ((t["suppressed"] as? [String: Int])?["cooldown"] ?? 0))
        }
        let both = try ForesightBinary.run(args + ["--csv", "--json"])
        #expect(both.status != 0 && both.stderr.contains("--csv"))
    }

    @Test func theOutboxGetsEachMessageOnceOverTwoRuns() throws {
        let dir = try TemporaryDirectory()
        let out = dir.file("outbox.jsonl"), spared = dir.file("spared.jsonl")
        let args = ["campaigns", Self.log, "--outbox", out, "--suppressed", spared, "--json", "--config", Self.config, "--quarantine", "none"]
        let first = try json(args)
        let written = try #require(first["written"] as? Int)
        #expect(written == first["fired"] as? Int)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == written)
        let ids = try lines.map { line -> String in
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(o["trigger"] is String && o["customer"] is String && o["channel"] is String && o["template"] is String
                    && o["payload"] is [String: Any] && o["eventTime"] is String && o["sendAt"] is String)
            return try #require(o["id"] as? String)
        }
        #expect(Set(ids).count == ids.count)
        let sparedLines = try String(contentsOfFile: spared, encoding: .utf8).split(separator: "\n")
        #expect(sparedLines.allSatisfy { $0.contains("\"suppressed\":") })
        #expect(sparedLines.count == (first["heldOut"] as? Int ?? 0) + (first["suppressed"] as? Int ?? 0))
        // The second run decides the same and writes nothing, to the outbox nor to the suppressed file.
        let second = try json(args)
        #expect(second["written"] as? Int == 0 && second["fired"] as? Int == first["fired"] as? Int)
        #expect(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").count == written)
        #expect(try String(contentsOfFile: spared, encoding: .utf8).split(separator: "\n") == sparedLines)
    }

    @Test func anErasedCustomerIsNeverMessaged() throws {
        let dir = try TemporaryDirectory()
        let log = dir.file("events.jsonl")
        try FileManager.default.copyItem(atPath: Self.log, toPath: log)
        let before = dir.file("before.jsonl"), after = dir.file("after.jsonl")
        let args = { (out: String) in ["campaigns", log, "--outbox", out, "--config", Self.config, "--quarantine", "none"] }
        #expect(try ForesightBinary.run(args(before)).status == 0)
        #expect(try String(contentsOfFile: before, encoding: .utf8).contains("\"customer\":\"u0000463\""))
        let forget = try ForesightBinary.run(["forget", "u0000463", "--log", log, "--by", "test"])
        #expect(forget.status == 0, "\(forget.stderr)")
        #expect(try ForesightBinary.run(args(after)).status == 0)
        let text = try String(contentsOfFile: after, encoding: .utf8)
        #expect(!text.contains("u0000463") && !text.isEmpty)
    }

    @Test func badOptionsAndABadTriggerSayWhatAndWhere() throws {
        let neither = try ForesightBinary.run(["campaigns", Self.log, "--config", Self.config, "--quarantine", "none"])
        #expect(neither.status != 0 && neither.stderr.contains("--dry-run"))
        let dir = try TemporaryDirectory()
        let bad = dir.file("bad.yml")
        try "triggers:\n  - name: X\n    on: Order Completed\n    channel: fax\n    template: t\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let result = try ForesightBinary.run(["campaigns", Self.log, "--dry-run", "--config", bad, "--quarantine", "none"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("bad.yml:4:14: trigger 'X': unknown channel 'fax'"), "\(result.stderr)")
    }
}
