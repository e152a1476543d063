import Foundation
import Testing
import ForesightTestSupport

/// The headless commands on a fixture log, against expected output files (lnav-style `expected/`).
/// Re-record with FORESIGHT_RECORD_SNAPSHOTS=1 and read the diff before committing it.
@Suite struct HeadlessCommandTests {
    static let expectedDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Expected")
    static var fixture: String { expectedDir.appendingPathComponent("small.jsonl").path }

    func check(_ arguments: [String], expected name: String, status: Int32 = 0) throws {
        var result = try ForesightBinary.run(arguments)
        #expect(result.status == status, "\(arguments): \(result.stderr)")
        // The fixture's absolute path depends on the checkout.
        result.stdout = result.stdout.replacingOccurrences(of: Self.fixture, with: "small.jsonl")
        let url = Self.expectedDir.appendingPathComponent(name)
        let record = ProcessInfo.processInfo.environment["FORESIGHT_RECORD_SNAPSHOTS"] == "1"
        if record || !FileManager.default.fileExists(atPath: url.path) {
            try result.stdout.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(result.stdout == expected, "output of \(arguments.joined(separator: " ")) differs from \(name):\n\(Snapshot.lineDiff(expected: expected, actual: result.stdout))")
    }

    @Test func reportJSON() throws {
        try check(["report", Self.fixture, "--json", "--quarantine", "none", "--no-state"], expected: "report.json")
    }

    @Test func reportJSONHasTheContractKeys() throws {
        let result = try ForesightBinary.run(["report", Self.fixture, "--json", "--quarantine", "none", "--no-state"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        for key in ["events", "customers", "duplicates", "rejected", "rejectedByReason", "eventsByName", "orders", "revenue",
                    "firstTimestamp", "lastTimestamp"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["events"] as? Int == 15)
        #expect(object["duplicates"] as? Int == 1)
        #expect(object["rejected"] as? Int == 3)
        #expect(object["revenue"] as? Double == 165)
        #expect((object["rejectedByReason"] as? [String: Int])?["invalid_json"] == 1)
    }

    @Test func reportText() throws {
        try check(["report", Self.fixture, "--quarantine", "none", "--no-state"], expected: "report.txt")
    }

    @Test func customersCSVAndJSON() throws {
        try check(["customers", Self.fixture, "--csv", "--quarantine", "none"], expected: "customers.csv")
        try check(["customers", Self.fixture, "--json", "--sort", "lastSeen", "--quarantine", "none"], expected: "customers-by-last-seen.json")
    }

    @Test func oneCustomer() throws {
        try check(["customer", Self.fixture, "alice", "--json", "--quarantine", "none"], expected: "customer-alice.json")
        let missing = try ForesightBinary.run(["customer", Self.fixture, "nobody", "--quarantine", "none"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("No customer 'nobody'"))
    }

    @Test func standardInputIsALog() throws {
        let text = try String(contentsOfFile: Self.fixture, encoding: .utf8)
        let result = try ForesightBinary.run(["report", "-", "--json", "--quarantine", "none"], stdin: text)
        #expect(result.status == 0)
        let expected = try String(contentsOf: Self.expectedDir.appendingPathComponent("report.json"), encoding: .utf8)
        #expect(result.stdout == expected)
    }

    @Test func rejectedLinesGoToTheQuarantineFileWithTheirOffsets() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let quarantine = dir.file("q.jsonl")
        // Without a state file: a run resumed from a checkpoint does not read (nor quarantine) the lines again.
        let result = try ForesightBinary.run(["report", Self.fixture, "--quarantine", quarantine, "--no-state"])
        #expect(result.status == 0)
        let lines = try String(contentsOfFile: quarantine, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(first["reason"] as? String == "invalid_json")
        #expect(first["line"] as? Int == 16)
        #expect(first["text"] as? String == "this is not json")
        // The offset points at the line in the log.
        let log = try Data(contentsOf: URL(fileURLWithPath: Self.fixture))
        let offset = try #require(first["offset"] as? Int)
        #expect(String(decoding: log[offset..<offset + 16], as: UTF8.self) == "this is not json")
    }

    @Test func missingFileSaysWhatAndWhatToDo() throws {
        let result = try ForesightBinary.run(["report", "/nonexistent/events.jsonl"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no such file"))
        #expect(result.stderr.contains("/nonexistent/events.jsonl"))
    }

    @Test func generatorIsDeterministic() throws {
        let a = try ForesightBinary.run(["generate", "--customers", "50", "--days", "5", "--seed", "9", "--out", "-"])
        let b = try ForesightBinary.run(["generate", "--customers", "50", "--days", "5", "--seed", "9", "--out", "-"])
        #expect(a.status == 0)
        #expect(!a.stdout.isEmpty)
        #expect(a.stdout == b.stdout)
    }

    /// The flag's output shape and counts only: timings are not checked in tests.
    @Test func benchSegmentsReplaysWithAndWithoutSegments() throws {
        let result = try ForesightBinary.run(["bench", Self.fixture, "--segments", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["ruleSegments"] as? Int == 20 && json["runs"] as? Int == 3)
        let without = try #require(json["without"] as? [String: Any]), with = try #require(json["with"] as? [String: Any])
        #expect((without["events"] as? Int ?? 0) > 0 && without["events"] as? Int == with["events"] as? Int)
        #expect(without["changes"] as? Int == 0 && (with["changes"] as? Int ?? 0) > 0)
        #expect(json["ratio"] is Double)
        let population = try #require(json["population"] as? [String: Any])
        #expect(population["customers"] as? Int == without["customers"] as? Int)
    }
}

@Suite struct SegmentCommandTests {
    static var config: String { HeadlessCommandTests.expectedDir.appendingPathComponent("segments.yml").path }

    @Test func segmentsJSONListsRulesRFMAndClustersAndLocatesTheBadRule() throws {
        try HeadlessCommandTests().check(["segments", HeadlessCommandTests.fixture, "--config", Self.config, "--json", "--quarantine", "none"],
                                         expected: "segments.json")
        let result = try ForesightBinary.run(["segments", HeadlessCommandTests.fixture, "--config", Self.config, "--json", "--quarantine", "none"])
        #expect(result.stderr.contains("segments.yml:11:"), "problem not located: \(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let rows = try #require(object["segments"] as? [[String: Any]])
        let names = rows.compactMap { $0["name"] as? String }
        #expect(names.prefix(3) == ["Buyers", "Active this week", "Browsers"])
        #expect(!names.contains("Broken"))
        #expect(names.contains("Champions") && names.contains("Lost"))
        #expect(rows.contains { $0["kind"] as? String == "cluster" })
        for key in ["name", "kind", "definition", "size", "share"] { #expect(rows.allSatisfy { $0[key] != nil }, "missing \(key)") }
    }

    @Test func exportPrintsTheMembersWithScores() throws {
        try HeadlessCommandTests().check(["export", HeadlessCommandTests.fixture, "--config", Self.config, "--segment", "Buyers", "--csv",
                                          "--quarantine", "none"], expected: "export-buyers.csv")
        let missing = try ForesightBinary.run(["export", HeadlessCommandTests.fixture, "--config", Self.config, "--segment", "Nobody",
                                               "--quarantine", "none"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("No segment is named \"Nobody\"") && missing.stderr.contains("Buyers"))
    }

    @Test func anUnreadableConfigurationIsAnError() throws {
        let result = try ForesightBinary.run(["segments", HeadlessCommandTests.fixture, "--config", "/nonexistent/foresight.yml",
                                              "--quarantine", "none"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent/foresight.yml"))
    }
}
