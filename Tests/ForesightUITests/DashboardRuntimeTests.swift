import Foundation
import ForesightCore
import ForesightTestSupport
import ForesightUI
import Testing

/// The real runtime loop with a ``HeadlessBackend`` and a real ``LiveIngestor`` following a temporary file.
/// Every wait is a bounded loop of `step` calls ending on what the frame shows, never on elapsed time.
struct DashboardRuntimeTests {
    static func monotonic() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Steps the runtime (feeding `key` first, once) until the last frame satisfies `condition` or 10 s pass.
    @discardableResult
    func step(_ runtime: DashboardRuntime, key: Key? = nil, until condition: (String) -> Bool) -> (screen: String, ok: Bool) {
        let deadline = Self.monotonic() + 10
        runtime.step(key: key)
        var screen = runtime.lastFrame.text
        while !condition(screen) {
            if Self.monotonic() > deadline { return (screen, false) }
            usleep(2_000)
            runtime.step(key: nil)
            screen = runtime.lastFrame.text
        }
        return (screen, true)
    }

    func makeRuntime(log: String, size: Size = Size(width: 120, height: 40)) -> (DashboardRuntime, HeadlessBackend, LiveIngestor) {
        let ingestor = LiveIngestor(path: log, pipeline: IngestPipeline(sourceName: "events.jsonl"), quarantinePath: nil)
        let backend = HeadlessBackend(size: size)
        let runtime = DashboardRuntime(ingestor: ingestor, backend: backend, sourceName: "events.jsonl",
                                       frameInterval: 0.01, clock: { Self.monotonic() })
        return (runtime, backend, ingestor)
    }

    @Test func followsAppendedLinesAndDrillsIntoACustomer() throws {
        let dir = try TemporaryDirectory("dashboard-runtime")
        defer { dir.cleanup() }
        let log = dir.file("events.jsonl")
        let fixture = try String(contentsOfFile: try DashboardFixture.path(), encoding: .utf8)
        let lines = fixture.split(separator: "\n")
        // The first 17 lines hold 15 events (a duplicate and a rejected line), of 5 customers.
        try (lines.prefix(17).joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let (runtime, backend, ingestor) = makeRuntime(log: log)
        ingestor.start()
        defer { ingestor.stop() }

        // The header says LIVE once the end of the log was reached (a frame or two after the last count).
        let first = step(runtime) { $0.contains("15 events accepted") && $0.contains("5 customers") && $0.contains("LIVE") }
        try #require(first.ok, "the replayed count never showed:\n\(first.screen)")
        #expect(backend.lastFrame?.text == first.screen, "the backend got the frame")

        let handle = try #require(FileHandle(forWritingAtPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((lines.dropFirst(17).joined(separator: "\n") + "\n").utf8))
        try handle.close()
        let all = step(runtime) { $0.contains("\(DashboardFixture.accepted) events accepted") }
        #expect(all.ok, "the appended events never showed:\n\(all.screen)")
        #expect(all.screen.contains("\(DashboardFixture.customers) customers"))
        #expect(all.screen.contains("\(DashboardFixture.rejected) lines rejected"))

        // Customers, sorted by revenue in the background: bob first, alice second.
        let table = step(runtime, key: .char("2")) { $0.contains("Customers: 8") && $0.contains("bob") }
        #expect(table.ok, "the customers table never showed:\n\(table.screen)")
        runtime.step(key: .down)
        let detail = step(runtime, key: .enter) { $0.contains("Journey timeline") }
        #expect(detail.ok, "Enter did not open a customer:\n\(detail.screen)")
        #expect(runtime.state.screen == .customer(try #require(ingestor.read { $0.engine.customers.lookup("alice") })))
        #expect(detail.screen.contains("Alice Martin"))
        #expect(detail.screen.contains("17 events, following the newest"))

        let back = step(runtime, key: .escape) { $0.contains("Customers: 8") }
        #expect(back.ok)
        #expect(runtime.state.customers.selected == 1)
    }

    @Test func pauseStopsReadingUntilResumed() throws {
        let dir = try TemporaryDirectory("dashboard-runtime")
        defer { dir.cleanup() }
        let log = dir.file("events.jsonl")
        let event = #"{"event":"Page Viewed","userId":"u1","timestamp":"2026-03-02T10:00:00Z"}"#
        try (event + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let (runtime, _, ingestor) = makeRuntime(log: log)
        ingestor.start()
        defer { ingestor.stop() }
        try #require(step(runtime) { $0.contains("1 event accepted") }.ok)

        let paused = step(runtime, key: .char("p")) { $0.contains("PAUSED") }
        #expect(paused.ok, "the header never said PAUSED:\n\(paused.screen)")
        #expect(ingestor.isPaused)
        let handle = try #require(FileHandle(forWritingAtPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((event + "\n" + event + "\n").utf8))
        try handle.close()
        let resumed = step(runtime, key: .char("p")) { $0.contains("3 events accepted") }
        #expect(resumed.ok, "the events written while paused never showed:\n\(resumed.screen)")
        #expect(!ingestor.isPaused)
    }

    @Test func quitEndsTheLoop() throws {
        let dir = try TemporaryDirectory("dashboard-runtime")
        defer { dir.cleanup() }
        let log = dir.file("events.jsonl")
        try "".write(toFile: log, atomically: true, encoding: .utf8)
        let (runtime, backend, ingestor) = makeRuntime(log: log)
        ingestor.start()
        defer { ingestor.stop() }
        backend.pendingKeys = [.char("2"), .char("?"), .char("q")]
        runtime.run()
        #expect(runtime.state.shouldQuit)
        #expect(backend.pendingKeys.isEmpty)
        #expect(runtime.framesDrawn >= 1)
    }
}
