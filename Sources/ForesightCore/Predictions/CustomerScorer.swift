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
    public var transactions: BGNBDModel
    public var spend: GammaGammaModel?
    /// Horizon of ``CustomerScore/expectedTransactions`` in model units.
    public var horizon: Double
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
    /// - Complexity: O(customers) plus `clv.months + 1` hypergeometric series per distinct (x, T).
    public func score(_ data: CalibrationData) -> [CustomerScore] {
        let unit = data.unit
        // Distinct (x, T) pairs, in order of first appearance.
        var slotOfKey: [UInt64: Int32] = [:]
        slotOfKey.reserveCapacity(min(data.customers.count, 1 << 16))
        var slots = [Int32](repeating: 0, count: data.customers.count)
        var keys: [(x: Int32, ageDays: Int32)] = []
        for (i, s) in data.customers.enumerated() {
            let key = UInt64(UInt32(bitPattern: s.frequency)) << 32 | UInt64(UInt32(bitPattern: s.ageDays))
            if let slot = slotOfKey[key] {
                slots[i] = slot
            } else {
                let slot = Int32(keys.count)
                slotOfKey[key] = slot
                keys.append((s.frequency, s.ageDays))
                slots[i] = slot
            }
        }
        var ifAlive = [Double](repeating: 0, count: keys.count)
        var discounted = [Double](repeating: 0, count: keys.count)
        for (k, key) in keys.enumerated() {
            let x = Double(key.x), age = unit.fromDays(key.ageDays)
            ifAlive[k] = transactions.expectedTransactionsIfAlive(x: x, age: age, t: horizon)
            if spend != nil {
                discounted[k] = transactions.discountedTransactionsIfAlive(x: x, age: age, unit: unit, options: clv)
            }
        }
        var scores: [CustomerScore] = []
        scores.reserveCapacity(data.customers.count)
        for (i, s) in data.customers.enumerated() {
            let x = Double(s.frequency)
            let alive = transactions.probabilityAlive(x: x, tx: data.recency(s), age: data.age(s))
            let slot = Int(slots[i])
            let expectedSpend = spend?.expectedSpend(x: x, meanValue: s.monetaryValue) ?? .nan
            scores.append(CustomerScore(
                customer: s.customer,
                probabilityAlive: alive,
                expectedTransactions: alive * ifAlive[slot],
                expectedSpend: expectedSpend,
                lifetimeValue: alive * discounted[slot] * expectedSpend
            ))
        }
        return scores
    }
}
