#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The model scores of one customer at the calibration end.
public struct CustomerScore: Sendable, Equatable {
    /// Dense customer id.
    public var customer: UInt32
    /// P(alive | x, t_x, T) under BG/NBD.
    public var probabilityAlive: Double
    /// E[Y(h) | x, t_x, T]: expected transactions in the scorer's horizon h.
    public var expectedTransactions: Double
    /// E[M | x, m̄]: expected value of one future transaction (NaN without a spend model).
    public var expectedSpend: Double
    /// Customer lifetime value over the CLV horizon (NaN without a spend model).
    public var lifetimeValue: Double
}

/// Scores every customer of calibration data with a fitted BG/NBD (and optionally Gamma-Gamma) model.
///
/// The costly parts, E[Y(h) | alive, x, T] and the discounted CLV sum, depend on (x, T) only; they are
/// computed once per distinct (x, T in days) and shared, then multiplied by each customer's P(alive)
/// and expected spend.
public struct CustomerScorer: Sendable {
    /// The fitted purchase model.
    public var transactions: BGNBDModel
    /// The fitted spend model; without one, spend and CLV are NaN.
    public var spend: GammaGammaModel?
    /// Horizon of ``CustomerScore/expectedTransactions`` in model units.
    public var horizon: Double
    /// Horizon and discounting of ``CustomerScore/lifetimeValue``.
    public var clv: CLVOptions

    /// Creates a scorer.
    /// - Parameters:
    ///   - horizon: the horizon of the expected transactions, in model units.
    public init(transactions: BGNBDModel, spend: GammaGammaModel? = nil, horizon: Double, clv: CLVOptions = CLVOptions()) {
        self.transactions = transactions
        self.spend = spend
        self.horizon = horizon
        self.clv = clv
    }

    /// Scores each customer of `data`, in the order of ``CalibrationData/customers``.
    /// - Complexity: O(customers + distinct x · max T in days) plus, per distinct (x, T),
    ///   `clv.months + 1` sums of the hypergeometric series (see ``AliveExpectationSeries``).
    public func score(_ data: CalibrationData) -> [CustomerScore] {
        let unit = data.unit
        let m = transactions
        let groups = DistinctHistories(data.customers)
        let perKey = seriesValues(groups, unit: unit)
        // ln(α + d) by day count d, and ln a − ln(b + x − 1) by x: P(alive) costs one exp.
        let logShifted = (0...groups.maxDays).map { log(m.alpha + unit.fromDays(Int32($0))) }
        var logOddsBase = [Double](repeating: 0, count: groups.maxX + 1)
        for x in groups.frequencies where x > 0 { logOddsBase[x] = log(m.a) - log(m.b + Double(x) - 1) }
        var scores: [CustomerScore] = []
        scores.reserveCapacity(data.customers.count)
        for (i, s) in data.customers.enumerated() {
            let x = max(0, Int(s.frequency))
            var alive = 1.0
            if x > 0 {
                let age = min(groups.maxDays, max(0, Int(s.ageDays))), recency = min(age, max(0, Int(s.recencyDays)))
                alive = 1 / (1 + exp(logOddsBase[x] + (m.r + Double(x)) * (logShifted[age] - logShifted[recency])))
            }
            let slot = Int(groups.slots[i])
            let expectedSpend = spend?.expectedSpend(x: Double(x), meanValue: s.monetaryValue) ?? .nan
            scores.append(CustomerScore(
                customer: s.customer,
                probabilityAlive: alive,
                expectedTransactions: alive * perKey.ifAlive[slot],
                expectedSpend: expectedSpend,
                lifetimeValue: alive * perKey.discounted[slot] * expectedSpend
            ))
        }
        return scores
    }

    /// E[Y(horizon) | alive] and the discounted CLV sum for each distinct (x, T); one series per x.
    private func seriesValues(_ groups: DistinctHistories, unit: ModelTimeUnit) -> (ifAlive: [Double], discounted: [Double]) {
        let horizons = [horizon] + (spend == nil ? [] : clv.monthEnds(unit: unit))
        var values = [Double](repeating: 0, count: horizons.count)
        var ifAlive = [Double](repeating: 0, count: groups.keys.count)
        var discounted = [Double](repeating: 0, count: groups.keys.count)
        var series: AliveExpectationSeries?
        var seriesX = -1
        for (k, key) in groups.keys.enumerated() {
            if key.x != seriesX {
                series = AliveExpectationSeries(model: transactions, x: Double(key.x))
                seriesX = key.x
            }
            series?.evaluate(beta: transactions.alpha + unit.fromDays(Int32(key.ageDays)), horizons: horizons, into: &values)
            ifAlive[k] = values[0]
            discounted[k] = clv.discount(cumulative: values.dropFirst())
        }
        return (ifAlive, discounted)
    }
}

/// The distinct (x, T in days) pairs of a set of customers, grouped by x, and each customer's pair.
/// Negative counts are read as 0.
/// - Complexity: O(customers + distinct x · max T in days): a counting sort by x, then a table over T.
struct DistinctHistories {
    /// The pairs, x ascending; within one x in order of first appearance.
    var keys: [(x: Int, ageDays: Int)] = []
    /// Index into `keys` of each customer.
    var slots: [Int32]
    /// The distinct frequencies, ascending.
    var frequencies: [Int] = []
    var maxX = 0
    var maxDays = 0

    init(_ customers: [CustomerSummary]) {
        for s in customers {
            maxX = max(maxX, Int(s.frequency))
            maxDays = max(maxDays, Int(s.ageDays))
        }
        var start = [Int](repeating: 0, count: maxX + 2)
        for s in customers { start[max(0, Int(s.frequency)) + 1] += 1 }
        for x in 0...maxX { start[x + 1] += start[x] }
        var byX = [Int32](repeating: 0, count: customers.count)
        var next = start
        for (i, s) in customers.enumerated() {
            let x = max(0, Int(s.frequency))
            byX[next[x]] = Int32(i)
            next[x] += 1
        }
        slots = [Int32](repeating: 0, count: customers.count)
        var slotOfAge = [Int32](repeating: -1, count: maxDays + 1)
        for x in 0...maxX where start[x + 1] > start[x] {
            frequencies.append(x)
            let first = keys.count
            for position in start[x]..<start[x + 1] {
                let i = Int(byX[position])
                let age = max(0, Int(customers[i].ageDays))
                if slotOfAge[age] < 0 {
                    slotOfAge[age] = Int32(keys.count)
                    keys.append((x, age))
                }
                slots[i] = slotOfAge[age]
            }
            for key in keys[first...] { slotOfAge[key.ageDays] = -1 }
        }
    }
}
