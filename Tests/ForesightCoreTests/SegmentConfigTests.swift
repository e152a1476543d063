import Foundation
import Testing
import ForesightCore

@Suite struct SegmentConfigTests {
    static let text = """
    segments:
      - name: Good
        rule: orders >= 2
      - name: Bad value
        rule: revenue >= and orders > 1
      - name: Quoted
        rule: "country = 3"
      - name: Block
        rule: |
          orders > 1 and
            revenue > "x"
      - name: Typo
        rule: recency_days < 7
        descripton: oops
      - name: Good
        rule: orders >= 1
      - name: Refers
        rule: segment("Missing") or orders > 5
      - name: Refers bad
        rule: segment("Bad value")
      - name: Loop A
        rule: segment("Loop B")
      - name: Loop B
        rule: orders > 1 and segment("Loop A")
      - name: Uses good
        rule: segment("Good") and not segment("Typo")
      - name: Top
        rule: orders > 9
    rfm:
      segments:
        - { name: Top, r: 5, fm: 1-5 }
        - { name: Bad, r: 0-2, fm: 1 }
    clusters:
      k: 20
      features: [recency, monetery, frequency]
    colors: red
    """

    /// 1-based line and column of `needle` on line `line` of the text.
    func at(_ line: Int, _ needle: String) -> (Int, Int) {
        let l = Self.text.split(separator: "\n", omittingEmptySubsequences: false)[line - 1]
        guard let r = l.range(of: needle) else { return (line, -1) }
        return (line, l.distance(from: l.startIndex, to: r.lowerBound) + 1)
    }

    @Test func problemsAreLocatedAndTheRestLoads() throws {
        let load = SegmentsConfiguration.parse(yaml: Self.text, file: "test.yml")
        #expect(load.isUsable)
        let c = load.configuration
        #expect(c.segments.map(\.name) == ["Good", "Typo", "Uses good"])
        #expect(c.locations.first?.line == 2)
        #expect(c.rfm.rules.map(\.name) == ["Top"])
        #expect(c.clusters.k == nil)
        #expect(c.clusters.features == [.recency, .frequency])
        let expected: [((Int, Int), String)] = [
            (at(5, "and orders"), "segment 'Bad value': expected a value after '>='"),
            (at(7, "3\""), "segment 'Quoted': 'country' is text and cannot be compared with a number; put the value in double quotes"),
            (at(11, "\"x\""), "segment 'Block': 'revenue' is a number and cannot be compared with text"),
            (at(14, "descripton"), "unknown field 'descripton' in a segment (expected name, rule, description); did you mean 'description'?"),
            (at(15, "Good"), "duplicate segment name 'Good' (first defined at line 2)"),
            (at(18, "segment("), "segment 'Refers' refers to segment(\"Missing\"), which is not defined"),
            (at(20, "segment("), "segment 'Refers bad' refers to segment(\"Bad value\"), which has a problem"),
            (at(22, "segment("), "segment 'Loop A' is in a reference cycle: Loop A → Loop B → Loop A"),
            (at(24, "segment("), "segment 'Loop B' is in a reference cycle: Loop A → Loop B → Loop A"),
            (at(27, "Top"), "segment 'Top' has the name of an RFM segment; pick another name"),
            (at(32, "0-2"), "RFM segment 'Bad': 'r: 0-2' is not a score 1-5 or a range such as 2-4"),
            (at(31, "- {"), "no RFM segment covers R1 FM1, R1 FM2, R1 FM3, R1 FM4, R1 FM5, R2 FM1, R2 FM2, R2 FM3, R2 FM4, R2 FM5, R3 FM1, R3 FM2, R3 FM3, R3 FM4, R3 FM5, R4 FM1, R4 FM2, R4 FM3, R4 FM4, R4 FM5: those customers are shown as 'Other'"),
            (at(34, "20"), "'k' must be auto or a number from 2 to 12"),
            (at(35, "monetery"), "unknown feature 'monetery' (features: recency, frequency, monetary, sessions, email_engagement, cart_abandonment, support); did you mean 'monetary'?"),
            (at(36, "colors"), "unknown field 'colors' in the configuration (expected version, segments, rfm, clusters, journeys, campaigns, triggers)"),
        ]
        for ((line, column), reason) in expected {
            let p = load.problems.first { $0.reason == reason }
            #expect(p != nil, "missing: \(reason)")
            #expect(p?.line == line && p?.column == column, "\(reason): \(String(describing: p))")
            #expect(p?.file == "test.yml")
        }
        #expect(load.problems.count == expected.count, "\(load.problems.map(\.description))")
        let first = try #require(load.problems.first { $0.reason.hasPrefix("segment 'Bad value'") })
        #expect(first.description == "test.yml:5:22: segment 'Bad value': expected a value after '>='")
    }

    @Test func aYAMLSyntaxErrorIsLocatedAndMarksTheFileUnusable() {
        let load = SegmentsConfiguration.parse(yaml: "segments:\n  - name: [oops\n    rule: orders > 1\n", file: "bad.yml")
        #expect(!load.isUsable)
        #expect(load.problems.count == 1)
        #expect(load.problems.first?.reason.hasPrefix("YAML: ") == true)
        #expect((load.problems.first?.line ?? 0) >= 2)
        #expect(load.configuration.segments.isEmpty)
        #expect(load.configuration.rfm == .standard)
    }

    @Test func theBundledDefaultLoadsCleanly() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Data/foresight.yml").path
        let load = SegmentsConfiguration.load(path: path)
        #expect(load.isUsable)
        #expect(load.problems.isEmpty, "\(load.problems.map(\.description))")
        #expect(load.configuration.file == "foresight.yml")
        #expect(load.configuration.segments.count == 12)
        #expect(load.configuration.rfm == .standard)
        #expect(load.configuration.clusters == ClusterSettings())
        let vip = try #require(load.configuration.segments.first { $0.name == "VIP" })
        #expect(vip.rule.references == ["Big spenders"])
        #expect(vip.description == "Big spenders who keep coming back.")
        // The loaded segments run.
        let membership = SegmentMembership(segments: load.configuration.segments)
        #expect(membership.sizes == Array(repeating: 0, count: 12))
    }

    @Test func aMissingFileIsAProblem() {
        let load = SegmentsConfiguration.load(path: "/nonexistent/foresight.yml")
        #expect(!load.isUsable)
        #expect(load.problems.first?.reason == "cannot read /nonexistent/foresight.yml")
    }
}
