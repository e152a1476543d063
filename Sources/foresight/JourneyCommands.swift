import ArgumentParser
import ForesightCore
import ForesightUI
import Foundation

extension ConfigOption {
    /// The `journeys:` section of the configuration, its problems printed as file:line:column: reason.
    /// Without `--config` and without a Data/foresight.yml, the standard stages and funnel.
    func loadJourneys() throws -> JourneysConfiguration {
        guard let path = config ?? locateDataFile("foresight.yml") else { return JourneysConfiguration() }
        let loaded = JourneysConfiguration.load(path: path)
        for problem in loaded.problems { printError("\(problem)") }
        guard loaded.isUsable else {
            throw CLIError("\(path): the configuration cannot be read (see above); fix it and run again.")
        }
        return loaded.configuration
    }
}

/// Seconds as the reports print them: `45 s`, `12.5 min`, `3.2 h`, `4.1 d`.
func durationText(_ seconds: Double?) -> String {
    guard let s = seconds else { return "-" }
    if s < 60 { return "\(Format.decimal(s, places: 0)) s" }
    if s < 3600 { return "\(Format.decimal(s / 60, places: 1)) min" }
    if s < 86_400 { return "\(Format.decimal(s / 3600, places: 1)) h" }
    return "\(Format.decimal(s / 86_400, places: 1)) d"
}

struct FunnelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "funnel",
        abstract: "A funnel over any steps: customers per step, conversion, median time between steps, drop-off.",
        discussion: """
            A customer counts at step k when she did steps 1..k in time order, each at its earliest occurrence after \
            the previous step's (other events may lie between). Equal timestamps keep the log's order.
            """
    )

    @OptionGroup var log: LogOptions
    @OptionGroup var config: ConfigOption

    @Option(help: ArgumentHelp("The steps: commas between steps, | between alternatives, e.g. \"Product Viewed,Product Added|Product Added to Wishlist,Order Completed\". Default: journeys.funnel of the configuration.", valueName: "steps"))
    var steps: String?

    @Option(help: ArgumentHelp("Conversion window from the first step: 30m, 12h, 7d.", valueName: "duration"))
    var window: String?

    @Flag(help: "Print JSON.")
    var json = false

    struct Output: Encodable {
        var asOf: String?
        var customers: Int
        var windowSeconds: Double?
        var steps: [FunnelStepRow]
    }

    func run() throws {
        let journeys = try config.loadJourneys()
        var spec = journeys.funnel
        do throws(JourneyError) {
            let windowMs = try window.map { w throws(JourneyError) in try JourneyDuration.parse(w) } ?? spec.windowMs
            if let steps { spec = try FunnelSteps.parse(steps, windowMs: windowMs) } else { spec.windowMs = windowMs }
        } catch {
            throw CLIError(error.description)
        }
        let (pipeline, _) = try log.replay()
        let engine = pipeline.engine
        let report: FunnelReport
        do throws(JourneyError) { report = try engine.funnel(spec, now: engine.watermark ?? 0) } catch { throw CLIError(error.description) }
        if json {
            try printJSON(Output(asOf: engine.watermark.map { Timestamp.iso8601($0) }, customers: report.population,
                                 windowSeconds: spec.windowMs.map { Double($0) / 1000 },
                                 steps: report.rows.map { r in
                                     var r = r
                                     r.conversionFromPrevious = round4(r.conversionFromPrevious)
                                     r.conversionFromFirst = round4(r.conversionFromFirst)
                                     return r
                                 }))
            return
        }
        let window = spec.windowMs.map { " within \(durationText(Double($0) / 1000)) of the first step" } ?? ""
        print("Funnel of \(Format.integer(report.population)) customers\(window)")
        let width = min(40, max(4, report.rows.map(\.step.count).max() ?? 4))
        print("  #  " + "Step".padding(toLength: width, withPad: " ", startingAt: 0) + "  Customers  From prev  From first  Median wait  Dropped")
        for (k, r) in report.rows.enumerated() {
            let name = r.step.count > width ? String(r.step.prefix(width - 1)) + "…" : r.step.padding(toLength: width, withPad: " ", startingAt: 0)
            print(pad(String(k + 1), 3) + "  " + name + "  " + pad(Format.integer(r.users), 9) + "  "
                + pad(Format.percent(r.conversionFromPrevious, places: 1), 9) + "  " + pad(Format.percent(r.conversionFromFirst, places: 1), 10)
                + "  " + pad(durationText(r.medianSecondsFromPrevious), 11) + "  " + pad(Format.integer(r.dropOff), 7))
        }
    }
}

