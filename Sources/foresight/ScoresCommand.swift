import ArgumentParser
import ForesightCore
import Foundation

struct ScoresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scores",
        abstract: "Per-customer predictions at the end of the log: P(alive), churn risk with its reasons, expected orders, CLV and next products.",
        discussion: """
            The churn classifier is trained on the latest labelled split of the log (features --horizon days \
            before its end, labels from the days after); BG/NBD, Gamma-Gamma and the product affinities are \
            fitted on the whole log. Times are event times: the log's newest event is "now".
            """
    )

    enum SortKey: String, ExpressibleByArgument, CaseIterable {
        case risk, clv, id
    }

    @OptionGroup var log: LogOptions

    @Option(help: "Horizon of the expected orders and of the churn window, in days.")
    var horizon: Int = 60

    @Option(help: "Time unit of the BG/NBD rates: day or week.")
    var unit: ModelTimeUnit = .week

    @Option(help: "What churn means: activity (no customer activity in the window) or order (no order).")
    var churn: ChurnDefinition = .activity

    @Option(help: "Order of the rows: risk (highest churn risk first), clv (highest first) or id (first seen first).")
    var sort: SortKey = .risk

    @Option(help: "At most this many rows.")
    var limit: Int?

    @Flag(help: "Print the strongest product affinities instead of per-customer scores.")
    var affinities = false

    @Flag(help: "Print CSV.")
    var csv = false

    @Flag(help: "Print JSON.")
    var json = false

    struct Output: Encodable {
        var asOf: String
        var horizonDays: Int
        var churnWindowDays: Int?
        var churnModel: ChurnModelCard?
        var customers: [CustomerScoreRow]
    }

    func validate() throws {
        guard horizon >= 1 else { throw ValidationError("--horizon must be at least 1 day") }
    }

    func run() throws {
        let (pipeline, _) = try log.replay()
        let engine = pipeline.engine
        guard let now = engine.watermark else { throw CLIError("No events in \(log.file): nothing to score.") }
        if affinities {
            printAffinities(engine.nextProductModel(asOf: now), engine: engine)
            return
        }
        let scores = engine.scores(asOf: now, options: ScoresOptions(horizonDays: horizon, unit: unit, definition: churn))
        var rows = scores.rows
        if let redaction = engine.redaction {
            for i in rows.indices { rows[i].id = redaction.customer(rows[i].id) }
        }
        switch sort {
        case .risk: rows.sort { ($0.churnRisk ?? -1) > ($1.churnRisk ?? -1) }
        case .clv: rows.sort { ($0.clv ?? -1) > ($1.clv ?? -1) }
        case .id: break
        }
        if let limit { rows = Array(rows.prefix(max(0, limit))) }
        if json {
            try printJSON(Output(asOf: Timestamp.iso8601(now), horizonDays: horizon, churnWindowDays: scores.churnModel?.card.windowDays,
                                 churnModel: scores.churnModel?.card, customers: rows))
            return
        }
        if csv {
            printCSV(rows)
            return
        }
        if scores.churnModel == nil {
            printError("note: the churn classifier could not be trained (the log is too short or has no churners); churn risk is left empty")
        }
        print("Scores as of \(Timestamp.short(now)) UTC; expected orders over \(horizon) days; churn risk = P(no activity in the next \(scores.churnModel?.card.windowDays ?? horizon) days)")
        print("Customer".padding(toLength: 16, withPad: " ", startingAt: 0) + "  P(alive)  Churn  Exp. orders        CLV  Next products        Main reason (churn)")
        for r in rows {
            print(r.id.padding(toLength: 16, withPad: " ", startingAt: 0) + "  " + pad(r.pAlive.map(percent) ?? "-", 8)
                  + "  " + pad(r.churnRisk.map(percent) ?? "-", 5) + "  " + pad(r.expectedTransactions.map { String(format: "%.2f", $0) } ?? "-", 11)
                  + "  " + pad(r.clv.map { String(format: "%.2f", $0) } ?? "-", 9) + "  "
                  + r.nextProducts.joined(separator: " ").padding(toLength: 19, withPad: " ", startingAt: 0) + "  " + (r.reasons.first ?? ""))
        }
    }

    private func printCSV(_ rows: [CustomerScoreRow]) {
        print("id,p_alive,churn_risk,expected_transactions,clv,reason_1,reason_2,reason_3,next_product_1,next_product_2,next_product_3")
        for r in rows {
            var fields = [csvField(r.id), number(r.pAlive, 6), number(r.churnRisk, 6), number(r.expectedTransactions, 6), number(r.clv, 2)]
            fields += (0..<3).map { $0 < r.reasons.count ? csvField(r.reasons[$0]) : "" }
            fields += (0..<3).map { $0 < r.nextProducts.count ? csvField(r.nextProducts[$0]) : "" }
            print(fields.joined(separator: ","))
        }
    }

    private func printAffinities(_ model: NextProductModel, engine: Engine) {
        print("Product affinities as of \(Timestamp.short(model.asOf)) UTC: \(model.repeatBuyers) customers ordered at two or more times, \(model.viewersWhoBought) ordered after viewing")
        let kinds: [(String, AffinityAntecedentKind, AffinityConsequentKind)] = [
            ("Category then category", .boughtCategory, .category),
            ("Category then product", .boughtCategory, .product),
            ("Product then product", .boughtProduct, .product),
            ("Viewed then bought", .viewedProduct, .product),
        ]
        for (title, from, to) in kinds {
            let rules = model.rules(from: from, to: to).prefix(limit ?? 15)
            print("")
            print("\(title) (by lift; customers, support)")
            for rule in rules {
                print("  " + engine.describe(rule).padding(toLength: 78, withPad: " ", startingAt: 0)
                      + pad(String(rule.customers), 6) + pad(String(format: "%.2f%%", rule.support * 100), 8))
            }
        }
    }

    private func number(_ v: Double?, _ places: Int) -> String { v.map { String(format: "%.\(places)f", $0) } ?? "" }
    private func percent(_ v: Double) -> String { String(format: "%.0f%%", v * 100) }
    private func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
}
