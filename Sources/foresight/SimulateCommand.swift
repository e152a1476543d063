import ArgumentParser
import Dispatch
import ForesightSim

#if canImport(Glibc)
import Glibc
#endif

/// `foresight simulate`: appends fresh events to an event log at a steady rate until interrupted.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Append live synthetic events to an event log until interrupted.",
        discussion: """
            Continues the population of a generated file: use the --seed and --customers it was \
            generated with, and its customers come back while new ones arrive. Stops cleanly on \
            Ctrl-C (SIGINT) or SIGTERM.
            """
    )

    @Argument(help: "The event log to append to (created if missing).")
    var file: String

    @Option(help: "Events per second.")
    var rate: Double

    @Option(help: "Seed of the population being continued.")
    var seed: UInt64 = 42

    @Option(help: "Customers already in the file.")
    var customers: Int = 1_000

    @Option(help: "Event time of the first event: an ISO-8601 time, or 'now'.")
    var start: String = "now"

    @Option(help: "Event-time seconds per wall-clock second.")
    var speed: Double = 1

    func validate() throws {
        guard rate > 0 else { throw ValidationError("--rate must be greater than 0.") }
        guard speed > 0 else { throw ValidationError("--speed must be greater than 0.") }
        guard customers >= 0 else { throw ValidationError("--customers must be 0 or more.") }
        guard start == "now" || SimTime.parse(start) != nil else {
            throw ValidationError("--start '\(start)' is neither 'now' nor an ISO-8601 time such as 2026-11-01T00:00:00Z.")
        }
    }

    func run() throws {
        let clock = SystemClock()
        let first = start == "now" ? clock.now() : (SimTime.parse(start) ?? clock.now())
        let stop = StopFlag()
        let signals = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.stop() }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        standardError("simulating \(formatted(rate)) events/s into \(file) from \(SimTime.format(first)); Ctrl-C stops\n")
        let began = monotonicSeconds()
        let simulator = LiveSimulator(seed: seed, customers: customers, start: first, rate: rate, speed: speed)
        var runner = SimulationRunner(simulator: simulator)
        let counts = try runner.run(appendingTo: file, clock: clock, stop: stop)
        let seconds = monotonicSeconds() - began
        standardError(
            "appended \(counts.events) events (\(runner.simulator.population - customers) new customers) "
                + "in \(formatted(seconds)) s\n")
    }
}
