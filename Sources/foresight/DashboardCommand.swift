import ArgumentParser
import Dispatch
import ForesightCore
import ForesightStore
import ForesightTerminal
import ForesightUI
import Foundation

struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "The live dashboard over an event log: replays it, then follows it like tail -F.",
        discussion: "Pass - to read events from standard input (a collector's pipe, kcat, …)."
    )

    @OptionGroup var log: LogOptions

    @OptionGroup var configuration: ConfigOptions

    @Option(help: "Shortest time between two frames while events stream in, in milliseconds.")
    var frameMs: Int = 50

    func run() throws {
        try runDashboard(path: log.file, sourceName: log.file, options: log, config: configuration, frameMs: frameMs,
                         background: nil)
    }
}

/// Starts ingestion and the dashboard on this terminal; returns when the user quits.
/// - Parameter background: work to stop when the dashboard closes (the demo's simulator).
func runDashboard(path: String, sourceName: String, options: LogOptions, config: ConfigOptions, frameMs: Int,
                  background: (() -> Void)?) throws {
    guard Terminal.isInteractive() else {
        background?()
        throw CLIError("""
            The dashboard needs a terminal (standard input and output must be a TTY).
            For scripts and pipes use the headless commands, which print text, --json or --csv:
              foresight report FILE [--json]     totals, breakdowns and rejected lines
              foresight customers / customer     the customers table, one customer's journey
              foresight scores / backtest        live scores, model accuracy on a hold-out
              foresight generate / simulate      make or extend an event log
              foresight bench                    measure ingest speed and memory
            """)
    }
    // Problems in the configuration go to standard error before the dashboard opens (and stay for the screen).
    let (segments, configPath) = try config.liveSegments(engine: options.engineConfig)
    let journeys = try config.journeys()
    // From the state file's checkpoint when there is one: only the log after it is read.
    let session = try StateSession.open(options, create: true)
    var pipeline = session.pipeline
    pipeline.segments = segments
    // Memberships are recomputed from the restored profiles (see DECISIONS.md, Durable state).
    if session.restored { pipeline.segments?.evaluateAll(engine: pipeline.engine) }
    let ingestor = LiveIngestor(path: path, pipeline: pipeline, quarantinePath: options.quarantinePath, resume: session.resume)
    ingestor.start()

    // The models refit in the background as the log grows; scores are computed from them on every frame.
    let refresher = ModelRefresher(ingestor: ingestor, clock: monotonicSeconds)
    refresher.start()
    // RFM, clusters and score tables in the background; the configuration file is polled for edits.
    let segmentRefresher = SegmentRefresher(ingestor: ingestor, models: refresher, configPath: configPath)
    segmentRefresher.start()
    // Checkpoints every --checkpoint-every seconds and on exit; erasures by `foresight forget` are picked up.
    let checkpointer = session.store.map {
        Checkpointer(store: $0, ingestor: ingestor, interval: options.stateOptions.checkpointEvery, written: session.written,
                     extras: { StateExtras.gather(ingestor: ingestor, models: refresher) })
    }
    checkpointer?.start()
    defer {
        segmentRefresher.stop()
        refresher.stop()
        ingestor.stop()
        checkpointer?.stop()
        background?()
    }
    try TerminalSession.run { backend in
        let runtime = DashboardRuntime(ingestor: ingestor, refresher: refresher, backend: backend, sourceName: sourceName,
                                       frameInterval: Double(max(10, frameMs)) / 1000, clock: monotonicSeconds,
                                       shouldStop: { TerminalSignals.stopRequested }, journeys: journeys)
        runtime.run()
    }
}
