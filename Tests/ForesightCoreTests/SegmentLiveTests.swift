import Synchronization
import Foundation
import Testing
import ForesightCore
import ForesightTestSupport

private let day: Int64 = 86_400_000

private func event(_ user: String, _ name: String, _ time: String) -> String {
    "{\"type\":\"track\",\"event\":\"\(name)\",\"userId\":\"\(user)\",\"timestamp\":\"\(time)\"}\n"
}

private func configuration(_ rules: [(String, String)]) throws -> SegmentsConfiguration {
    SegmentsConfiguration(file: "test.yml", segments: try rules.map {
        RuleSegment(name: $0.0, rule: try CompiledRule.compile($0.1).get())
    })
}

/// Waits (up to 20 s) until `condition` holds.
private func eventually(_ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(20)
    while !condition() {
        if Date() > deadline { return false }
        usleep(10_000)
    }
    return true
}

private func size(_ report: SegmentsReport?, _ name: String) -> Int? { report?.rows.first { $0.name == name }?.size }

@Suite struct SegmentLiveTests {
    @Test func onAQuietLogTheClockFollowsTheWallClockAndTimersFire() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("events.jsonl")
        try append(event("anna", "Product Viewed", "2026-03-01T10:00:00Z"), to: path)
        var pipeline = IngestPipeline(sourceName: path)
        pipeline.segments = LiveSegments(configuration: try configuration([("Active", "recency_days <= 7")]))
        let wall = Mutex<Double>(1_000)
        let ingestor = LiveIngestor(path: path, pipeline: pipeline, quarantinePath: nil, now: { wall.withLock { $0 } })
        ingestor.start()
        defer { ingestor.stop() }
        #expect(eventually { size(ingestor.read { $0.segmentsReport() }, "Active") == 1 })
        let event = ms("2026-03-01T10:00:00Z")
        #expect(ingestor.read { $0.engine.watermark } == event)

