import Foundation
import Testing
import ForesightCore
import ForesightTestSupport

/// The whole core on the bundled demo log and the bundled configuration.
@Suite struct SegmentCatalogTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func demoLogWithTheDefaultConfiguration() throws {
        let load = SegmentsConfiguration.load(path: Self.root.appendingPathComponent("Data/foresight.yml").path)
        #expect(load.problems.isEmpty)
        var engine = Engine()
        // The demo log holds a few bad lines on purpose, invalid UTF-8 among them.
        let data = try Data(contentsOf: Self.root.appendingPathComponent("Data/events.jsonl"))
        engine.ingest(lines: String(decoding: data, as: UTF8.self))
        let now = try #require(engine.watermark)
        let day: Int64 = 86_400_000

        var membership = SegmentMembership(segments: load.configuration.segments)
        let entered = membership.refreshAll(in: engine, scores: NoSegmentScores(), now: now)
        #expect(entered.allSatisfy { $0.entered })
        #expect(entered.count == membership.sizes.reduce(0, +))

        // Sizes agree with counts made straight from the profiles.
        let active = engine.profiles.filter { $0.events > 0 && now - $0.lastSeen <= 7 * day }.count
        let repeat_ = engine.profiles.filter { $0.orderCount >= 2 }.count
        let activeIndex = try #require(membership.index(of: "Active this week"))
        let repeatIndex = try #require(membership.index(of: "Repeat buyers"))
        #expect(active > 0 && repeat_ > 0)
        #expect(membership.sizes[activeIndex] == active)
        #expect(membership.sizes[repeatIndex] == repeat_)
        // Scores are unknown: the score segments are empty.
        let churnIndex = try #require(membership.index(of: "Likely to churn"))
        #expect(membership.sizes[churnIndex] == 0)

        let rfm = RFMScorer.score(engine.rfmExtract(), map: load.configuration.rfm)
        let buyers = engine.profiles.filter { $0.orderCount > 0 }.count
        #expect(rfm.sizes.reduce(0, +) == buyers)
        let clusters = BehaviourClusters.fit(engine.behaviourMatrix(features: load.configuration.clusters.features, now: now),
                                             settings: load.configuration.clusters)
        #expect(clusters.sizes.reduce(0, +) == engine.profiles.filter { $0.events > 0 }.count)

        let catalog = SegmentCatalog(membership: membership, rfmMap: load.configuration.rfm, rfm: rfm, clusters: clusters)
        let rows = catalog.rows(customers: engine.profiles.count)
        #expect(rows.filter { $0.kind == .rule }.count == 12)
        #expect(rows.filter { $0.kind == .rfm }.count == 11)
        #expect(rows.filter { $0.kind == .cluster }.count == clusters.model.k)
        let champions = try #require(rows.first { $0.name == "Champions" })
        #expect(champions.definition == "R 4-5, FM 4-5")
        #expect(rows.first { $0.name == "Active this week" }?.definition == "recency_days <= 7")
        #expect(abs((rows.first { $0.name == "Repeat buyers" }?.share ?? 0) - Double(repeat_) / Double(engine.profiles.count)) < 1e-12)
        #expect(catalog.members(of: "Repeat buyers")?.count == repeat_)
        #expect(catalog.members(of: "Champions")?.count == champions.size)
        #expect(catalog.members(of: "Cluster 1")?.count == clusters.sizes[0])
        #expect(catalog.members(of: "No such segment") == nil)
        let someRepeat = try #require(catalog.members(of: "Repeat buyers")?.first)
        #expect(catalog.segments(of: someRepeat).contains("Repeat buyers"))

        // Eight days on, with no new event, nobody is active this week any more.
        let exits = membership.advance(to: now + 8 * day, in: engine, scores: NoSegmentScores())
        #expect(membership.sizes[activeIndex] == 0)
        #expect(exits.filter { $0.segment == activeIndex && !$0.entered }.count == active)
        #expect(exits.first { $0.segment == activeIndex }?.reason == "recency_days <= 7 became false")

        var history = SegmentSizeHistory()
        history.record(time: now, sizes: catalog.sizes())
        var later = catalog
        later.membership = membership
        history.record(time: now + 8 * day, sizes: later.sizes())
        #expect(later.rows(customers: engine.profiles.count, history: history).first { $0.name == "Active this week" }?.change == -active)
    }
}
