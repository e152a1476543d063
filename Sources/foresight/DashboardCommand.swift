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

    @Option(help: ArgumentHelp("Where the campaign triggers' messages go (JSON Lines, each once), or 'none'. Default: FILE.outbox.jsonl next to the log.", valueName: "path"))
    var outbox: String?

    @Option(help: ArgumentHelp("Also append the held-out and suppressed decisions, with their reasons, to this file.", valueName: "path"))
    var suppressed: String?

    func run() throws {
        let outboxPath = outbox.map { $0 == "none" ? nil : $0 } ?? (log.file == "-" ? "foresight-stdin.outbox.jsonl" : log.file + ".outbox.jsonl")
        try runDashboard(path: log.file, sourceName: log.file, options: log, config: configuration, frameMs: frameMs,
                         background: nil, outboxPath: outboxPath, suppressedPath: suppressed)
    }
}

/// Starts ingestion and the dashboard on this terminal; returns when the user quits.
/// - Parameter background: work to stop when the dashboard closes (the demo's simulator).
/// - Parameters:
///   - outboxPath: where fired campaign messages are appended (nil: nowhere); suppressedPath: the others.
func runDashboard(path: String, sourceName: String, options: LogOptions, config: ConfigOptions, frameMs: Int,
                  background: (() -> Void)?, outboxPath: String? = nil, suppressedPath: String? = nil) throws {
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
    var campaigns = dashboardCampaigns(config: config, engine: options.engineConfig, configUnreadable: segments.problems.contains {
        $0.reason.hasPrefix("YAML")
    })
    // The outbox is read before anything fires: the messages it holds are not written again.
    var outbox: Outbox?
    var suppressedLog: SuppressedLog?
    if campaigns != nil {
        do {
            outbox = try outboxPath.map { try Outbox(path: $0) }
            suppressedLog = try suppressedPath.map { try SuppressedLog(path: $0) }
        } catch let error as OutboxError {
            background?()
            throw CLIError("\(error.description). Pass --outbox PATH for another file, or --outbox none.")
        }
        if let outbox {
            campaigns?.delivered = outbox.ids
            if outbox.tornBytesCut > 0 { printError("\(outbox.path): cut a torn last line left by a crash; its message is written again") }
        }
        campaigns?.emitsDecisions = outbox != nil || suppressedLog != nil
    }
    // From the state file's checkpoint when there is one: only the log after it is read.
    let session = try StateSession.open(options, create: true)
    var pipeline = session.pipeline
    pipeline.segments = segments
    // Memberships are recomputed from the restored profiles (see DECISIONS.md, Durable state).
    if session.restored { pipeline.segments?.evaluateAll(engine: pipeline.engine) }
    // After the segments, so that segment triggers get their changes; a restored pipeline hands the runner the
    // state of its checkpoint (timers, cooldowns, caps, counts) when the triggers are the same.
    if let campaigns { pipeline.setCampaigns(campaigns) }
    let ingestor = LiveIngestor(path: path, pipeline: pipeline, quarantinePath: options.quarantinePath, resume: session.resume,
                                outbox: outbox, suppressedLog: suppressedLog)
    ingestor.start()

    // The models refit in the background as the log grows; scores are computed from them on every frame.
    let refresher = ModelRefresher(ingestor: ingestor, clock: monotonicSeconds)
    refresher.start()
    // RFM, clusters and score tables in the background; the configuration file is polled for edits.
    // Without triggers now, the first ones added to the file start on the events from then on.
    let campaignStart = campaigns == nil
        ? SegmentRefresher.CampaignStart(outboxPath: outboxPath, suppressedPath: suppressedPath, stageRules: journeys.stageRules)
        : nil
    let segmentRefresher = SegmentRefresher(ingestor: ingestor, models: refresher, configPath: configPath,
                                            campaignStart: campaignStart)
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
