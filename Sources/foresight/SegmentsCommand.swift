import ArgumentParser
import ForesightCore
import ForesightUI
import Foundation

/// `--config FILE` for the commands that read segment definitions.
struct ConfigOption: ParsableArguments {
    @Option(help: ArgumentHelp("The configuration (segments, RFM names, clusters). Default: Data/foresight.yml.", valueName: "file"))
    var config: String?

    /// Loads the configuration, printing each problem as file:line:column: reason; throws when the file
    /// cannot be used at all (missing, or not YAML).
    func load() throws -> SegmentsConfiguration {
        guard let path = config ?? locateDataFile("foresight.yml") else {
            throw CLIError("Cannot find Data/foresight.yml. Run from the repository's top folder, or pass --config FILE.")
        }
        let loaded = SegmentsConfiguration.load(path: path)
        for problem in loaded.problems { printError("\(problem)") }
        guard loaded.isUsable else {
            throw CLIError("\(path): the configuration cannot be read (see above); fix it and run again.")
        }
        return loaded.configuration
    }
}

/// A file of Data/: under the current directory, or next to the package the binary was built in.
func locateDataFile(_ name: String) -> String? {
    var candidates = [FileManager.default.currentDirectoryPath + "/Data/" + name]
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<5 {
        candidates.append(dir.appendingPathComponent("Data/" + name).path)
        dir = dir.deletingLastPathComponent()
    }
    return candidates.first { FileManager.default.fileExists(atPath: $0) }
}

/// The segmentation of a replayed log at its last event, with the scores rules may use.
func replaySegments(log: LogOptions, config: ConfigOption, clusters: Bool) throws -> (Engine, SegmentCatalog, PredictionModels?) {
    let configuration = try config.load()
    let (pipeline, _) = try log.replay()
    let engine = pipeline.engine
    let now = engine.watermark ?? 0
    // Score fields (churn_risk, p_alive, clv, expected_orders) need the models: fitted only when a rule uses them.
    var models: PredictionModels?
    var table = SegmentScoreTable(customers: 0)
    if configuration.segments.contains(where: { $0.rule.usesScores }), engine.watermark != nil {
        let fitted = engine.fitModels(asOf: now)
        table = SegmentScoreTable(engine.populationScores(models: fitted, now: now))
        models = fitted
    }
    return (engine, engine.segmentCatalog(configuration: configuration, scores: table, now: now, clusters: clusters), models)
}

struct SegmentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segments",
        abstract: "Every segment at the log's last event: rule segments, RFM segments and behavioural clusters, with sizes."
    )

    @OptionGroup var log: LogOptions
    @OptionGroup var config: ConfigOption

    @Flag(help: "Leave out the behavioural clusters (their fit is the slowest part).")
    var noClusters = false

    @Flag(help: "Print JSON.")
    var json = false

    struct Output: Encodable {
        var asOf: String?
        var customers: Int
        var segments: [SegmentRow]
    }

    func run() throws {
        let (engine, catalog, _) = try replaySegments(log: log, config: config, clusters: !noClusters)
        let rows = catalog.rows(customers: engine.profiles.count)
        if json {
            try printJSON(Output(asOf: engine.watermark.map { Timestamp.iso8601($0) }, customers: engine.profiles.count, segments: rows))
            return
        }
        print("Segments of \(Format.integer(engine.profiles.count)) customers" + (engine.watermark.map { " at \(Timestamp.short($0)) UTC" } ?? ""))
        let nameWidth = min(48, max(8, rows.map(\.name.count).max() ?? 8))
        print("Segment".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  Kind     Customers  Share  Definition")
        for r in rows {
            let name = r.name.count > nameWidth ? String(r.name.prefix(nameWidth - 1)) + "…" : r.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let size = Format.integer(r.size), share = Format.percent(r.share, places: 1)
            print(name + "  " + r.kind.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0) + "  "
                + String(repeating: " ", count: max(0, 9 - size.count)) + size + "  "
                + String(repeating: " ", count: max(0, 5 - share.count)) + share + "  " + r.definition)
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "The members of one segment with their main fields and live scores, for a campaign tool or a spreadsheet."
    )

    @OptionGroup var log: LogOptions
    @OptionGroup var config: ConfigOption

    @Option(help: "The segment's name, as `foresight segments` lists it.")
    var segment: String

    @Flag(help: "Print CSV.")
    var csv = false

    @Flag(help: "Print JSON.")
    var json = false

    struct Row: Encodable {
        var customer: String
        var country: String?
        var lastSeen: String
        var orders: Int
        var revenue: Double
        var stage: String
        var churnRisk: Double?
        var pAlive: Double?
        var clv: Double?
        var nextProduct: String?
    }

    func run() throws {
        let (engine, catalog, fitted) = try replaySegments(log: log, config: config, clusters: true)
        guard let members = catalog.members(of: segment) else {
            let names = catalog.rows(customers: engine.profiles.count).map(\.name)
            throw CLIError("No segment is named \"\(segment)\". The segments are: " + names.joined(separator: ", "))
        }
        let now = engine.watermark ?? 0
        let models = fitted ?? engine.watermark.map { engine.fitModels(asOf: $0) }
        let rows = members.map { c -> Row in
            let r = engine.customerRow(c, now: now, models: models)
            return Row(customer: r.id, country: r.country, lastSeen: Timestamp.iso8601(r.lastSeen), orders: r.orders,
                       revenue: roundCents(r.revenue), stage: r.stage.label, churnRisk: r.churnRisk.map(round4),
                       pAlive: r.pAlive.map(round4), clv: r.clv.map(roundCents), nextProduct: r.nextProduct)
        }
        if json { try printJSON(rows); return }
        if !csv { printError("\(Format.integer(rows.count)) customers in \"\(segment)\" (CSV below; --json for JSON)") }
        print("customer,country,last_seen,orders,revenue,stage,churn_risk,p_alive,clv,next_product")
        for r in rows {
            print([csvField(r.customer), csvField(r.country ?? ""), r.lastSeen, String(r.orders), String(format: "%.2f", r.revenue),
                   csvField(r.stage), r.churnRisk.map { String(format: "%.4f", $0) } ?? "", r.pAlive.map { String(format: "%.4f", $0) } ?? "",
                   r.clv.map { String(format: "%.2f", $0) } ?? "", csvField(r.nextProduct ?? "")].joined(separator: ","))
        }
    }
}

func round4(_ v: Double) -> Double { (v * 10_000).rounded() / 10_000 }
