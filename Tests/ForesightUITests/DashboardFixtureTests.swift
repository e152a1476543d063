import Foundation
import ForesightCore
import ForesightTestSupport
import ForesightUI
import Testing

/// The dashboard tests' fixture, `Fixtures/dashboard.jsonl`: 40 lines, 8 customers, 35 accepted events,
/// 1 duplicate and 4 rejected lines, ending 2026-03-02 15:42 UTC. Its facts are checked here so that a
/// snapshot's figures can be read against them.
///
/// - alice: identified (Berlin), 17 events in 5 sessions, 2 orders ($139.98 yesterday, $64.50 today),
///   a browsing session yesterday evening, an email delivered, opened and clicked, a support ticket; the
///   newest event of the log.
/// - bob: 2 orders ($45 yesterday, $1,250 today, the top revenue) and a review.
/// - carol: browsing and a cart, no order. dave: one order 45 days ago (At Risk). erin: 100 days idle
///   (Lapsed). frank: signed up today (non-ASCII name and city). anon-7f3a: an anonymous search. And a
///   customer with a 50-character id.
enum DashboardFixture {
    static let header = HeaderData(source: "events.jsonl", mode: .live, eventsPerSecond: 12.5)
    static let lineCount = 40
    static let accepted = 35
    static let duplicates = 1
    static let rejected = 4
    static let customers = 8

    /// The fixture's path in the test bundle.
    static func path() throws -> String {
        let url = try #require(Bundle.module.url(forResource: "dashboard", withExtension: "jsonl", subdirectory: "Fixtures"))
        return url.path
    }

    /// The fixture ingested into a fresh pipeline (rejects named `events.jsonl`).
    static func pipeline() throws -> IngestPipeline {
        var pipeline = IngestPipeline(sourceName: "events.jsonl")
        _ = try LogSources.readAll(path: try path()) { pipeline.consume($0, quarantine: nil) }
        return pipeline
    }

    /// The customer index of a customer id.
    static func index(_ id: String, in pipeline: borrowing IngestPipeline) throws -> UInt32 {
        try #require(pipeline.engine.customers.lookup(id))
    }

    /// The customer order the runtime would compute for `spec` (sorting is the runtime's job, off the reducer).
    static func order(_ spec: CustomerOrderSpec, in pipeline: borrowing IngestPipeline) -> [UInt32] {
        let engine = pipeline.engine
        let input = engine.customerSortInput(spec.column, now: engine.watermark ?? 0)
        return input.sorted(descending: spec.descending, subset: spec.search.isEmpty ? nil : engine.customers.ids(containing: spec.search))
    }

    /// Renders one frame the way the runtime does: the snapshot for the state, the list sizes it shows fed
    /// back into the reducer, then the view.
    static func frame(_ state: inout DashboardState, _ pipeline: borrowing IngestPipeline, context: RenderContext = .standard,
                      header: HeaderData = DashboardFixture.header, models: ModelsContext = ModelsContext()) -> ScreenBuffer {
        var snapshot = DashboardQueries.snapshot(state: state, pipeline: pipeline, header: header, models: models)
        _ = DashboardReducer.reduce(&state, .dataShown(tailCustomers: snapshot.overview?.tail.map(\.customerIndex) ?? state.tailCustomers,
                                                       timelineCount: snapshot.detail?.timelineCount ?? state.timelineCount,
                                                       rejectCount: snapshot.rejects?.count ?? state.rejectCount,
                                                       segmentNames: snapshot.segments?.rows.map(\.name),
                                                       campaigns: state.screen == .tab(.campaigns) ? snapshot.campaigns.map(CampaignsShown.init) : nil,
                                                       messageRows: snapshot.detail.map { DashboardLayout.messageRows(state.size, count: $0.messages?.count ?? 0) }))
        snapshot = DashboardQueries.snapshot(state: state, pipeline: pipeline, header: header, models: models)
        var buffer = ScreenBuffer(width: state.size.width, height: state.size.height, context: context)
        DashboardView.render(state: state, snapshot: snapshot, into: &buffer)
        return buffer
    }

