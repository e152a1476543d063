import Synchronization

/// Every model behind the live scores, fitted together at one event time and swapped in whole.
///
/// Scores are not stored per customer: ``Engine/liveScore(_:models:now:nextProducts:)`` computes a
/// customer's scores from her profile at the watermark with these fitted parameters (closed forms and
/// one feature pass), so they move with every event and with the clock, and a refit only replaces this
/// value. The dashboard and `foresight scores` both score through it.
public struct PredictionModels: Sendable {
    /// The options the models were fitted with.
    public var options: ScoresOptions
    /// The event time (the watermark) the models were fitted at (ms).
    public var fittedAt: Int64
    /// The churn classifier's label window W in days: the horizon, or half the history when shorter.
    /// BG/NBD's expected transactions enter the classifier over this window.
    public var trainingWindowDays: Int
    /// Customers and accepted events in the state at the fit.
    public var customers: Int
    public var events: Int
    /// BG/NBD on the orders up to `fittedAt` (nil without buyers).
    public var transactions: BGNBDFit?
    /// Gamma-Gamma on the same summaries (nil without repeat buyers).
    public var spend: GammaGammaFit?
    /// The churn classifier trained on the latest labelled split (nil when the log is too short or
    /// holds one class only).
    public var churn: ChurnModel?
    /// Sequential product affinities up to `fittedAt`.
    public var nextProduct: NextProductModel
    /// The measured accuracy: the same recipe fitted W days before `fittedAt` and judged on the W days
    /// since (see ``Backtest``). Nil when that could not run; ``holdoutProblem`` says why.
    public var holdout: BacktestReport?
    /// Why there is no hold-out check, in words.
    public var holdoutProblem: String?
    /// The drift baseline: buyers at the fit, and their expected repeat transactions summed, by whole
    /// days after the fit (index 0 is 0), up to the horizon.
    public var expectedByDay: [Double]
    /// Wall-clock seconds the fit took (set by whoever timed it; 0 when untimed).
    public var fitSeconds: Double = 0
    /// BG/NBD's expectations by (x, T in days), shared by every copy of these models: a live score
    /// computes each hypergeometric series once per distinct history, as the population scorer does.
    let memo = ExpectationMemo()

    /// BG/NBD's horizon W for the classifier's inputs, in days.
    public var classifierHorizonDays: Double { Double(trainingWindowDays) }
}

extension Engine {
    /// Fits every customer model at `asOf` (normally the watermark).
    ///
    /// BG/NBD and Gamma-Gamma are fitted on the orders up to `asOf`; the classifier is trained with
    /// features at `asOf − W` and labels from the W days up to `asOf` (W is the horizon, or half the
    /// history if the log is shorter); next-product rules are mined up to `asOf`. With `holdout`, the
    /// same recipe is also fitted at `asOf − W` and judged on the W days since, for the model cards.
    /// - Complexity: O(events + orders) plus the fits; about 0.25 s (0.5 s with the hold-out) for 400k
    ///   customers in a release build.
    public func fitModels(asOf: Int64, options: ScoresOptions = ScoresOptions(), holdout: Bool = false) -> PredictionModels {
        let dayMs: Int64 = 86_400_000
        let first = stats.firstTimestamp == Int64.max ? asOf : stats.firstTimestamp
        let history = Timestamp.day(asOf) - Timestamp.day(first)
        let window = max(1, min(options.horizonDays, history / 2))
        let trainer = ChurnTrainer(windowDays: window, definition: options.definition)
        let churn = try? trainer.train(engine: self, asOf: asOf - Int64(window) * dayMs, unit: options.unit, fittedAt: asOf)
        let data = calibrationData(end: asOf, unit: options.unit)
        let transactions = try? BGNBDFitter().fit(data, fittedAt: asOf)
        let spend = try? GammaGammaFitter().fit(data, fittedAt: asOf)

        var report: BacktestReport?
        var problem: String?
        if holdout {
            let check = Backtest(calibrationEnd: asOf - Int64(window) * dayMs, holdoutEnd: asOf, unit: options.unit,
                                 definition: options.definition)
            do { report = try check.run(engine: self) } catch let error as BacktestError {
                problem = error.description
            } catch {
                problem = "\(error)"
            }
        }
        var expected: [Double] = [0]
        if let transactions {
            let horizons = (1...max(1, options.horizonDays)).map { Double($0) / options.unit.days }
            expected += transactions.model.expectedTransactionsSum(data, horizons: horizons)
        }
        return PredictionModels(
            options: options, fittedAt: asOf, trainingWindowDays: window, customers: profiles.count, events: stats.accepted,
            transactions: transactions, spend: spend, churn: churn, nextProduct: nextProductModel(asOf: asOf),
            holdout: report, holdoutProblem: problem, expectedByDay: expected)
    }
}

/// E[Y(h) | alive], E[Y(W) | alive] and the discounted CLV sum by (x, T in days): they depend on the
/// history only through these two, cost one hypergeometric series each (tens of microseconds), and
/// customers share them.
final class ExpectationMemo: Sendable {
    struct Values: Sendable {
        var horizon: Double
        var classifierWindow: Double
        var discounted: Double
    }
    private let table = Mutex<[Int64: Values]>([:])

    func values(x: Int32, ageDays: Int32, compute: () -> Values) -> Values {
        let key = Int64(x) << 32 | Int64(UInt32(bitPattern: ageDays))
        if let hit = table.withLock({ $0[key] }) { return hit }
        let values = compute()
        table.withLock { t in
            if t.count > 200_000 { t.removeAll(keepingCapacity: true) }
            t[key] = values
        }
        return values
    }
}

extension BGNBDModel {
    /// Σ over the customers of `data` of E[Y(t) | x, t_x, T], for each horizon t (model units).
    /// - Complexity: one pass of the hypergeometric series per distinct (x, T), for all horizons at once.
    public func expectedTransactionsSum(_ data: CalibrationData, horizons: [Double]) -> [Double] {
        let groups = DistinctHistories(data.customers)
        var perKey = [[Double]](repeating: [], count: groups.keys.count)
        var values = [Double](repeating: 0, count: horizons.count)
        var series: AliveExpectationSeries?
        var seriesX = -1
        for (k, key) in groups.keys.enumerated() {
            if key.x != seriesX {
                series = AliveExpectationSeries(model: self, x: Double(key.x))
                seriesX = key.x
            }
            series?.evaluate(beta: alpha + data.unit.fromDays(Int32(key.ageDays)), horizons: horizons, into: &values)
            perKey[k] = values
        }
        var total = [Double](repeating: 0, count: horizons.count)
        for (i, s) in data.customers.enumerated() {
            let alive = probabilityAlive(x: Double(max(0, s.frequency)), tx: data.recency(s), age: data.age(s))
            let ifAlive = perKey[Int(groups.slots[i])]
            for m in horizons.indices { total[m] += alive * ifAlive[m] }
        }
        return total
    }
}
