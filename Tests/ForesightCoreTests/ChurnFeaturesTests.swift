import Foundation
import Testing
import ForesightCore
import ForesightTestSupport

/// JSON lines for hand-made histories.
enum ChurnEvents {
    static func track(_ user: String, _ event: String, _ time: String, _ properties: String = "{}", channel: String = "web") -> String {
        "{\"type\":\"track\",\"event\":\"\(event)\",\"userId\":\"\(user)\",\"timestamp\":\"\(time)\",\"properties\":\(properties),\"context\":{\"channel\":\"\(channel)\"}}"
    }

    static func order(_ user: String, _ time: String, id: String, revenue: Double, products: [(String, String)] = []) -> String {
        let items = products.map { "{\"product_id\":\"\($0.0)\",\"category\":\"\($0.1)\",\"price\":1}" }.joined(separator: ",")
        return track(user, "Order Completed", time, "{\"order_id\":\"\(id)\",\"revenue\":\(revenue),\"products\":[\(items)]}")
    }

    static func view(_ user: String, _ time: String, product: String, category: String) -> String {
        track(user, "Product Viewed", time, "{\"product_id\":\"\(product)\",\"category\":\"\(category)\",\"price\":1}")
    }
}

@Suite struct ChurnFeaturesTests {
    /// One customer: two browsing sessions (one abandons a cart, one orders), e-mail, an unhappy ticket.
    static let history = [
        ChurnEvents.track("ann", "Product Added", "2026-01-01T10:00:00Z", "{\"product_id\":\"p1\"}"),
        ChurnEvents.track("ann", "Cart Viewed", "2026-01-01T10:05:00Z"),
        ChurnEvents.track("ann", "Product Added", "2026-01-20T09:00:00Z", "{\"product_id\":\"p2\"}"),
        ChurnEvents.order("ann", "2026-01-20T09:10:00Z", id: "o1", revenue: 100, products: [("p2", "books")]),
        ChurnEvents.track("ann", "Email Delivered", "2026-02-01T08:00:00Z", channel: "email"),
        ChurnEvents.track("ann", "Email Delivered", "2026-02-08T08:00:00Z", channel: "email"),
        ChurnEvents.track("ann", "Email Opened", "2026-02-08T09:00:00Z", channel: "email"),
        ChurnEvents.track("ann", "Support Ticket Opened", "2026-02-10T12:00:00Z", "{\"sentiment\":-0.6}", channel: "support"),
        ChurnEvents.track("ann", "Support Ticket Resolved", "2026-02-11T12:00:00Z", channel: "support"),
        ChurnEvents.track("ann", "Subscription Cancelled", "2026-02-12T12:00:00Z"),
        // After the cutoff: must not be seen.
        ChurnEvents.order("ann", "2026-03-15T10:00:00Z", id: "o2", revenue: 50, products: [("p3", "books")]),
    ].joined(separator: "\n")

    func features(asOf: Int64) throws -> [Double] {
        var engine = Engine()
        engine.ingest(lines: Self.history)
        let profile = try #require(engine.profile("ann"))
        var row: [Double] = []
        #expect(ChurnFeatureExtractor().extract(profile, asOf: asOf, bgnbd: BGNBDInputs(probabilityAlive: 0.4, expectedTransactions: 1.5), into: &row))
        return row
    }

