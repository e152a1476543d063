import Testing
import ForesightCore
import ForesightTestSupport

@Suite struct SegmentHistoryTests {
    @Test func sizeHistoryIsARingKeyedByName() {
        var h = SegmentSizeHistory(capacity: 3)
        h.record(time: 1, sizes: [("A", 10), ("B", 5)])
        h.record(time: 2, sizes: [("A", 12), ("B", 4)])
        #expect(h.change(of: "A") == 2)
        #expect(h.change(of: "B") == -1)
        h.record(time: 3, sizes: [("A", 15), ("C", 1)])
        h.record(time: 4, sizes: [("A", 11), ("C", 2)])
        #expect(h.count == 3)
        #expect(h.sampleTimes == [2, 3, 4])
        #expect(h.sizes(of: "A") == [12, 15, 11])
        #expect(h.sizes(of: "B") == [4, nil, nil])
        #expect(h.sizes(of: "C") == [nil, 1, 2])
        #expect(h.change(of: "A") == -4)
        #expect(h.change(of: "B") == nil)
        // B has no figure left after one more sample: forgotten.
        h.record(time: 5, sizes: [("A", 11)])
        #expect(h.sizes(of: "B").isEmpty)
        #expect(h.sizes(of: "A") == [15, 11, 11])
    }

    @Test func migrationsPairExitsWithEntriesAndCountByDay() {
        var m = SegmentMigrations(retentionDays: 30)
        let t = ms("2026-03-10T12:00:00Z")
        let names = ["At Risk", "Lost", "Champions"]
        m.record([
            SegmentChange(customer: 1, segment: 0, entered: false, time: t, clause: "x", clauseValue: false),
            SegmentChange(customer: 1, segment: 1, entered: true, time: t, clause: "y", clauseValue: true),
            SegmentChange(customer: 2, segment: 0, entered: false, time: t, clause: "x", clauseValue: false),
            SegmentChange(customer: 3, segment: 1, entered: true, time: t, clause: "y", clauseValue: true),
        ], names: names)
        m.record(from: "At Risk", to: "Lost", at: t - 3 * 86_400_000, count: 119)
        m.record(from: "Champions", to: "At Risk", at: t - 20 * 86_400_000, count: 4)
        let week = m.moves(days: 7, endingAt: t)
        #expect(week.count == 1)
        #expect(week.first?.move == SegmentMigrations.Move(from: "At Risk", to: "Lost"))
        #expect(week.first?.count == 120)
        let month = m.moves(days: 30, endingAt: t)
        #expect(month.map(\.count) == [120, 4])
        // A move to the same segment is not a move.
        m.record(from: "Lost", to: "Lost", at: t)
        #expect(m.moves(days: 1, endingAt: t).map(\.count) == [1])
    }

    @Test func benchmarkRunsOnSyntheticCustomers() {
        let r = SegmentsBenchmark.run(customers: 3000, seed: 3)
        #expect(r.customers == 3000)
        #expect(r.buyers > 900 && r.buyers < 1500)
        #expect(r.ruleSegments == SegmentsBenchmark.sampleRules.count)
        #expect((2...8).contains(r.k))
        #expect(r.text.contains("k-means refit"))
    }
}
