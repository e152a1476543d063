#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fits every customer model on a calibration period and checks it on the hold-out period after it.
///
/// - BG/NBD and Gamma-Gamma are fitted on the orders up to the calibration end; their expected
///   transactions in the hold-out are compared with the transactions that happened.
/// - The churn classifier is trained on an earlier split inside the calibration period (features at
///   `calibration end − W`, labels from the W days up to the calibration end), then scores the customers
///   at the calibration end and is judged on who was inactive through the hold-out: out of time, with
///   nothing from the hold-out seen in training. W is the hold-out length, shortened to half of the
///   history before the calibration end when the log is too short for it.
public struct Backtest: Sendable {
    /// A time (ms) on the last day of the calibration period.
    public var calibrationEnd: Int64
    /// A time (ms) on the last day of the hold-out period.
    public var holdoutEnd: Int64
    /// The BG/NBD time unit.
    public var unit: ModelTimeUnit
    /// What counts as churn.
    public var definition: ChurnDefinition
    /// The classifier's ridge penalty.
    public var l2: Double
    /// The training label window W in days; nil for the hold-out length, shortened to half of the
    /// history before the calibration end when the log is too short for it.
    public var trainingWindowDays: Int?
    /// Also train the candidate model families and report them side by side (slower).
    public var compareCandidates = false

    /// Creates a backtest.
    public init(calibrationEnd: Int64, holdoutEnd: Int64, unit: ModelTimeUnit = .week, definition: ChurnDefinition = .activity, l2: Double = 1) {
        self.calibrationEnd = calibrationEnd
        self.holdoutEnd = holdoutEnd
        self.unit = unit
        self.definition = definition
        self.l2 = l2
    }

    static let dayMs: Int64 = 86_400_000

    /// The end (last ms) of the calibration end's UTC day: features and fits see everything up to it.
    public var cutoff: Int64 { Int64(Timestamp.day(calibrationEnd) + 1) * Self.dayMs - 1 }
    /// Days in the hold-out period.
    public var holdoutDays: Int { Timestamp.day(holdoutEnd) - Timestamp.day(calibrationEnd) }

    /// The training window W for a log whose first event is at `firstEvent`.
    public func trainingWindow(firstEvent: Int64) -> Int {
        if let trainingWindowDays { return max(1, trainingWindowDays) }
        let history = Timestamp.day(calibrationEnd) - Timestamp.day(firstEvent)
        return max(1, min(holdoutDays, history / 2))
    }

    /// Runs the backtest.
    /// - Throws: ``BacktestError`` when the periods are empty or a model cannot be fitted.
    public func run(engine: Engine) throws -> BacktestReport {
        guard holdoutDays > 0 else { throw BacktestError.emptyHoldout }
        guard let first = engine.stats.firstTimestamp == Int64.max ? nil : engine.stats.firstTimestamp, first <= cutoff else {
            throw BacktestError.emptyCalibration
        }
        let snapshot = BGNBDSnapshot(engine: engine, asOf: cutoff, holdoutEnd: holdoutEnd, horizonDays: Double(holdoutDays), unit: unit)
        guard let fit = snapshot.fit else { throw BacktestError.noBuyers }
        let transactions = TransactionCheck(snapshot: snapshot)

        let window = trainingWindow(firstEvent: first)
        let trainer = ChurnTrainer(windowDays: window, definition: definition, l2: l2)
        let trainAsOf = cutoff - Int64(window) * Self.dayMs
        let training = trainer.dataset(engine: engine, asOf: trainAsOf, unit: unit)
        guard let model = try? trainer.fit(training, fittedAt: cutoff) else { throw BacktestError.noChurnLabels }
        // Features at the calibration end carry BG/NBD's expectation over the trained window W.
        let featureSnapshot = window == holdoutDays ? snapshot
            : snapshot.rescored(horizonDays: Double(window))
        let evaluation = engine.churnDataset(asOf: cutoff, bgnbd: featureSnapshot, label: (holdoutDays, definition))
        let churn = ChurnComparison(model: model, evaluation: evaluation, snapshot: snapshot)

        return BacktestReport(
            calibrationEnd: Timestamp.iso8601(calibrationEnd).prefix(10).description,
            holdoutEnd: Timestamp.iso8601(holdoutEnd).prefix(10).description,
            unit: unit,
            bgnbd: .init(fit: fit),
            gammaGamma: snapshot.spendFit.map { .init(fit: $0) },
            holdout: .init(days: holdoutDays, transactions: transactions, churn: churn),
            churnModel: .init(card: model.card, model: model),
            candidates: compareCandidates
                ? Self.candidates(training: training, evaluation: evaluation, snapshot: snapshot, chosen: model) : nil)
    }
}