    @Test func valuesAsOfACutoff() throws {
        let asOf = ms("2026-03-01T00:00:00Z")
        let row = try features(asOf: asOf)
        func value(_ f: ChurnFeature) -> Double { row[f.rawValue] }
        // Last activity: the ticket on 02-10 12:00 (resolution and cancellation are not activity).
        #expect(abs(value(.daysSinceLastActivity) - 18.5) < 1e-9)
        #expect(abs(value(.daysSinceLastOrder) - (40 - 9.0 / 24 - 10.0 / 1440)) < 1e-9)
        #expect(abs(value(.tenureDays) - (59 - 10.0 / 24)) < 1e-9)
        #expect(value(.orders) == 1)
        #expect(value(.ordersLast90Days) == 1)
        #expect(value(.averageOrderValue) == 100)
        // Sessions: 01-01, 01-20, 02-08 (the open), 02-10 (the ticket); all within 90 days.
        #expect(value(.sessions) == 4)
        #expect(value(.sessionsLast90Days) == 4)
        // Two sessions in the last 30 days (02-08, 02-10) against 2 in the 60 before: ln((2 + 1) / (2 / 2 + 1)).
        #expect(abs(value(.activityTrend) - log(3.0 / 2.0)) < 1e-12)
        // Two sessions had a cart; one of them ordered.
        #expect(value(.cartAbandonment) == 0.5)
        #expect(value(.emailOpenRate) == 0.5)
        #expect(value(.emailOpensLast30Days) == 1)
        #expect(abs(value(.supportSentiment) + 0.6) < 1e-6)
        #expect(value(.supportTicketsLast90Days) == 1)
        #expect(value(.unsubscribed) == 0)
        #expect(value(.subscriptionCancelled) == 1)
        #expect(value(.probabilityAlive) == 0.4)
        #expect(value(.expectedTransactions) == 1.5)
    }

    @Test func laterEventsAreNotSeen() throws {
        let early = try features(asOf: ms("2026-01-25T00:00:00Z"))
        #expect(early[ChurnFeature.orders.rawValue] == 1)
        #expect(early[ChurnFeature.emailOpenRate.rawValue].isNaN)  // no e-mail delivered yet
        #expect(early[ChurnFeature.supportSentiment.rawValue].isNaN)
        #expect(early[ChurnFeature.subscriptionCancelled.rawValue] == 0)
        let late = try features(asOf: ms("2026-03-20T00:00:00Z"))
        #expect(late[ChurnFeature.orders.rawValue] == 2)
        #expect(late[ChurnFeature.averageOrderValue.rawValue] == 75)
    }

    @Test func noActivityYetMeansNoRow() throws {
        var engine = Engine()
        engine.ingest(lines: Self.history)
        let profile = try #require(engine.profile("ann"))
        var row: [Double] = []
        #expect(!ChurnFeatureExtractor().extract(profile, asOf: ms("2025-12-31T00:00:00Z"), bgnbd: nil, into: &row))
    }

    @Test func labelsByDefinition() throws {
        var engine = Engine()
        engine.ingest(lines: Self.history)
        let profile = try #require(engine.profile("ann"))
        let day: Int64 = 86_400_000
        // From 02-09: the ticket (activity) follows within 5 days, but no order until 03-15.
        let asOf = ms("2026-02-09T00:00:00Z")
        #expect(!ChurnDefinition.activity.churned(profile, asOf: asOf, windowMs: 5 * day))
        #expect(ChurnDefinition.order.churned(profile, asOf: asOf, windowMs: 5 * day))
        // From 02-11: only the resolution and the cancellation follow, which are not activity.
        #expect(ChurnDefinition.activity.churned(profile, asOf: ms("2026-02-11T00:00:00Z"), windowMs: 20 * day))
        #expect(!ChurnDefinition.order.churned(profile, asOf: asOf, windowMs: 40 * day))
    }

    @Test func explanationsReadLikeSentences() {
        #expect(ChurnFeature.daysSinceLastOrder.describe(41.7) == "41 days since last order")
        #expect(ChurnFeature.supportTicketsLast90Days.describe(1) == "1 support ticket in the last 90 days")
        #expect(ChurnFeature.orders.describe(3) == "3 orders")
        #expect(ChurnFeature.emailOpenRate.describe(0.123) == "share of emails opened 12%")
        #expect(ChurnFeature.subscriptionCancelled.describe(1) == "cancelled the subscription")
        #expect(ChurnFeature.averageOrderValue.describe(.nan) == "no average order value")
        let c = ChurnContribution(feature: .daysSinceLastOrder, value: 41, contribution: 0.3149)
        #expect(c.reason == "41 days since last order: +0.31")
        let d = ChurnContribution(feature: .orders, value: 6, contribution: -1.444)
        #expect(d.reason == "6 orders: -1.44")
    }
}