        // No event arrives; eight days pass on the wall clock. Anna leaves by the clock alone.
        wall.withLock { $0 += 8 * 86_400 }
        #expect(eventually { size(ingestor.read { $0.segmentsReport() }, "Active") == 0 })
        let clock = try #require(ingestor.read { $0.engine.watermark })
        #expect(clock >= event + 8 * 86_400_000 && clock < event + 8 * 86_400_000 + 60_000)
        // The newest event is still the newest event; only the clock moved.
        #expect(ingestor.read { $0.engine.stats.lastTimestamp } == event)
        let exit = try #require(ingestor.read { $0.segmentsReport(SegmentsQuery(tickerLimit: 10)) }?.ticker.first { !$0.entered })
        #expect(exit.customer == "anna" && exit.time == event + 7 * 86_400_000 + 1)
    }

    @Test func anEventEntersACustomerAndTheClockAloneExitsHerThroughTheLiveIngestor() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("events.jsonl")
        try append(event("anna", "Product Viewed", "2026-03-01T10:00:00Z"), to: path)
        var pipeline = IngestPipeline(sourceName: path)
        pipeline.segments = LiveSegments(configuration: try configuration([("Active", "recency_days <= 7"),
                                                                            ("Viewers", "product_views >= 1")]))
        let ingestor = LiveIngestor(path: path, pipeline: pipeline, quarantinePath: nil)
        ingestor.start()
        defer { ingestor.stop() }
        #expect(eventually { size(ingestor.read { $0.segmentsReport() }, "Active") == 1 })
        let entered = try #require(ingestor.read { $0.segmentsReport(SegmentsQuery(members: "Active", customer: "anna")) })
        #expect(entered.members?.map(\.key) == ["anna"])
        #expect(entered.customerSegments == ["Active", "Viewers"])
        #expect(entered.ticker.contains {
            $0.customer == "anna" && $0.segment == "Active" && $0.entered && $0.clause == "recency_days <= 7" && $0.clauseValue
        })

        // Eight days later another customer's event moves the watermark: Anna leaves Active with no event
        // of hers, by the flush's timers; she stays a viewer.
        try append(event("ben", "Page Viewed", "2026-03-09T10:00:00Z"), to: path)
        #expect(eventually { ingestor.read { $0.segmentsReport(SegmentsQuery(customer: "anna"))?.customerSegments } == ["Viewers"] })
        let after = try #require(ingestor.read { $0.segmentsReport(SegmentsQuery(members: "Active", tickerLimit: 200)) })
        #expect(after.members?.map(\.key) == ["ben"])
        let exit = try #require(after.ticker.first { $0.customer == "anna" && !$0.entered })
        #expect(exit.segment == "Active" && exit.clause == "recency_days <= 7" && !exit.clauseValue)
        // Timers run at the batch, but the exit is dated when the clock crossed her boundary: the first
        // millisecond past seven days after her last event, not the flush's watermark a day later.
        #expect(exit.time == ms("2026-03-08T10:00:00Z") + 1)
        #expect(exit.text == "anna left Active (recency_days <= 7 became false)")
        // Newest first: the exit came after the entry.
        #expect(after.ticker.firstIndex(of: exit)! < after.ticker.lastIndex { $0.customer == "anna" && $0.entered }!)
    }

    @Test func aFlushAtALaterTimeExitsWithoutAnyEvent() throws {
        var pipeline = IngestPipeline(sourceName: "t")
        pipeline.segments = LiveSegments(configuration: try configuration([("Active", "recency_days <= 2")]))
        pipeline.engine.ingest(lines: event("anna", "Page Viewed", "2026-03-01T00:00:00Z"))
        // ingest(lines:) bypasses the pipeline's marks: mark as consume does.
        pipeline.segments!.mark(customer: 0, name: pipeline.engine.lastEventName)
        let t0 = ms("2026-03-01T00:00:00Z")
        #expect(pipeline.segments!.flush(engine: pipeline.engine, now: t0) == 1)
        #expect(pipeline.segments!.membership.sizes == [1])
        #expect(pipeline.segments!.flush(engine: pipeline.engine, now: t0 + 2 * day) == 0)
        #expect(pipeline.segments!.flush(engine: pipeline.engine, now: t0 + 2 * day + 1) == 1)
        #expect(pipeline.segments!.membership.sizes == [0])
        #expect(pipeline.segments!.ticker.newest(1).first?.entered == false)
    }

    @Test func theTickerKeepsTheNewestEntriesInARing() {
        var ticker = SegmentTicker(capacity: 3)
        for i in 0..<5 {
            ticker.append(SegmentTickerEntry(customer: UInt32(i), segment: "S", entered: true, clause: "c", clauseValue: true,
                                             time: Int64(i)))
        }
        #expect(ticker.count == 3)
        #expect(ticker.newest().map(\.customer) == [4, 3, 2])
        #expect(ticker.newest(2).map(\.time) == [4, 3])
    }

    @Test func scoreFieldsComeFromTheTableRebuiltAfterARefit() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("cdnow.jsonl")
        try fixtureText("cdnow/cdnow_sample_events.jsonl").write(toFile: path, atomically: true, encoding: .utf8)
        var pipeline = IngestPipeline(sourceName: path)
        pipeline.segments = LiveSegments(configuration: try configuration([("Scored", "churn_risk >= 0"),
                                                                            ("Likely alive", "p_alive >= 0.5 and orders >= 2")]))
        let ingestor = LiveIngestor(path: path, pipeline: pipeline, quarantinePath: nil)
        ingestor.start()
        defer { ingestor.stop() }
        #expect(eventually { !ingestor.progress.replaying })
        // Before any fit the scores are unknown, and a comparison with an unknown is false.
        #expect(size(ingestor.read { $0.segmentsReport() }, "Scored") == 0)
        let models = ModelRefresher(ingestor: ingestor, options: ScoresOptions(horizonDays: 60))
        let fitted = try #require(models.refit())
        let refresher = SegmentRefresher(ingestor: ingestor, models: models, configPath: nil)
        refresher.rescore()
        #expect(refresher.status.scoreRuns == 1)
        // The ingest thread's flushes sweep the customers with the new table.
        #expect(eventually { !(ingestor.read { $0.segments!.isSweeping }) })
        let (scored, alive, expected) = ingestor.read { p in
            let population = p.engine.populationScores(models: fitted, now: p.engine.watermark!)
            let n = population.churnRisk.filter { $0 >= 0 }.count
            let a = (0..<p.engine.profiles.count).filter {
                population.pAlive[$0] >= 0.5 && p.engine.profiles[$0].orderCount >= 2
            }.count
            return (size(p.segmentsReport(), "Scored"), size(p.segmentsReport(), "Likely alive"), (n, a))
        }
        #expect(expected.0 > 0 && scored == expected.0)
        #expect(expected.1 > 0 && alive == expected.1)
        // RFM and clusters are swapped in by the same refresher.
        refresher.refreshPopulation()
        let rows = try #require(ingestor.read { $0.segmentsReport() }).rows
        #expect(rows.contains { $0.kind == .rfm && $0.size > 0 })
        #expect(rows.contains { $0.kind == .cluster && $0.size > 0 })
        #expect(refresher.status.populationRuns == 1 && refresher.status.lastRFMMs != nil)
    }

    @Test func aReloadKeepsTheOldConfigurationOnBrokenYAMLAndAppliesAFixedRule() throws {
        let dir = try TemporaryDirectory()
        let log = dir.path("events.jsonl"), config = dir.path("foresight.yml")
        try append(event("anna", "Product Viewed", "2026-03-01T10:00:00Z") + event("ben", "Page Viewed", "2026-03-01T11:00:00Z"),
                   to: log)
        try "segments:\n  - name: Viewers\n    rule: product_views >= 1\n".write(toFile: config, atomically: false, encoding: .utf8)
        let load = SegmentsConfiguration.load(path: config)
        #expect(load.isUsable && load.problems.isEmpty)
        var pipeline = IngestPipeline(sourceName: log)
        pipeline.segments = LiveSegments(configuration: load.configuration, problems: load.problems)
        let ingestor = LiveIngestor(path: log, pipeline: pipeline, quarantinePath: nil)
        ingestor.start()
        defer { ingestor.stop() }
        #expect(eventually { size(ingestor.read { $0.segmentsReport() }, "Viewers") == 1 })
        let refresher = SegmentRefresher(ingestor: ingestor, models: nil, configPath: config)
        #expect(!refresher.reloadIfChanged())

        // Broken YAML: the configuration in use stays, its problem is located.
        try "segments:\n  - name: Viewers\n    rule: [product_views >= 1\n".write(toFile: config, atomically: false, encoding: .utf8)
        #expect(refresher.reloadIfChanged())
        let broken = try #require(ingestor.read { $0.segmentsReport() })
        #expect(broken.rows.map(\.name) == ["Viewers"] && size(broken, "Viewers") == 1)
        let problem = try #require(broken.problems.first)
        #expect(problem.file == "foresight.yml" && problem.line >= 1 && problem.column >= 1)
        #expect(refresher.status.refusedReloads == 1)

        // A fixed file with a new rule (and a bad one, left out): applied to every customer.
        try """
        segments:
          - name: Everyone
            rule: events >= 1
          - name: Typo
            rule: evnts >= 1
        """.write(toFile: config, atomically: false, encoding: .utf8)
        #expect(refresher.reloadIfChanged())
        #expect(eventually { !(ingestor.read { $0.segments!.isSweeping }) })
        let fixed = try #require(ingestor.read { $0.segmentsReport(SegmentsQuery(members: "Everyone")) })
        #expect(fixed.rows.filter { $0.kind == .rule }.map(\.name) == ["Everyone"])
        #expect(fixed.members?.map(\.key) == ["anna", "ben"])
        #expect(fixed.problems.count == 1 && fixed.problems[0].line == 5)
        #expect(refresher.status.reloads == 1)
    }

    @Test func theReplayHarnessKeepsSegmentsAndCountsChanges() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("events.jsonl")
        try append(event("anna", "Product Viewed", "2026-03-01T10:00:00Z") + event("ben", "Page Viewed", "2026-03-20T10:00:00Z"),
                   to: path)
        let (without, _) = try SegmentsBenchmark.replay(path: path, segments: nil)
        let (with, pipeline) = try SegmentsBenchmark.replay(path: path, segments: SegmentsBenchmark.sampleConfiguration)
        #expect(without.events == 2 && with.events == 2 && without.changes == 0)
        #expect(with.changes > 0)
        #expect(pipeline.segments?.membership.segments.count == 20)
        // S0 is "recency_days <= 7": anna has left it by ben's event, ben is in.
        #expect(pipeline.segmentsReport(SegmentsQuery(members: "S0"))?.members?.map(\.key) == ["ben"])
    }
}
