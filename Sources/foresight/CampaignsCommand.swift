import ArgumentParser
import ForesightCore
import ForesightStore
import ForesightUI
import Foundation

/// The campaign triggers of a configuration, with the segments and stages they read.
struct CampaignSetup {
    var runner: CampaignRunner
    var segments: LiveSegments?

    /// Loads `triggers:` and `campaigns:` (problems printed as file:line:column), and the segments when a
    /// trigger watches one.
    static func load(config: ConfigOptions, engine: EngineConfig) throws -> CampaignSetup {
        guard let path = try config.resolvedPath() else {
            throw CLIError("Cannot find Data/foresight.yml. Run from the repository's top folder, or pass --config FILE.")
        }
        let segmentsLoad = SegmentsConfiguration.load(path: path)
        let stages = JourneysConfiguration.load(path: path).configuration.stageRules
        let load = CampaignsConfiguration.load(path: path, segments: segmentsLoad.configuration.segments.map(\.name))
        for problem in load.problems { printError(problem.description) }
        guard load.isUsable else { throw CLIError("\(path): the configuration cannot be read (see above); fix it and run again.") }
        let runner = CampaignRunner(configuration: load.configuration, problems: load.problems, stageRules: stages)
        var segments: LiveSegments?
        if runner.watchesSegments {
            // Only the watched segments (and those they refer to) are kept current.
            var live = LiveSegments(configuration: runner.watchedSegments(in: segmentsLoad.configuration), problems: segmentsLoad.problems, stageRules: stages,
                                    sessionGapMs: engine.sessionGapMs)
            live.explainsChanges = false
            segments = live
        }
        return CampaignSetup(runner: runner, segments: segments)
    }
}

