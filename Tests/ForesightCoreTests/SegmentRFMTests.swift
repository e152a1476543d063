import Testing
import ForesightCore
import ForesightTestSupport

@Suite struct SegmentRFMTests {
    /// Ten buyers, hand-scored (see each line).
    func fixture() -> RFMExtract {
        let orders: [UInt32] = [5, 3, 1, 1, 2, 1, 1, 2, 1, 1]
        let revenue: [Float] = [100, 90, 10, 20, 60, 30, 40, 80, 50, 70]
        var e = RFMExtract()
        for i in 0..<10 {
            e.append(customer: UInt32(i * 2), lastOrderDay: Int32(20_000 + i + 1), orders: orders[i], revenue: revenue[i])
        }
        return e
    }

    @Test func quintilesByMidRankAndTheStandardNames() throws {
        let scores = RFMScorer.score(fixture())
        // R: ten distinct days, two per score. F: six single orders share the middle of their run
        // (mid-rank 2.5 → 2), two doubles (6.5 → 4), 3 and 5 orders → 5. M: distinct, two per score.
        let expected: [(String, String)] = [
            ("155", "Can't Lose Them"), ("155", "Can't Lose Them"), ("221", "Hibernating"), ("221", "Hibernating"),
            ("343", "Loyal Customers"), ("322", "Need Attention"), ("422", "Potential Loyalists"),
            ("444", "Champions"), ("523", "Potential Loyalists"), ("524", "Loyal Customers"),
        ]
        for (i, (code, name)) in expected.enumerated() {
            let s = try #require(scores.score(of: UInt32(i * 2)))
            #expect(s.code == code, "customer \(i)")
            #expect(scores.names[s.segment] == name, "customer \(i)")
        }
        #expect(scores.score(of: 1) == nil)
        #expect(scores.frequencyCutoffs == [1, 2, 2, 3])
        #expect(scores.recencyCutoffs == [20_003, 20_005, 20_007, 20_009])
        #expect(scores.monetaryCutoffs == [30, 50, 70, 90])
        #expect(scores.sizes.reduce(0, +) == 10)
        #expect(scores.sizes[scores.names.firstIndex(of: "Can't Lose Them") ?? -1] == 2)
        #expect(scores.members(of: scores.names.firstIndex(of: "Hibernating") ?? -1) == [4, 6])
    }

    @Test func theStandardMapCoversEveryCellAndNamesAllEleven() {
        let map = RFMMap.standard
        #expect(map.rules.count == 11)
        #expect(map.uncoveredCells.isEmpty)
        // First match wins: every name is the first match of at least one cell.
        var used = Set<Int>()
        for r in 1...5 { for fm in 1...5 { used.insert(map.segment(r: r, fm: fm)) } }
        #expect(used == Set(0..<11))
        #expect(map.grid.count == 25)
        let named = { (r: Int, fm: Int) in map.names[map.segment(r: r, fm: fm)] }
        #expect(named(5, 1) == "New Customers")
        #expect(named(4, 1) == "Promising")
        #expect(named(3, 1) == "About to Sleep")
        #expect(named(2, 3) == "At Risk")
        #expect(named(1, 5) == "Can't Lose Them")
        #expect(named(1, 1) == "Lost")
        #expect(named(5, 5) == "Champions")
        let partial = RFMMap(rules: [RFMSegmentRule(name: "Top", recency: 5...5, frequencyMonetary: 1...5)])
        #expect(partial.uncoveredCells.count == 20)
        #expect(partial.names[partial.segment(r: 1, fm: 1)] == "Other")
    }

    @Test func movesBetweenScorings() {
        let before = RFMScorer.score(fixture())
        var later = fixture()
        // Customer 0 (Can't Lose Them) orders again on the newest day.
        later.lastOrderDay[0] = 20_011
        let after = RFMScorer.score(later)
        #expect(after.names[after.score(of: 0)?.segment ?? -1] == "Champions")
        let moves = after.moves(since: before)
        #expect(moves.contains { $0.from == "Can't Lose Them" && $0.to == "Champions" && $0.count == 1 })
    }

    @Test func extractFromTheEngine() throws {
        var engine = Engine()
        engine.ingest(lines: """
        {"event":"Order Completed","userId":"a","timestamp":"2026-03-01T10:00:00Z","properties":{"order_id":"1","revenue":30}}
        {"event":"Order Completed","userId":"a","timestamp":"2026-03-05T10:00:00Z","properties":{"order_id":"2","revenue":20}}
        {"event":"Page Viewed","userId":"b","timestamp":"2026-03-05T10:00:00Z"}
        {"event":"Order Completed","userId":"c","timestamp":"2026-03-02T10:00:00Z","properties":{"order_id":"3","revenue":5}}
        """)
        let e = engine.rfmExtract()
        #expect(e.count == 2)
        #expect(e.customerCount == 3)
        #expect(e.orders == [2, 1])
        #expect(e.revenue == [50, 5])
        #expect(e.lastOrderDay == [Int32(Timestamp.day(ms("2026-03-05T00:00:00Z"))), Int32(Timestamp.day(ms("2026-03-02T00:00:00Z")))])
        let scores = RFMScorer.score(e)
        #expect(try #require(scores.score(of: 0)).recency > (try #require(scores.score(of: 2))).recency)
        #expect(scores.score(of: 1) == nil)
    }
}
