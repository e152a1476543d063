import ForesightCore
import ForesightTestSupport
import ForesightUI
import Testing

/// The Journeys view, the step editor, the funnel drill-down and the customer's stage swimlane over the
/// dashboard fixture. `FORESIGHT_RECORD_SNAPSHOTS=1` re-records the snapshots.
struct JourneysSnapshotTests {
    static let small = Size(width: 80, height: 24)
    static let large = Size(width: 160, height: 48)

    static func pipeline() throws -> IngestPipeline {
        var pipeline = IngestPipeline(sourceName: "events.jsonl")
        _ = try LogSources.readAll(path: try DashboardFixture.path()) { pipeline.consume($0, quarantine: nil) }
        return pipeline
    }

    /// The screen after `keys`, with the Journeys report computed as the runtime would (the same function).
    func screen(_ size: Size, keys: [Key], state initial: DashboardState? = nil) throws -> (ScreenBuffer, DashboardState) {
        let pipeline = try Self.pipeline()
        var state = initial ?? DashboardState(size: size)
        func frame() -> ScreenBuffer {
            let engine = pipeline.engine
            let report = engine.journeysReport(steps: state.journeys.steps, now: engine.watermark ?? 0)
            let snapshot = DashboardQueries.snapshot(state: state, pipeline: pipeline, header: DashboardFixture.header, journeys: report)
            _ = DashboardReducer.reduce(&state, .dataShown(tailCustomers: [], timelineCount: snapshot.detail?.timelineCount ?? 0, rejectCount: 0))
            var buffer = ScreenBuffer(width: size.width, height: size.height)
            DashboardView.render(state: state, snapshot: snapshot, into: &buffer)
            return buffer
        }
        var buffer = frame()
        for key in keys {
            for effect in DashboardReducer.reduce(&state, .keyPressed(key)) {
                if case .computeCustomerOrder(let spec) = effect {
                    let engine = pipeline.engine
                    let order = engine.customerSortInput(spec.column, now: engine.watermark ?? 0)
                        .sorted(descending: spec.descending, subset: DashboardQueries.customerSubset(spec, pipeline: pipeline))
                    _ = DashboardReducer.reduce(&state, .customerOrderComputed(order, spec))
                }
            }
            buffer = frame()
        }
        return (buffer, state)
    }

    @Test(arguments: [small, large])
    func journeysView(size: Size) throws {
        let (buffer, _) = try screen(size, keys: [.char("5")])
        assertSnapshot(buffer, named: "journeys-\(size.width)x\(size.height)")
        let engine = try Self.pipeline().engine
        let funnel = try engine.funnel(JourneysConfiguration.standardFunnel, now: engine.watermark ?? 0)
        let text = buffer.text
        #expect(text.contains("5 Journeys"), "the tab bar holds five tabs")
        #expect(text.contains("Funnel") && text.contains("Stages") && text.contains("Pain points"))
        let line = try #require(buffer.lines().first { $0.contains("1 Product Viewed") })
        #expect(line.contains(" \(funnel.rows[0].users) "), "first step's customers: \(line)")
    }

    @Test func editingTheStepsAppliesOrExplains() throws {
        var keys: [Key] = [.char("5"), .char("e")]
        keys += Array(repeating: Key.backspace, count: 200)
        keys += "Page Viewed, Prodct Viewed".map { Key.char($0) } + [.enter]
        let (bad, badState) = try screen(Self.small, keys: keys)
        // The parse is fine; the unknown name is reported by the funnel itself.
        #expect(badState.journeys.steps.steps.count == 2)
        #expect(bad.text.contains("no event is named 'Prodct Viewed'"), "\(bad.text)")
        let (empty, emptyState) = try screen(Self.small, keys: [.char("5"), .char("e"), .char(","), .enter])
        #expect(emptyState.journeys.draft != nil, "a malformed list keeps the editor open")
        #expect(empty.text.contains("Steps not applied"))
        var fixed: [Key] = [.char("5"), .char("e")] + Array(repeating: Key.backspace, count: 200)
        fixed += "Page Viewed, Product Viewed|Product Added".map { Key.char($0) } + [.enter]
        let (good, goodState) = try screen(Self.large, keys: fixed)
        #expect(goodState.journeys.steps.steps == [["Page Viewed"], ["Product Viewed", "Product Added"]])
        assertSnapshot(good, named: "journeys-edited-160x48")
    }

    @Test func enterOnAStepListsWhoDroppedThere() throws {
        let (buffer, state) = try screen(Self.small, keys: [.char("5"), .down, .enter])
        #expect(state.screen == .tab(.customers))
        let engine = try Self.pipeline().engine
        let funnel = try engine.funnel(JourneysConfiguration.standardFunnel, now: engine.watermark ?? 0)
        let dropped = Set(funnel.droppedAt(1))
        #expect(Set(state.customers.order) == dropped)
        #expect(!dropped.isEmpty)
        #expect(buffer.text.contains("dropped at step 2"))
        assertSnapshot(buffer, named: "journeys-dropped-80x24")
        // Esc returns to the Journeys view with everyone in the table again.
        var back = state
        _ = DashboardReducer.reduce(&back, .keyPressed(.escape))
        #expect(back.screen == .tab(.journeys))
        #expect(back.customers.funnelDrop == nil)
    }

    @Test(arguments: [small, large])
    func customerSwimlane(size: Size) throws {
        let engine = try Self.pipeline().engine
        let c = try #require(engine.customers.lookup("dave"))
        var state = DashboardState(size: size)
        state.screen = .customer(c)
        state.backStack = [.tab(.customers)]
        let (buffer, _) = try screen(size, keys: [], state: state)
        assertSnapshot(buffer, named: "customer-swimlane-\(size.width)x\(size.height)")
        let lane = try #require(buffer.lines().first { $0.contains("Stages ") })
        let history = StageRules().history(engine.profiles[Int(c)], now: engine.watermark ?? 0)
        #expect(lane.contains(try #require(history.last).stage.label + " since"))
    }
}
