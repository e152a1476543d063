import ArgumentParser
import ForesightCore
import Foundation

extension ModelTimeUnit: ExpressibleByArgument {}
extension ChurnDefinition: ExpressibleByArgument {}

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Fit the customer models on a calibration period and check them on the hold-out period after it.",
        discussion: """
            BG/NBD and Gamma-Gamma are fitted on the orders up to --calibration-end; their expected transactions \
            are compared with the hold-out's. The churn classifier is trained on an earlier split inside the \
            calibration period, scores the customers at --calibration-end, and is judged (AUC, Brier, calibration) \
            on who was inactive through the hold-out, next to BG/NBD's own ranking, 1 − P(alive).
            """
    )

    @OptionGroup var log: LogOptions

    @Option(help: ArgumentHelp("Last day of the calibration period (YYYY-MM-DD or an ISO-8601 time).", valueName: "date"))
    var calibrationEnd: String

    @Option(help: ArgumentHelp("Last day of the hold-out period.", valueName: "date"))
    var holdoutEnd: String

    @Option(help: "Time unit of the BG/NBD rates: day or week.")
    var unit: ModelTimeUnit = .week

    @Option(help: "What churn means: activity (no customer activity in the window) or order (no order).")
    var churn: ChurnDefinition = .activity

    @Option(help: ArgumentHelp("Label window of the classifier's training split, in days (default: the hold-out length, or half the history before --calibration-end if shorter).", valueName: "days"))
    var trainingWindow: Int?

    @Flag(help: "Also train the candidate model families (gradient-boosted trees) on the same split and compare.")
    var candidates = false

    @Flag(help: "Print how long training rows, the classifier fit and scoring one customer take (to standard error).")
    var timing = false

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let start = try parseDate(calibrationEnd, option: "--calibration-end")
        let end = try parseDate(holdoutEnd, option: "--holdout-end")
        guard end > start else { throw CLIError("--holdout-end must come after --calibration-end") }
        let (pipeline, _) = try log.replay()
        let report: BacktestReport
        do {
            var backtest = Backtest(calibrationEnd: start, holdoutEnd: end, unit: unit, definition: churn)
            backtest.trainingWindowDays = trainingWindow
            backtest.compareCandidates = candidates
            report = try backtest.run(engine: pipeline.engine)
        } catch let error as BacktestError {
            throw CLIError("Cannot backtest \(log.file): \(error.description).")
        }
        if timing { printTimings(pipeline.engine, start: start, end: end) }
        if json { try printJSON(report); return }
        print(BacktestText.render(report))
    }
}

