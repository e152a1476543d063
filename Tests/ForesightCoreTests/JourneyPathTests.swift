import Testing
import ForesightCore
import ForesightTestSupport

/// Transition counts, paths, pain points and the per-customer journey on hand-built logs.
@Suite struct JourneyPathTests {
    static func track(_ user: String, _ event: String, _ iso: String, _ extra: String = "") -> String {
        #"{"event":"\#(event)","userId":"\#(user)","timestamp":"\#(iso)"\#(extra)}"#
    }

    static func engine(_ lines: [String]) -> Engine {
        var e = Engine()
        e.ingest(lines: lines.joined(separator: "\n") + "\n")
        return e
    }

    static let log = engine([
        track("a", "A", "2026-03-01T10:00:00Z"), track("a", "B", "2026-03-01T10:05:00Z"), track("a", "A", "2026-03-01T10:06:00Z"),
        // Two hours later: a new session.
        track("a", "B", "2026-03-01T12:06:00Z"),
        track("b", "A", "2026-03-01T10:00:00Z"), track("b", "C", "2026-03-01T10:01:00Z"),
    ])

    func id(_ e: Engine, _ name: String) throws -> Int { Int(try #require(e.eventNames.lookup(name))) }

    @Test func transitionCountsWithinAndAcrossSessions() throws {
        let e = Self.log
        let now = e.watermark ?? 0
        let within = e.transitions(withinSession: true, now: now)
        let (a, b, c) = (try id(e, "A"), try id(e, "B"), try id(e, "C"))
        #expect(within.count(from: a, to: b) == 1)
        #expect(within.count(from: b, to: a) == 1)
        #expect(within.count(from: a, to: c) == 1)
        #expect(within.total == 3)
        let across = e.transitions(withinSession: false, now: now)
        #expect(across.count(from: a, to: b) == 2)
        #expect(across.total == 4)
        // Probabilities per row: out of A, 2 of 3 go to B across sessions.
        let ab = try #require(across.transitions.first { $0.from == "A" && $0.to == "B" })
        #expect(abs(ab.probability - 2.0 / 3.0) < 1e-12)
        #expect(across.transitions.first?.count == 2)
        // Events after `now` are left out.
        #expect(e.transitions(withinSession: false, now: ms("2026-03-01T10:05:30Z")).total == 2)
    }

    @Test func pathsToPurchaseAndTimeToFirstPurchase() throws {
        let e = Self.engine([
            Self.track("a", "Product Viewed", "2026-03-01T10:00:00Z"), Self.track("a", "Product Viewed", "2026-03-01T10:01:00Z"),
            Self.track("a", "Product Added", "2026-03-01T10:02:00Z"),
            Self.track("a", "Order Completed", "2026-03-01T10:03:00Z", #","properties":{"order_id":"1","revenue":9}"#),
            Self.track("b", "Product Added", "2026-03-01T10:00:00Z"),
            Self.track("b", "Order Completed", "2026-03-03T10:00:00Z", #","properties":{"order_id":"2","revenue":9}"#),
        ])
        let report = e.paths(now: e.watermark ?? 0, top: 5, length: 3)
        // a's repeated views collapse; b's order starts a session of its own (no path).
        #expect(report.toPurchase == [PathCount(path: ["Product Viewed", "Product Added"], count: 1)])
        #expect(report.timeToFirstPurchase.buyers == 2)
        #expect(report.timeToFirstPurchase.buckets.map(\.customers) == [1, 0, 1, 0, 0])
        #expect(report.stagePaths.contains(PathCount(path: ["Consideration", "Purchase"], count: 2)))
    }

    @Test func painPointsAndTheJourney() throws {
        let e = Self.engine([
            Self.track("a", "Email Delivered", "2026-03-01T08:00:00Z", #","context":{"channel":"email","campaign":{"name":"spring"}}"#),
            Self.track("a", "Email Opened", "2026-03-01T09:00:00Z", #","context":{"channel":"email","campaign":{"name":"spring"}}"#),
            Self.track("a", "Product Added", "2026-03-01T09:01:00Z", #","context":{"channel":"web"}"#),
            Self.track("a", "Checkout Started", "2026-03-01T09:02:00Z", #","context":{"channel":"web"}"#),
            Self.track("a", "Support Ticket Opened", "2026-03-02T10:00:00Z", #","properties":{"sentiment":-0.6}"#),
            Self.track("a", "Order Completed", "2026-03-03T10:00:00Z", #","properties":{"order_id":"1","revenue":30}"#),
            Self.track("b", "Product Added", "2026-03-03T10:00:00Z"),
        ])
        let now = e.watermark ?? 0
        let j = try e.journey(customerID: "a", now: now)
        #expect(j.sessions.count == 4)
        #expect(j.sessions[0].campaigns.map(\.outcome) == [.ordered])
        #expect(j.sessions[1].channels == [.email, .web])
        #expect(j.sessions[1].painPoints.map(\.kind) == [.cartAbandoned, .checkoutNotFinished])
        #expect(j.sessions[2].tickets.first?.sentiment.map { abs($0 + 0.6) < 1e-6 } == true)
        #expect(j.sessions[2].painPoints.map(\.kind) == [.negativeSupport])
        #expect(j.sessions[3].orders.map(\.revenue) == [30])
        #expect(j.sessions[3].stageChanges.map(\.stage) == [.purchase])
        #expect(j.stage == .purchase)
        // b's cart add is in a session still open at `now`: not abandoned yet.
        #expect(e.painPoints(customer: try #require(e.customers.lookup("b")), now: now).isEmpty)
        let summary = e.painPointSummary(now: now + 86_400_000)
        let cart = try #require(summary.first { $0.kind == .cartAbandoned })
        // a ordered after hers; b never did.
        #expect(cart.customers == 2)
        #expect(cart.lost == 1)
        #expect(throws: JourneyError.self) { try e.journey(customerID: "nobody", now: now) }
    }
}
