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
    // The campaign triggers (`triggers:`, `campaigns:`), read once; they watch the dashboard's own segments.
    let campaigns = dashboardCampaigns(config: config, engine: options.engineConfig, configUnreadable: segments.problems.contains {
        $0.reason.hasPrefix("YAML")
    })
    // From the state file's checkpoint when there is one: only the log after it is read.
    let session = try StateSession.open(options, create: true)
    var pipeline = session.pipeline
    pipeline.segments = segments
    // Memberships are recomputed from the restored profiles (see DECISIONS.md, Durable state).
    if session.restored { pipeline.segments?.evaluateAll(engine: pipeline.engine) }
    // After the segments, so that segment triggers get their changes (a restored pipeline starts with a fresh
    // runner: the triggers see the log read after the checkpoint).
    if let campaigns { pipeline.setCampaigns(campaigns) }
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

/// The dashboard's campaign triggers: nil without a configuration, without triggers, or when the file cannot
/// be read (its problems were printed; the dashboard runs without triggers). The dashboard keeps its own
/// segments, so the ones ``CampaignSetup`` builds for segment triggers are not used.
func dashboardCampaigns(config: ConfigOptions, engine: EngineConfig, configUnreadable: Bool) -> CampaignRunner? {
    guard (try? config.resolvedPath()) ?? nil != nil else { return nil }
    guard !configUnreadable else {
        printError("running without campaign triggers until the configuration is fixed")
        return nil
    }
    do {
        let runner = try CampaignSetup.load(config: config, engine: engine).runner
        return runner.triggers.isEmpty && runner.problems.isEmpty ? nil : runner
    } catch {
        printError("\(error); running without campaign triggers")
        return nil
    }
}