struct PathsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paths",
        abstract: "Next-event transitions, the paths leading to a purchase and to churn, stage paths and time to first purchase."
    )

    @OptionGroup var log: LogOptions
    @OptionGroup var config: ConfigOption

    @Option(help: "Transitions and paths to list.")
    var top: Int = 10

    @Option(help: "Events per path.")
    var length: Int = 3

    @Flag(help: "Count transitions across sessions too (default: within a session only).")
    var acrossSessions = false

    @Flag(help: "Print JSON (every transition, not only the top ones).")
    var json = false

    struct Output: Encodable {
        var asOf: String?
        var withinSession: Bool
        var transitions: [Transition]
        var toPurchase: [PathCount]
        var toChurn: [PathCount]
        var stagePaths: [PathCount]
        var timeToFirstPurchase: TimeToFirstPurchase
    }

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
        guard (1...8).contains(length) else { throw ValidationError("--length must be from 1 to 8") }
    }

    func run() throws {
        let journeys = try config.loadJourneys()
        let (pipeline, _) = try log.replay()
        let engine = pipeline.engine
        let report = engine.paths(rules: journeys.stageRules, now: engine.watermark ?? 0, top: top, length: length,
                                  withinSession: !acrossSessions)
        let transitions = report.transitions.transitions
        if json {
            try printJSON(Output(asOf: engine.watermark.map { Timestamp.iso8601($0) }, withinSession: !acrossSessions,
                                 transitions: transitions.map { var t = $0; t.probability = round4(t.probability); return t },
                                 toPurchase: report.toPurchase, toChurn: report.toChurn, stagePaths: report.stagePaths,
                                 timeToFirstPurchase: report.timeToFirstPurchase))
            return
        }
        print("Top transitions (\(acrossSessions ? "across sessions" : "within a session"); \(Format.integer(report.transitions.total)) in all)")
        for t in transitions.prefix(top) {
            print("  " + pad(Format.integer(t.count), 8) + "  " + pad(Format.percent(t.probability, places: 1), 6) + "  \(t.from) → \(t.to)")
        }
        func list(_ title: String, _ paths: [PathCount]) {
            print("")
            print(title)
            if paths.isEmpty { print("  (none)") }
            for p in paths { print("  " + pad(Format.integer(p.count), 8) + "  " + p.path.joined(separator: " → ")) }
        }
        list("Paths to a purchase (the events before each new order)", report.toPurchase)
        list("Paths to churn (the last events of customers At Risk or Lapsed)", report.toChurn)
        list("Stage paths (customers)", report.stagePaths)
        let t = report.timeToFirstPurchase
        print("")
        print("Time to first purchase (\(Format.integer(t.buyers)) buyers): median \(durationText(t.medianSeconds)), 90th percentile \(durationText(t.p90Seconds))")
        for b in t.buckets { print("  " + b.label.padding(toLength: 16, withPad: " ", startingAt: 0) + pad(Format.integer(b.customers), 8)) }
    }
}

