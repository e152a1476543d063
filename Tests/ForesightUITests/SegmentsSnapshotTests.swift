import ForesightCore
import ForesightTestSupport
import ForesightUI
import Testing

/// The Segments view and the segment drill-down over the dashboard fixture with three live rule segments.
/// `FORESIGHT_RECORD_SNAPSHOTS=1` re-records the snapshots.
struct SegmentsSnapshotTests {
    static let small = Size(width: 80, height: 24)
    static let large = Size(width: 160, height: 48)

    static func pipeline() throws -> IngestPipeline {
        var pipeline = IngestPipeline(sourceName: "events.jsonl")
        let rules = [("Buyers", "orders >= 1"), ("Active today", "recency_days <= 1"), ("Browsers", "orders = 0 and product_views >= 1")]
        pipeline.segments = LiveSegments(configuration: SegmentsConfiguration(file: "Data/foresight.yml", segments: try rules.map {
            RuleSegment(name: $0.0, rule: try CompiledRule.compile($0.1).get())
        }))
        _ = try LogSources.readAll(path: try DashboardFixture.path()) { pipeline.consume($0, quarantine: nil) }
        pipeline.flushSegments()
        // RFM is scored off the ingest thread in the dashboard; here at once.
        let now = pipeline.engine.watermark ?? 0
        pipeline.segments?.setPopulation(rfm: RFMScorer.score(pipeline.engine.rfmExtract()), clusters: nil, now: now)
        return pipeline
    }

    func screen(_ size: Size, keys: [Key]) throws -> ScreenBuffer {
        let pipeline = try Self.pipeline()
        var state = DashboardState(size: size)
        var buffer = DashboardFixture.frame(&state, pipeline)
        for key in keys {
            for effect in DashboardReducer.reduce(&state, .keyPressed(key)) {
                if case .computeCustomerOrder(let spec) = effect {
                    let engine = pipeline.engine
                    let order = engine.customerSortInput(spec.column, now: engine.watermark ?? 0)
                        .sorted(descending: spec.descending, subset: DashboardQueries.customerSubset(spec, pipeline: pipeline))
                    _ = DashboardReducer.reduce(&state, .customerOrderComputed(order, spec))
                }
            }
            buffer = DashboardFixture.frame(&state, pipeline)
        }
        return buffer
    }

    @Test(arguments: [small, large])
    func segmentsView(size: Size) throws {
        let buffer = try screen(size, keys: [.char("3")])
        assertSnapshot(buffer, named: "segments-\(size.width)x\(size.height)")
        let text = buffer.text
        let report = try #require(try Self.pipeline().segmentsReport())
        let buyers = try #require(report.rows.first { $0.name == "Buyers" })
        // The table's row (the ticker beside it may name Buyers too).
        let line = try #require(buffer.lines().first { $0.contains("│Buyers ") || $0.contains("|Buyers ") })
        #expect(line.contains(" \(buyers.size) ") && line.contains("rule"))
        #expect(text.contains("orders >= 1"), "the selected segment's definition")
        #expect(text.contains("Champions"), "RFM segments are listed too")
        if size == Self.large { #expect(text.contains("Entered and left") && text.contains("entered Buyers")) }
    }

    @Test(arguments: [small, large])
    func overviewShowsTheSegmentsAndWhoMoved(size: Size) throws {
        let buffer = try screen(size, keys: [.char("1")])
        assertSnapshot(buffer, named: "overview-segments-\(size.width)x\(size.height)")
        let report = try #require(try Self.pipeline().segmentsReport())
        let largest = try #require(report.rows.max { $0.size < $1.size })
        let line = try #require(buffer.lines().first { $0.contains(largest.name) && $0.contains(Format.integer(largest.size)) },
                                "the largest segment is listed with its size")
        #expect(!line.isEmpty)
        if size == Self.large {
            #expect(buffer.text.contains("Entered and left"), "the movement ticker")
            let newest = try #require(report.ticker.first)
            #expect(buffer.text.contains(String(newest.customer.prefix(8))), "the newest move names its customer")
        }
    }

    @Test func enterListsTheSegmentsCustomers() throws {
        let buffer = try screen(Self.small, keys: [.char("3"), .enter])
        assertSnapshot(buffer, named: "segments-buyers-80x24")
        let report = try #require(try Self.pipeline().segmentsReport(SegmentsQuery(members: "Buyers")))
        let members = try #require(report.members).map(\.key)
        #expect(buffer.text.contains("Customers in \"Buyers\": \(members.count) of 8"))
        for key in members { #expect(buffer.text.contains(key)) }
        #expect(!buffer.text.contains("carol"), "carol never ordered")
    }

    @Test func theCustomerScreenNamesHerSegments() throws {
        let pipeline = try Self.pipeline()
        let alice = try DashboardFixture.index("alice", in: pipeline)
        var state = DashboardState(size: Self.large)
        state.screen = .customer(alice)
        let buffer = DashboardFixture.frame(&state, pipeline)
        let segments = try #require(pipeline.segmentsReport(SegmentsQuery(customer: "alice"))?.customerSegments)
        #expect(segments.contains("Buyers"))
        #expect(buffer.text.contains("Journey timeline · in " + segments.joined(separator: ", ")))
    }
}
