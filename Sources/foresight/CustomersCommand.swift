import ArgumentParser
import ForesightCore
import ForesightUI
import Foundation

extension CustomerColumn: ExpressibleByArgument {}

struct CustomersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customers",
        abstract: "The customers table of the dashboard: every customer with country, last seen, orders, revenue, sessions, events and stage."
    )

    @OptionGroup var log: LogOptions

    @Option(help: "Sort column: \(CustomerColumn.allCases.map(\.rawValue).joined(separator: ", ")).")
    var sort: CustomerColumn = .revenue

    @Flag(help: "Sort low to high (default: the column's natural order, as on screen).")
    var ascending = false

    @Option(help: "Only customer ids containing this text (ignoring case).")
    var search: String?

    @Option(help: "At most this many rows.")
    var limit: Int?

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
        var sessions: Int
        var events: Int
        var stage: String
    }

    func run() throws {
        let (pipeline, _) = try log.replay()
        let engine = pipeline.engine
        let now = engine.watermark ?? 0
        let subset = search.map { engine.customers.ids(containing: $0) }
        let descending = ascending ? false : sort.defaultDescending
        var order = engine.customerSortInput(sort, now: now).sorted(descending: descending, subset: subset)
        if let limit { order = Array(order.prefix(limit)) }
        let rows = order.map { c -> Row in
            let r = engine.customerRow(c, now: now)
            return Row(customer: r.id, country: r.country, lastSeen: Timestamp.iso8601(r.lastSeen), orders: r.orders,
                       revenue: roundCents(r.revenue), sessions: r.sessions, events: r.events, stage: r.stage.label)
        }
        if json { try printJSON(rows); return }
        if csv {
            print("customer,country,last_seen,orders,revenue,sessions,events,stage")
            for r in rows {
                print([csvField(r.customer), csvField(r.country ?? ""), r.lastSeen, String(r.orders),
                       String(format: "%.2f", r.revenue), String(r.sessions), String(r.events), csvField(r.stage)].joined(separator: ","))
            }
            return
        }
        print("Customer".padding(toLength: 16, withPad: " ", startingAt: 0) + " Country  Last seen (UTC)    Orders      Revenue Sessions  Events  Stage")
        for r in rows {
            let line = r.customer.padding(toLength: 16, withPad: " ", startingAt: 0) + " "
                + (r.country ?? "-").padding(toLength: 8, withPad: " ", startingAt: 0) + " "
                + String(r.lastSeen.prefix(16)).replacingOccurrences(of: "T", with: " ") + "  "
                + pad(Format.integer(r.orders), 6) + " " + pad(Format.moneyExact(r.revenue), 12) + " "
                + pad(Format.integer(r.sessions), 8) + " " + pad(Format.integer(r.events), 7) + "  " + r.stage
            print(line)
        }
    }

    private func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
}

/// A CSV field, quoted when it holds a comma, quote or newline.
func csvField(_ s: String) -> String {
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

struct CustomerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer",
        abstract: "One customer as the dashboard shows them: profile, traits, consent, aggregates and the timeline."
    )

    @OptionGroup var log: LogOptions

    @Argument(help: "The customer id (userId, or anonymousId).")
    var id: String

    @Flag(help: "Print JSON.")
    var json = false

    struct Output: Encodable {
        var profile: CustomerDetail
        var timeline: [TimelineRow]
    }

    func run() throws {
        let (pipeline, _) = try log.replay()
        let engine = pipeline.engine
        guard let c = engine.customers.lookup(id) else {
            throw CLIError("No customer '\(id)' in \(log.file). Ids are case-sensitive; `foresight customers \(log.file) --search \(id.prefix(4))` lists similar ones.")
        }
        let detail = engine.customerDetail(c, now: engine.watermark ?? 0)
        let rows = engine.timelineRows(c, range: 0..<Int.max)
        if json { try printJSON(Output(profile: detail, timeline: rows)); return }
        print("\(detail.id)  \(detail.name ?? "")  \(detail.email ?? "")")
        print("  \([detail.city, detail.country].compactMap { $0 }.joined(separator: ", "))  stage \(detail.stage), last seen \(detail.lastSeen) (\(detail.daysSinceLastSeen) days ago)")
        print("  \(detail.events) events in \(detail.sessions) sessions; \(detail.orders) orders, revenue \(Format.moneyExact(detail.revenue)), refunds \(Format.moneyExact(detail.refunds))")
        print("  consent: email \(detail.emailOptIn), sms \(detail.smsOptIn); channels \(detail.channels.joined(separator: ", "))")
        print("")
        for r in rows {
            let marker = r.newSession ? "*" : " "
            var line = "\(marker) \(r.time.prefix(19).replacingOccurrences(of: "T", with: " "))  \(r.channel.padding(toLength: 8, withPad: " ", startingAt: 0)) \(r.event)"
            if let item = r.item { line += "  " + item }
            if let amount = r.amount { line += "  " + String(format: "%.2f", amount) }
            print(line)
        }
    }
}
