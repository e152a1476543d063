import Foundation
import Testing
import ForesightCore
import ForesightTestSupport

func fixtureText(_ name: String) throws -> String {
    guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
        throw CocoaError(.fileNoSuchFile)
    }
    return try String(contentsOf: url, encoding: .utf8)
}

@Suite struct ProfileTests {
    func engine() throws -> Engine {
        var engine = Engine()
        engine.ingest(lines: try fixtureText("small.jsonl"))
        return engine
    }

    @Test func wholeLogCounters() throws {
        let e = try engine()
        #expect(e.stats.lines == 19)
        #expect(e.stats.accepted == 15)
        #expect(e.stats.duplicates == 1)
        #expect(e.stats.rejected(.invalidJSON) == 1)
        #expect(e.stats.rejected(.missingCustomer) == 1)
        #expect(e.stats.rejected(.missingTimestamp) == 1)
        #expect(e.stats.rejected == 3)
        // o1 (125 after the update) + o2 (40); o3 was cancelled.
        #expect(e.stats.orders == 2)
        #expect(e.stats.revenue == 165)
        #expect(e.stats.refunds == 15)
        #expect(e.stats.outOfOrder == 1)
        #expect(e.watermark == ms("2026-03-05T07:00:00Z"))
        #expect(e.profiles.count == 4)
    }

    @Test func aliceAggregates() throws {
        let e = try engine()
        let alice = try #require(e.profile("alice"))
        #expect(alice.events == 9)
        #expect(alice.firstSeen == ms("2026-03-01T09:00:00Z"))
        #expect(alice.lastSeen == ms("2026-03-04T10:00:00Z"))
        // 09:00–09:20 on the 1st; 08:00–08:30 on the 3rd; 10:00 on the 4th.
        #expect(alice.sessions == 3)
        #expect(alice.orderCount == 2)
        #expect(alice.revenue == 165)
        #expect(alice.refunds == 15)
        #expect(alice.averageOrderValue == 82.5)
        #expect(alice.productViews == 1)
        #expect(alice.cartAdds == 1)
        #expect(alice.emailOpens == 1)
        #expect(alice.pageViews == 1)
        #expect(Set(alice.channelList) == [.web, .email, .app])
        #expect(alice.orders[0].productCount == 2)
        #expect(alice.orders[1].refunded == 15)
        let traits = e.traits[Int(alice.traitsIndex) - 1]
        #expect(traits.email == "alice@example.com")
        #expect(traits.age == 34)
        #expect(traits.emailOptIn == .granted)
        #expect(traits.smsOptIn == .unknown)
        #expect(e.labels.string(traits.country) == "DE")
        #expect(e.labels.string(traits.timezone) == "Europe/Berlin")
    }

    @Test func bobOutOfOrderAndCancelled() throws {
        let e = try engine()
        let bob = try #require(e.profile("bob"))
        #expect(bob.orderCount == 0)
        #expect(bob.revenue == 0)
        #expect(bob.orders.first?.cancelled == true)
        #expect(bob.timeline.map(\.time) == bob.timeline.map(\.time).sorted())
        #expect(bob.timeline[1].name == KnownEvent.supportTicketOpened.id)
        #expect(bob.sessions == 1)
        #expect(bob.meanSentiment.map { abs($0 + 0.6) < 1e-6 } == true)
    }

    @Test func timelineEntriesPointAtItems() throws {
        let e = try engine()
        let alice = try #require(e.profile("alice"))
        let viewed = try #require(alice.timeline.first { $0.name == KnownEvent.productViewed.id })
        #expect(viewed.kind == .product)
        #expect(e.products.string(viewed.item) == "p1")
        #expect(viewed.value == 120)
        #expect(viewed.channel == .web)
        let opened = try #require(alice.timeline.first { $0.name == KnownEvent.emailOpened.id })
        #expect(opened.kind == .campaign)
        #expect(e.labels.string(opened.item) == "spring")
        let page = try #require(alice.timeline.first { $0.name == KnownEvent.pageViewed.id })
        #expect(e.labels.string(page.item) == "Home")
        #expect(e.categories.string(e.productCategory[Int(e.products.lookup("p2") ?? 0)] - 1) == "socks")
    }

    @Test func sessionsStayExactWhenEventsArriveOutOfOrder() {
        // Events at 0, 10, 50, 60 minutes: gaps 10, 40, 10 → 2 sessions, in any arrival order.
        let minutes = [0, 10, 50, 60]
        for order in [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1], [1, 3, 0, 2]] {
            var e = Engine()
            for k in order {
                let t = Timestamp.iso8601(ms("2026-03-01T00:00:00Z") + Int64(minutes[k]) * 60_000)
                e.ingest(lines: #"{"event":"x","userId":"u","timestamp":"\#(t)"}"#)
            }
            #expect(e.profile("u")?.sessions == 2, "arrival order \(order)")
        }
    }

    @Test func timelineEntryPacksEveryField() {
        let t = ms("2099-12-31T23:59:59Z") + 999
        let entry = TimelineEntry(time: t, name: 16_000, channel: .support, kind: .campaign, item: 123_456, value: -0.5)
        #expect(entry.time == t)
        #expect(entry.name == 16_000)
        #expect(entry.channel == .support)
        #expect(entry.kind == .campaign)
        #expect(entry.item == 123_456)
        #expect(entry.value == -0.5)
        #expect(MemoryLayout<TimelineEntry>.stride == 16)
    }
}

/// Event names are resolved through a small cache of short names before the interner; the ids and counts
/// must be the interner's whatever the length, escapes, or how many names share a cache slot.
@Suite struct EventNameTests {
    @Test func namesOfEveryKindGetTheInternersIds() {
        var engine = Engine()
        var names = ["a", "Product Viewed", "Checkout Started", "Product List Viewed", "Support Ticket Opened"]
        names += (0..<200).map { "custom event \($0)" }  // more names than cache slots: slots are overwritten
        var expected: [String: Int] = [:]
        var lines: [String] = []
        for round in 0..<3 {
            for (k, name) in names.enumerated() where (k + round) % 2 == 0 || round == 2 {
                lines.append(#"{"event":"\#(name)","userId":"u\#(k)","timestamp":\#(1_772_359_200 + lines.count)}"#)
                expected[name, default: 0] += 1
            }
        }
        // The same name written with an escape is the same name.
        lines.append(#"{"event":"Pro\u0064uct Viewed","userId":"u1","timestamp":1772369200}"#)
        expected["Product Viewed", default: 0] += 1
        let outcomes = engine.ingest(lines: lines.joined(separator: "\n"))
        #expect(outcomes.allSatisfy { if case .accepted = $0 { true } else { false } })
        for (name, count) in expected {
            let id = engine.eventNames.lookup(name)
            #expect(id != nil, "\(name)")
            if let id { #expect(engine.stats.eventsByName[Int(id)] == count, "\(name)") }
        }
        #expect(engine.eventNames.lookup("Pro\\u0064uct Viewed") == nil)
        #expect(engine.stats.eventsByName.reduce(0, +) == lines.count)
    }
}