struct JourneyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journey",
        abstract: "One customer's journey: sessions with touchpoints and channels, stage changes, orders, tickets, campaigns and pain points."
    )

    @OptionGroup var log: LogOptions
    @OptionGroup var config: ConfigOption

    @Argument(help: "The customer id (userId, or anonymousId).")
    var id: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let journeys = try config.loadJourneys()
        let (pipeline, _) = try log.replay()
        let engine = pipeline.engine
        let journey: CustomerJourney
        do throws(JourneyError) {
            journey = try engine.journey(customerID: id, rules: journeys.stageRules, now: engine.watermark ?? 0)
        } catch {
            throw CLIError("\(error.description). Ids are case-sensitive; `foresight customers \(log.file) --search \(id.prefix(4))` lists similar ones.")
        }
        if json { try printJSON(JourneyJSON(journey)); return }
        print("\(journey.customer): \(journey.stage.label) at \(Timestamp.short(journey.now)) UTC; \(journey.sessions.count) session\(journey.sessions.count == 1 ? "" : "s")")
        print("  stages: " + journey.stageHistory.map { "\($0.stage.label) \(Timestamp.short($0.time))" }.joined(separator: " → "))
        for (i, s) in journey.sessions.enumerated() {
            print("")
            print("Session \(i + 1)  \(Timestamp.short(s.start)) – \(Timestamp.short(s.end))  \(s.channels.map(\.label).joined(separator: ", "))")
            for c in s.stageChanges { print("  ▸ stage \(c.stage.label) at \(Timestamp.short(c.time))") }
            for t in s.touchpoints {
                var line = "  \(Timestamp.short(t.time).suffix(5))  \(t.channel.label.padding(toLength: 8, withPad: " ", startingAt: 0)) \(t.event)"
                if let item = t.item { line += "  " + item }
                if let amount = t.amount { line += "  " + String(format: "%.2f", amount) }
                print(line)
            }
            for c in s.campaigns { print("  ✉ \(c.campaign ?? "message") delivered: \(c.outcome.rawValue)") }
            for p in s.painPoints { print("  ! \(p.kind.rawValue) at \(Timestamp.short(p.time))") }
        }
    }
}

/// The journey as JSON: times as ISO-8601 text.
struct JourneyJSON: Encodable {
    struct Change: Encodable { var time: String; var stage: String }
    struct Touch: Encodable { var time: String; var event: String; var channel: String; var item: String?; var amount: Double? }
    struct Order: Encodable { var time: String; var revenue: Double; var items: Int; var cancelled: Bool }
    struct Ticket: Encodable { var time: String; var sentiment: Double? }
    struct Campaign: Encodable { var time: String; var campaign: String?; var outcome: String }
    struct Pain: Encodable { var time: String; var kind: String; var sentiment: Double? }
    struct Session: Encodable {
        var start: String
        var end: String
        var channels: [String]
        var touchpoints: [Touch]
        var stageChanges: [Change]
        var orders: [Order]
        var tickets: [Ticket]
        var campaigns: [Campaign]
        var painPoints: [Pain]
    }
    var customer: String
    var asOf: String
    var stage: String
    var stageHistory: [Change]
    var sessions: [Session]
    var painPoints: [Pain]

    init(_ j: CustomerJourney) {
        let iso = { (ms: Int64) in Timestamp.iso8601(ms) }
        func change(_ c: StageChange) -> Change { Change(time: iso(c.time), stage: c.stage.label) }
        func pain(_ p: PainPoint) -> Pain { Pain(time: iso(p.time), kind: p.kind.rawValue, sentiment: p.sentiment.map(round4)) }
        customer = j.customer
        asOf = iso(j.now)
        stage = j.stage.label
        stageHistory = j.stageHistory.map(change)
        painPoints = j.painPoints.map(pain)
        sessions = j.sessions.map { s in
            Session(start: iso(s.start), end: iso(s.end), channels: s.channels.map(\.label),
                    touchpoints: s.touchpoints.map { Touch(time: iso($0.time), event: $0.event, channel: $0.channel.label, item: $0.item,
                                                           amount: $0.amount.map(roundCents)) },
                    stageChanges: s.stageChanges.map(change),
                    orders: s.orders.map { Order(time: iso($0.time), revenue: $0.revenue, items: $0.items, cancelled: $0.cancelled) },
                    tickets: s.tickets.map { Ticket(time: iso($0.time), sentiment: $0.sentiment.map(round4)) },
                    campaigns: s.campaigns.map { Campaign(time: iso($0.time), campaign: $0.campaign, outcome: $0.outcome.rawValue) },
                    painPoints: s.painPoints.map(pain))
        }
    }
}

private func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