extension BacktestCommand {
    /// Times the classifier's steps at the backtest's training split (best of three).
    func printTimings(_ engine: Engine, start: Int64, end: Int64) {
        let backtest = Backtest(calibrationEnd: start, holdoutEnd: end, unit: unit, definition: churn)
        let window = backtest.trainingWindow(firstEvent: engine.stats.firstTimestamp)
        let trainer = ChurnTrainer(windowDays: window, definition: churn)
        let asOf = backtest.cutoff - Int64(window) * 86_400_000
        let clock = ContinuousClock()
        func best<T>(_ work: () throws -> T) rethrows -> (T, Double) {
            var result = try work(), seconds = Double.infinity
            for _ in 0..<3 {
                let t0 = clock.now
                result = try work()
                let d = clock.now - t0
                seconds = min(seconds, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
            }
            return (result, seconds)
        }
        let (snapshot, bgnbdSeconds) = best { BGNBDSnapshot(engine: engine, asOf: asOf, horizonDays: Double(window), unit: unit) }
        let every = (engine.profiles.count + trainer.maxTrainingRows - 1) / trainer.maxTrainingRows
        let (rows, rowSeconds) = best { engine.churnDataset(asOf: asOf, bgnbd: snapshot, label: (window, churn), sampleEvery: every) }
        guard let (model, fitSeconds) = try? best({ try trainer.fit(rows, fittedAt: 0) }) else { return }
        var sink = 0.0
        var row: [Double] = []
        let extractor = ChurnFeatureExtractor(sessionGapMs: engine.config.sessionGapMs)
        let (_, scoreSeconds) = best { () -> Int in
            for c in rows.customers {
                extractor.extract(engine.profiles[Int(c)], asOf: asOf, bgnbd: snapshot.inputs(c), into: &row)
                sink += model.explain(row).probability
            }
            return 0
        }
        printError(String(format: "timing: %d of %d customers sampled for training; BG/NBD + Gamma-Gamma fit and scores %.3f s; feature rows %.3f s; classifier fit %.3f s (%d Newton iterations); features + score + explanation %.2f µs per customer%@",
                          rows.count, engine.profiles.count, bgnbdSeconds, rowSeconds, fitSeconds, model.card.iterations, scoreSeconds / Double(max(1, rows.count)) * 1e6, sink.isNaN ? " (NaN)" : ""))
    }
}

/// Parses a day (YYYY-MM-DD, read as midnight UTC) or a full ISO-8601 time.
func parseDate(_ text: String, option: String) throws -> Int64 {
    var s = text.count == 10 ? text + "T00:00:00Z" : text
    guard let ms = s.withUTF8({ Timestamp.parseISO8601(UnsafeRawBufferPointer($0)) }) else {
        throw CLIError("\(option): '\(text)' is not a date; write YYYY-MM-DD or an ISO-8601 time such as 2026-09-30T00:00:00Z")
    }
    return ms
}

/// The text form of a ``BacktestReport``.
enum BacktestText {
    static func render(_ r: BacktestReport) -> String {
        var out: [String] = []
        let h = r.holdout
        out.append("Backtest: calibration to \(r.calibrationEnd), hold-out to \(r.holdoutEnd) (\(h.days) days), unit \(r.unit.rawValue)")
        out.append("")
        out.append("BG/NBD on \(r.bgnbd.customers) buyers: r \(f(r.bgnbd.r, 4))  alpha \(f(r.bgnbd.alpha, 4))  a \(f(r.bgnbd.a, 4))  b \(f(r.bgnbd.b, 4))  log-likelihood \(f(r.bgnbd.logLikelihood, 2))\(r.bgnbd.converged ? "" : "  (not converged)")")
        if let g = r.gammaGamma {
            out.append("Gamma-Gamma on \(g.customers) repeat buyers: p \(f(g.p, 4))  q \(f(g.q, 4))  gamma \(f(g.gamma, 4))  log-likelihood \(f(g.logLikelihood, 2))")
        } else {
            out.append("Gamma-Gamma: not fitted (no repeat buyer with a positive order value)")
        }
        out.append("")
        out.append("Hold-out transactions of the \(h.customers) buyers")
        out.append("  predicted \(f(h.predictedTransactions, 1)), actual \(h.actualTransactions); per customer MAE \(f(h.transactionsMAE, 3)), correlation \(opt(h.transactionsCorrelation, 3))")
        out.append("")
        let m = r.churnModel
        out.append("Churn classifier (\(m.definition.rawValue) churn): trained on \(m.customers) customers as of \(m.trainedAsOf), \(m.windowDays)-day window, \(pct(m.churnRate)) churned")
        out.append("  on the buyers:        AUC \(opt(h.churnAUC, 3))   BG/NBD 1 − P(alive) AUC \(opt(h.bgnbdAUC, 3))   BG/NBD expected-orders AUC \(opt(h.bgnbdExpectedTransactionsAUC, 3))")
        out.append("                        Brier \(opt(h.brier, 4)), churn rate \(h.churnRate.map(pct) ?? "-")")
        let a = h.allCustomers
        out.append("  on all \(a.count) customers: AUC \(opt(a.auc, 3)), Brier \(opt(a.brier, 4)), churn rate \(a.positiveRate.map(pct) ?? "-")")
        out.append("")
        out.append("  Calibration on the buyers (predicted churn → observed)")
        out.append("    bin          customers  predicted  observed")
        for bin in h.calibration where bin.count > 0 {
            let label = "\(f(bin.lower, 1))–\(f(bin.upper, 1))".padding(toLength: 12, withPad: " ", startingAt: 0)
            out.append("    \(label) \(pad(String(bin.count), 9))  \(pad(bin.meanPredicted.map(pct) ?? "-", 9))  \(pad(bin.observedRate.map(pct) ?? "-", 8))")
        }
        out.append("")
        out.append("  Weights (log-odds of churn per standard deviation)")
        for (name, w) in m.weights.sorted(by: { abs($0.value) > abs($1.value) }) where w != 0 {
            out.append("    " + name.padding(toLength: 48, withPad: " ", startingAt: 0) + pad((w >= 0 ? "+" : "") + f(w, 3), 8))
        }
        if !m.droppedFeatures.isEmpty {
            out.append("    left out (their weight took the wrong sign): " + m.droppedFeatures.joined(separator: ", "))
        }
        if let candidates = r.candidates {
            out.append("")
            out.append("  Candidates on the same split                                  AUC buyers  Brier buyers  AUC all  Brier all")
            for c in candidates {
                out.append("    " + c.model.padding(toLength: 60, withPad: " ", startingAt: 0) + pad(opt(c.buyersAUC, 3), 10)
                           + pad(opt(c.buyersBrier, 4), 14) + pad(opt(c.allAUC, 3), 9) + pad(opt(c.allBrier, 4), 11))
            }
        }
        return out.joined(separator: "\n")
    }

    private static func f(_ v: Double, _ places: Int) -> String { String(format: "%.\(places)f", v) }
    private static func opt(_ v: Double?, _ places: Int) -> String { v.map { f($0, places) } ?? "-" }
    private static func pct(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }
    private static func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
}
