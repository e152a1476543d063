import ArgumentParser
import ForesightCore
import ForesightSim
import Foundation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The dashboard on the bundled demo data, with a simulator appending fresh events.",
        discussion: """
            Copies Data/events.jsonl to a temporary directory, starts a simulator that appends events for the \
            same customers there, and opens the dashboard on it. Nothing in Data/ is changed.
            """
    )

    @Option(help: "The demo log to start from.")
    var data: String?

    @Option(help: "Simulated events per second of wall time.")
    var rate: Double = 8

    @Option(help: "Event-time seconds per wall second (300: a simulated day passes in under 5 minutes).")
    var speed: Double = 300

    @Option(help: "Seed and customer count the demo log was generated with (see Data/README.md).")
    var seed: UInt64 = 42

    @Option(help: "Customers in the demo log.")
    var customers: Int = 1000

    @Option(help: "Shortest time between two frames while events stream in, in milliseconds.")
    var frameMs: Int = 50

    @OptionGroup var configuration: ConfigOptions

    func run() throws {
        let source = try data ?? Self.locateDemoData()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("foresight-demo-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let log = dir.appendingPathComponent("events.jsonl").path
        if FileManager.default.fileExists(atPath: log) { try FileManager.default.removeItem(atPath: log) }
        do {
            try FileManager.default.copyItem(atPath: source, toPath: log)
        } catch {
            throw CLIError("Cannot copy the demo data \(source) to \(log): \(error.localizedDescription)")
        }
        let start = Self.lastTimestamp(of: log) ?? Int64(Date().timeIntervalSince1970 * 1000)
        let stop = StopFlag()
        let done = DispatchSemaphore(value: 0)
        let (seed, customers, rate, speed) = (self.seed, self.customers, self.rate, self.speed)
        Thread.detachNewThread {
            let simulator = LiveSimulator(seed: seed, customers: customers, start: start + 1000, rate: rate, speed: speed)
            var runner = SimulationRunner(simulator: simulator, tickMilliseconds: 100)
            _ = try? runner.run(appendingTo: log, clock: SystemClock(), stop: stop)
            done.signal()
        }
        var options = try LogOptions.parse([log, "--no-state"])
        options.quarantine = dir.appendingPathComponent("events.jsonl.quarantine.jsonl").path
        try runDashboard(path: log, sourceName: "demo: \(URL(fileURLWithPath: source).lastPathComponent) + live simulator",
                         options: options, config: configuration, frameMs: frameMs, background: {
            stop.stop()
            _ = done.wait(timeout: .now() + 2)
            try? FileManager.default.removeItem(at: dir)
        })
    }

    /// Finds Data/events.jsonl: under the current directory, or next to the package the binary was built in.
    static func locateDemoData() throws -> String {
        if let found = locateDataFile("events.jsonl") { return found }
        throw CLIError("Cannot find the demo data Data/events.jsonl. Run from the repository's top folder, or pass --data FILE.")
    }

    /// The newest event time among the last lines of a log (nil when none parses).
    static func lastTimestamp(of path: String) -> Int64? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 65_536 ? size - 65_536 : 0)
        guard let data = try? handle.readToEnd() else { return nil }
        var parser = EventParser()
        var newest: Int64?
        for line in data.split(separator: UInt8(ascii: "\n")) {
            let error = Array(line).withUnsafeBytes { parser.parse($0) }
            if error == nil { newest = max(newest ?? Int64.min, parser.event.timestamp) }
        }
        return newest
    }
}
