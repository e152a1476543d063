import Foundation
import Testing
import ForesightTestSupport

/// `funnel`, `paths` and `journey` on the fixture logs, against expected output.
@Suite struct JourneyCommandTests {
    static let fixture = HeadlessCommandTests.fixture
    /// The dashboard's fixture: more customers and sessions than small.jsonl.
    static let dashboardLog = HeadlessCommandTests.expectedDir.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ForesightUITests/Fixtures/dashboard.jsonl").path
    /// The bundled configuration (its journeys: section is the default one).
    static let config = HeadlessCommandTests.expectedDir.deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Data/foresight.yml").path

    func check(_ arguments: [String], expected name: String) throws {
        try HeadlessCommandTests().check(arguments + ["--config", Self.config, "--quarantine", "none"], expected: name)
    }

    @Test func funnelJSON() throws {
        try check(["funnel", Self.fixture, "--json"], expected: "funnel.json")
        try check(["funnel", Self.fixture, "--steps", "Page Viewed|Email Opened, Product Viewed|Order Completed, Order Completed",
                   "--window", "3d", "--json"], expected: "funnel-alternatives.json")
        try check(["funnel", Self.dashboardLog], expected: "funnel-dashboard.txt")
        let result = try ForesightBinary.run(["funnel", Self.fixture, "--json", "--config", Self.config, "--quarantine", "none"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let steps = try #require(object["steps"] as? [[String: Any]])
        #expect(steps.count == 4)
        for key in ["step", "users", "conversionFromPrevious", "conversionFromFirst"] {
            #expect(steps[0][key] != nil, "missing \(key)")
        }
        #expect(steps[1]["medianSecondsFromPrevious"] as? Double == 60)
    }

    @Test func badStepsAndUnknownNamesAreExplained() throws {
        let empty = try ForesightBinary.run(["funnel", Self.fixture, "--steps", "Product Viewed,,Order Completed", "--quarantine", "none"])
        #expect(empty.status != 0)
        #expect(empty.stderr.contains("step 2 is empty"), "\(empty.stderr)")
        let typo = try ForesightBinary.run(["funnel", Self.fixture, "--steps", "Product Viewed,Prodct Added", "--quarantine", "none"])
        #expect(typo.status != 0)
        #expect(typo.stderr.contains("did you mean 'Product Added'"), "\(typo.stderr)")
        let window = try ForesightBinary.run(["funnel", Self.fixture, "--window", "soon", "--quarantine", "none"])
        #expect(window.status != 0)
        #expect(window.stderr.contains("not a duration"), "\(window.stderr)")
    }

    @Test func pathsJSON() throws {
        try check(["paths", Self.fixture, "--json"], expected: "paths.json")
        try check(["paths", Self.dashboardLog, "--top", "5"], expected: "paths-dashboard.txt")
        let result = try ForesightBinary.run(["paths", Self.fixture, "--json", "--config", Self.config, "--quarantine", "none"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let transitions = try #require(object["transitions"] as? [[String: Any]])
        #expect(transitions.count == 9)
        for key in ["from", "to", "count", "probability"] { #expect(transitions[0][key] != nil, "missing \(key)") }
    }

    @Test func journeyJSON() throws {
        try check(["journey", Self.fixture, "alice", "--json"], expected: "journey-alice.json")
        try check(["journey", Self.fixture, "bob"], expected: "journey-bob.txt")
        let missing = try ForesightBinary.run(["journey", Self.fixture, "nobody", "--quarantine", "none"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no customer 'nobody'"), "\(missing.stderr)")
    }
}