/// Why a backtest could not run.
public enum BacktestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The hold-out ends on or before the calibration end day.
    case emptyHoldout
    /// No event up to the calibration end.
    case emptyCalibration
    /// No order in the calibration period: BG/NBD has nothing to fit.
    case noBuyers
    /// The classifier's training split holds one class only.
    case noChurnLabels

    /// The reason in words, for a user.
    public var description: String {
        switch self {
        case .emptyHoldout: "the hold-out end must be at least one day after the calibration end"
        case .emptyCalibration: "no event up to the calibration end"
        case .noBuyers: "BG/NBD could not be fitted: no customer with an order in the calibration period"
        case .noChurnLabels: "the churn classifier could not be trained: the training window holds only churners or only active customers"
        }
    }
}

/// BG/NBD's expected hold-out transactions against the real ones, per buyer.
struct TransactionCheck {
    var customers: Int
    var predicted: Double
    var actual: Int
    var meanAbsoluteError: Double
    var correlation: Double

    init(snapshot: BGNBDSnapshot) {
        let predictedEach = snapshot.scores.map(\.expectedTransactions)
        let actualEach = snapshot.data.customers.map { Double($0.holdoutTransactions) }
        customers = predictedEach.count
        predicted = predictedEach.reduce(0, +)
        actual = snapshot.data.holdoutTransactions
        let n = Double(max(1, customers))
        meanAbsoluteError = zip(predictedEach, actualEach).reduce(0) { $0 + abs($1.0 - $1.1) } / n
        correlation = Self.pearson(predictedEach, actualEach)
    }

    static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        guard n > 1 else { return .nan }
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : .nan
    }
}

/// The classifier and BG/NBD ranked on the same customers.
struct ChurnComparison {
    /// The classifier over every customer active by the cutoff.
    var all: ClassifierEvaluation
    /// The classifier over the buyers BG/NBD scores.
    var buyers: ClassifierEvaluation
    /// AUC of 1 − P(alive) on the buyers.
    var bgnbdAUC: Double
    /// AUC of −E[Y(hold-out)] on the buyers.
    var bgnbdExpectedAUC: Double

    init(model: ChurnModel, evaluation: ChurnDataset, snapshot: BGNBDSnapshot) {
        let probabilities = model.probabilities(evaluation)
        all = ClassifierEvaluation(probabilities: probabilities, labels: evaluation.labels)
        var p: [Double] = [], labels: [Bool] = [], dead: [Double] = [], fewer: [Double] = []
        for (i, c) in evaluation.customers.enumerated() {
            guard let s = snapshot.score(c) else { continue }
            p.append(probabilities[i])
            labels.append(evaluation.labels[i])
            dead.append(1 - s.probabilityAlive)
            fewer.append(-s.expectedTransactions)
        }
        buyers = ClassifierEvaluation(probabilities: p, labels: labels)
        bgnbdAUC = ClassificationMetrics.auc(scores: dead, labels: labels)
        bgnbdExpectedAUC = ClassificationMetrics.auc(scores: fewer, labels: labels)
    }
}
