/// Runs a `LiveSimulator` against the wall clock, appending a batch of whole lines to a file every
/// tick until stopped.
///
/// Event time follows `simulator.start + elapsed wall time × simulator.speed`. Each batch is one
/// `write(2)` on a descriptor opened with `O_APPEND`, so a reader tailing the file never sees half a
/// line from us. The demo runs it on a background thread:
///
/// ```swift
/// let stop = StopFlag()
/// let thread = Thread {
///     var runner = SimulationRunner(simulator: LiveSimulator(seed: 42, customers: 2_000, start: now, rate: 20))
///     _ = try? runner.run(appendingTo: "Data/events.jsonl", clock: SystemClock(), stop: stop)
/// }
/// thread.start()
/// // … later: stop.stop()
/// ```
public struct SimulationRunner {
    /// The simulator being driven.
    public private(set) var simulator: LiveSimulator
    /// Milliseconds of wall time between two batches.
    public let tickMilliseconds: Int64
    private var buffer: [UInt8] = []

    /// Creates a runner.
    ///
    /// - Parameters:
    ///   - simulator: the event source; its `start`, `rate` and `speed` set the pace.
    ///   - tickMilliseconds: wall time between batches (50–100 ms keeps batches small).
    public init(simulator: LiveSimulator, tickMilliseconds: Int64 = 100) {
        self.simulator = simulator
        self.tickMilliseconds = max(1, tickMilliseconds)
    }

    /// Opens `path` for appending (creating it if missing) and runs until `stop` is set.
    ///
    /// - Parameters:
    ///   - path: the event log to append to.
    ///   - clock: the wall clock to follow.
    ///   - stop: checked before every batch.
    ///   - maxTicks: stop after this many batches (for tests); nil runs until `stop`.
    /// - Returns: what was written.
    public mutating func run(
        appendingTo path: String, clock: some SimulationClock, stop: StopFlag, maxTicks: Int? = nil
    ) throws(OutputError) -> OutputCounts {
        let output = try FileOutput(path: path, append: true)
        return try run(output: output, clock: clock, stop: stop, maxTicks: maxTicks)
    }

    /// Runs until `stop` is set (or `maxTicks` batches), writing each batch to `output`.
    public mutating func run(
        output: borrowing FileOutput, clock: some SimulationClock, stop: StopFlag, maxTicks: Int? = nil
    ) throws(OutputError) -> OutputCounts {
        let wallStart = clock.now()
        var tick: Int64 = 0
        while !stop.isStopped {
            if let maxTicks, tick >= Int64(maxTicks) { break }
            tick += 1
            clock.sleep(until: wallStart + tick * tickMilliseconds)
            let elapsed = clock.now() - wallStart
            buffer.removeAll(keepingCapacity: true)
            simulator.events(until: simulator.start + Int64(Double(elapsed) * simulator.speed), into: &buffer)
            if !buffer.isEmpty { try output.write(buffer) }
        }
        return simulator.counts
    }
}