struct CampaignsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaigns",
        abstract: "Replays a log through the campaign triggers: a dry run reports what would fire and what would be suppressed, and why; with --outbox the messages are written.",
        discussion: """
        A dry run writes nothing: per trigger it counts the messages that would go out, the customers held out as \
        the control group, and the suppressed ones by reason. --from/--to limit the causes counted to a range of \
        event time (the whole log is still read, so that timers and histories are right). With --outbox PATH every \
        fired message is appended to PATH as one JSON line, each exactly once: a second run over the same log adds \
        nothing. Score triggers fire between two score runs, one every --rescore-every of event time (the models \
        are refitted when the log doubled). Customers erased with `foresight forget` are never messaged.
        """
    )

    @OptionGroup var log: LogOptions
    @OptionGroup var config: ConfigOptions

    @Flag(help: "Write nothing; report what would fire.")
    var dryRun = false

    @Option(help: ArgumentHelp("Count only causes from this day (YYYY-MM-DD, UTC) or ISO-8601 time on.", valueName: "date"))
    var from: String?

    @Option(help: ArgumentHelp("Count only causes before this day or time.", valueName: "date"))
    var to: String?

    @Option(help: ArgumentHelp("Append each fired message to this file (JSON Lines), once.", valueName: "path"))
    var outbox: String?

    @Option(help: ArgumentHelp("Append the suppressed and held-out decisions, with their reasons, to this file.", valueName: "path"))
    var suppressed: String?

    @Option(help: ArgumentHelp("Event time between two score runs, for score triggers (7d, 24h).", valueName: "duration"))
    var rescoreEvery: String = "14d"

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Print CSV: one row per trigger (counts, suppressions by reason, conversions and uplift).")
    var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv: say one") }
        if dryRun && (outbox != nil || suppressed != nil) { throw ValidationError("--dry-run writes nothing: leave out --outbox and --suppressed") }
        if !dryRun && outbox == nil { throw ValidationError("say --dry-run to report what would fire, or --outbox PATH to write the messages") }
    }

    func run() throws {
        var setup = try CampaignSetup.load(config: config, engine: log.engineConfig)
        if let from { setup.runner.from = try parseDate(from, option: "--from") }
        if let to { setup.runner.to = try parseDate(to, option: "--to") }
        if let a = setup.runner.from, let b = setup.runner.to, a >= b { throw CLIError("--from must be before --to") }
        let rescore: Int64
        do throws(JourneyError) { rescore = try JourneyDuration.parse(rescoreEvery) } catch { throw CLIError("--rescore-every: \(error.description)") }
        var box: Outbox?
        var spared: SuppressedLog?
        do {
            box = try outbox.map { try Outbox(path: $0) }
            spared = try suppressed.map { try SuppressedLog(path: $0) }
        } catch let error as OutboxError {
            throw CLIError(error.description)
        }
        if let box {
            setup.runner.delivered = box.ids
            if box.tornBytesCut > 0 { printError("\(box.path): cut a torn last line (\(box.tornBytesCut) bytes) left by a crash; its message is written again") }
        }
        setup.runner.emitsDecisions = box != nil || spared != nil
        var pipeline = IngestPipeline(engine: Engine(config: log.engineConfig), sourceName: log.file == "-" ? "stdin" : log.file)
        // The whole log is read (the triggers need its history), but customers erased with `foresight forget`
        // stay erased: their keys are suppressed before the first line, so they are never messaged.
        if let statePath = log.stateOptions.path(forLog: log.file), FileManager.default.fileExists(atPath: statePath) {
            do {
                let erased = try StateStore(path: statePath).pendingErasures(after: 0)
                if !erased.keyHashes.isEmpty { pipeline.forget(keyHashes: erased.keyHashes) }
            } catch {
                throw CLIError("\(error)")
            }
        }
        pipeline.segments = setup.segments
        pipeline.setCampaigns(setup.runner)
        let quarantine = log.quarantinePath.map { QuarantineWriter(path: $0) }
        var written = 0
        do {
            _ = try CampaignReplay.run(path: log.file, maxLineBytes: log.maxLineBytes, pipeline: &pipeline,
                                       options: CampaignReplay.Options(rescoreEveryMs: rescore), quarantine: quarantine, clock: monotonicSeconds) { decisions in
                written += try box?.append(decisions) ?? 0
                try spared?.append(decisions)
            }
        } catch let error as IngestError {
            throw CLIError(error.message)
        } catch let error as OutboxError {
            throw CLIError(error.description + " (the messages written so far stay; run again to write the rest, once)")
        }
        quarantine?.flush()
        guard let runner = pipeline.campaigns else { return }
        let report = runner.report(now: pipeline.engine.watermark)
        if json {
            try printJSON(Output(report: report, dryRun: dryRun, outbox: outbox, written: box == nil ? nil : written))
            return
        }
        let outboxLine = box.map { "Outbox \($0.path): \(Format.integer(written)) new messages written (\(Format.integer($0.linesAtOpen)) were there already)" }
        if csv {
            print(CampaignsCSV.render(report), terminator: "")
            if let outboxLine { printError(outboxLine) }
            return
        }
        print(CampaignsText.render(report, dryRun: dryRun))
        if let outboxLine { print("\n" + outboxLine) }
    }

    struct Output: Encodable {
        var report: CampaignsReport
        var dryRun: Bool
        var outbox: String?
        var written: Int?

        func encode(to encoder: Encoder) throws {
            try report.encode(to: encoder)
            enum K: String, CodingKey { case dryRun, outbox, written }
            var c = encoder.container(keyedBy: K.self)
            try c.encode(dryRun, forKey: .dryRun)
            try c.encodeIfPresent(outbox, forKey: .outbox)
            try c.encodeIfPresent(written, forKey: .written)
        }
    }
}