    /// The screen at `size` after `keys`, over `pipeline` (the fixture when nil).
    static func screen(_ size: Size, keys: [Key] = [], context: RenderContext = .standard, header: HeaderData = header,
                       pipeline given: IngestPipeline? = nil) throws -> ScreenBuffer {
        let pipeline = try given ?? DashboardFixture.pipeline()
        var state = DashboardState(size: size)
        // A first frame tells the reducer the lists' sizes, as the runtime's first frame does.
        var buffer = frame(&state, pipeline, context: context, header: header)
        for key in keys {
            press(key, &state, pipeline)
            buffer = frame(&state, pipeline, context: context, header: header)
        }
        return buffer
    }

    /// Presses a key, computing the customer order when the reducer asks for one (as the runtime would).
    static func press(_ key: Key, _ state: inout DashboardState, _ pipeline: borrowing IngestPipeline) {
        for effect in DashboardReducer.reduce(&state, .keyPressed(key)) {
            if case .computeCustomerOrder(let spec) = effect {
                _ = DashboardReducer.reduce(&state, .customerOrderComputed(order(spec, in: pipeline), spec))
            }
        }
    }
}

struct DashboardFixtureTests {
    @Test func fixtureCounts() throws {
        let text = try String(contentsOfFile: try DashboardFixture.path(), encoding: .utf8)
        #expect(text.split(separator: "\n").count == DashboardFixture.lineCount)
        let pipeline = try DashboardFixture.pipeline()
        let engine = pipeline.engine
        #expect(engine.stats.accepted == DashboardFixture.accepted)
        #expect(engine.stats.duplicates == DashboardFixture.duplicates)
        #expect(engine.stats.rejected == DashboardFixture.rejected)
        #expect(engine.profiles.count == DashboardFixture.customers)
        #expect(pipeline.recentRejects.count == DashboardFixture.rejected)
        #expect(engine.watermark == ms("2026-03-02T15:42:00Z"))
    }

    @Test func aliceHasSessionsOrdersEmailAndTicket() throws {
        let pipeline = try DashboardFixture.pipeline()
        let alice = try DashboardFixture.index("alice", in: pipeline)
        let d = pipeline.engine.customerDetail(alice, now: pipeline.engine.watermark ?? 0)
        #expect(d.events == 17)
        #expect(d.sessions == 5)
        #expect(d.orders == 2)
        #expect(abs(d.revenue - 204.48) < 0.001)
        #expect(d.emailsDelivered == 1 && d.emailOpens == 1 && d.emailClicks == 1)
        #expect(d.supportTickets == 1)
        #expect(d.city == "Berlin")
        let rows = pipeline.engine.timelineRows(alice, range: 0..<20)
        #expect(rows.count == 17)
        #expect(rows.filter(\.newSession).count == 5)
    }

    @Test func stagesCoverInactivity() throws {
        let pipeline = try DashboardFixture.pipeline()
        let engine = pipeline.engine
        let now = engine.watermark ?? 0
        func stage(_ id: String) throws -> LifecycleStage {
            engine.customerRow(try DashboardFixture.index(id, in: pipeline), now: now).stage
        }
        #expect(try stage("dave") == .atRisk)
        #expect(try stage("erin") == .lapsed)
        #expect(try stage("bob") == .advocacy)
        #expect(try stage("alice") == .retention)
        #expect(try stage("carol") == .consideration)
    }

    @Test func revenueOrderPutsBobFirst() throws {
        let pipeline = try DashboardFixture.pipeline()
        let spec = CustomerOrderSpec(column: .revenue, descending: true, search: "")
        let order = DashboardFixture.order(spec, in: pipeline)
        #expect(order.count == DashboardFixture.customers)
        #expect(order.first == (try DashboardFixture.index("bob", in: pipeline)))
        #expect(order.dropFirst().first == (try DashboardFixture.index("alice", in: pipeline)))
    }
}