/// The text form of a ``CampaignsReport``.
enum CampaignsText {
    static func render(_ r: CampaignsReport, dryRun: Bool) -> String {
        var out: [String] = []
        let range = [r.from.map { "from \($0)" }, r.to.map { "to \($0)" }].compactMap { $0 }.joined(separator: " ")
        out.append((dryRun ? "Dry run" : "Campaigns") + (range.isEmpty ? "" : " \(range)") + (r.asOf.map { ", log up to \($0)" } ?? ""))
        out.append("")
        let reasons = SuppressionReason.suppressing
        for t in r.triggers {
            out.append("\(t.name)  [\(t.channel): \(t.template)]")
            out.append("  when:       \(t.rule)")
            var line = "  \(dryRun ? "would fire" : "fired"):\(pad(Format.integer(t.fired), 9))   held out: \(Format.integer(t.heldOut))"
            if t.delayed > 0 { line += "   delayed by quiet hours: \(Format.integer(t.delayed))" }
            out.append(line)
            let s = reasons.compactMap { reason in t.suppressed[reason.rawValue].map { "\(reason.label) \(Format.integer($0))" } }
            out.append("  suppressed: " + (s.isEmpty ? "none" : s.joined(separator: ", ")))
            let c = t.conversion
            if let u = c.uplift, let i = c.interval {
                out.append("  \(t.goal) within \(t.goalWindow): messaged \(pct(c.treatedRate)) of \(Format.integer(c.treated)), held out \(pct(c.heldOutRate)) of \(Format.integer(c.heldOut)); uplift \(signed(u)) (95% CI \(signed(i.low)) to \(signed(i.high)))")
            } else {
                out.append("  \(t.goal) within \(t.goalWindow): messaged \(pct(c.treatedRate)) of \(Format.integer(c.treated)), held out \(pct(c.heldOutRate)) of \(Format.integer(c.heldOut)); uplift not measurable yet")
            }
            out.append("")
        }
        out.append("Total: \(Format.integer(r.fired)) \(dryRun ? "would fire" : "fired"), \(Format.integer(r.heldOut)) held out, \(Format.integer(r.suppressed)) suppressed" + (r.waiting > 0 ? ", \(Format.integer(r.waiting)) waiting for the end of quiet hours" : ""))
        return out.joined(separator: "\n")
    }

    static func pad(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(1, width - s.count)) + s }
    static func pct(_ v: Double?) -> String { v.map { Format.percent($0, places: 1) } ?? "–" }
    static func signed(_ v: Double) -> String { (v >= 0 ? "+" : "−") + Format.decimal(abs(v) * 100, places: 1) + " pts" }
}

/// The CSV form of a ``CampaignsReport``: one row per trigger, the same numbers as the JSON (rates and the
/// uplift as fractions, empty while not measurable).
enum CampaignsCSV {
    /// The suppression reasons, one column each (held out has its own column).
    static let reasons = SuppressionReason.suppressing

    static func render(_ r: CampaignsReport) -> String {
        var header = ["trigger", "channel", "template", "rule", "fired", "held_out", "delayed", "suppressed"]
        header += reasons.map { "suppressed_" + $0.rawValue }
        header += ["goal", "goal_window", "messaged", "messaged_converted", "held_out_customers", "held_out_converted",
                   "messaged_rate", "held_out_rate", "uplift", "uplift_low", "uplift_high"]
        var lines = [header.joined(separator: ",")]
        for t in r.triggers {
            let c = t.conversion
            var fields = [csvField(t.name), csvField(t.channel), csvField(t.template), csvField(t.rule),
                          String(t.fired), String(t.heldOut), String(t.delayed),
                          String(reasons.reduce(0) { $0 + (t.suppressed[$1.rawValue] ?? 0) })]
            fields += reasons.map { String(t.suppressed[$0.rawValue] ?? 0) }
            fields += [csvField(t.goal), csvField(t.goalWindow), String(c.treated), String(c.treatedConverted),
                       String(c.heldOut), String(c.heldOutConverted),
                       fraction(c.treatedRate), fraction(c.heldOutRate), fraction(c.uplift),
                       fraction(c.interval?.low), fraction(c.interval?.high)]
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Four decimals, as the JSON rounds them; empty for nil.
    static func fraction(_ v: Double?) -> String {
        guard let v else { return "" }
        let rounded = round4(v)
        return String(format: "%.4f", rounded == 0 ? 0 : rounded)
    }
}

extension SuppressionReason {
    /// The reasons a message was not sent, apart from the control group (which the reports count on its own).
    static let suppressing = allCases.filter { $0 != .heldOut }
}
