#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How customer lifetime value is discounted and over how long.
///
/// The formula (as the `lifetimes` package computes it, with months of 365.25/12 days):
///
///     CLV = E[M | x, m̄] · Σ_{k=1}^{months} (E[Y(k·τ) | x, t_x, T] − E[Y((k−1)·τ) | x, t_x, T]) / (1 + d)^k
///
/// where τ is one month in model units, E[Y(t) | ·] the BG/NBD expected transactions in the next t
/// units (eq. 10), E[M | ·] the Gamma-Gamma expected spend per transaction and d the monthly discount
/// rate: each month's expected transactions, valued at the expected spend, discounted to the end of
/// that month. Since E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) · E[Y(t) | alive, x, T], the sum is
/// P(alive) times a factor of x and T alone, which scorers share between customers.
public struct CLVOptions: Sendable, Equatable, Codable {
    /// Months in the horizon.
    public var months: Int
    /// Discount rate per month (0.01 is about 12.7% a year).
    public var monthlyDiscountRate: Double

    /// Creates options; 12 months at 1% a month by default.
    public init(months: Int = 12, monthlyDiscountRate: Double = 0.01) {
        self.months = months
        self.monthlyDiscountRate = monthlyDiscountRate
    }
}

extension CLVOptions {
    /// The month ends τ, 2τ, … in model units.
    func monthEnds(unit: ModelTimeUnit) -> [Double] {
        (0..<max(0, months)).map { Double($0 + 1) * unit.perMonth }
    }

    /// Σ_k (C_k − C_{k−1}) / (1 + d)^k for the cumulative expectations C_1, C_2, … at the month ends.
    func discount<C: Collection<Double>>(cumulative: C) -> Double {
        let factor = 1 / (1 + monthlyDiscountRate)
        var discount = 1.0
        var previous = 0.0
        var total = 0.0
        for value in cumulative {
            discount *= factor
            total += (value - previous) * discount
            previous = value
        }
        return total
    }
}

extension BGNBDModel {
    /// The discounted expected transactions over the CLV horizon of a customer known to be alive:
    /// Σ_k (E[Y(kτ) | alive] − E[Y((k−1)τ) | alive]) / (1 + d)^k (see ``CLVOptions``).
    /// - Parameters:
    ///   - x: repeat transactions; age: T in model units; unit: the model's unit (for the month length).
    /// - Complexity: one pass of the hypergeometric series per month, sharing its coefficients.
    public func discountedTransactionsIfAlive(x: Double, age: Double, unit: ModelTimeUnit, options: CLVOptions) -> Double {
        let ends = options.monthEnds(unit: unit)
        var cumulative = [Double](repeating: 0, count: ends.count)
        var series = AliveExpectationSeries(model: self, x: x)
        series.evaluate(beta: alpha + age, horizons: ends, into: &cumulative)
        return options.discount(cumulative: cumulative)
    }

    /// The customer lifetime value of one customer (see ``CLVOptions`` for the formula).
    /// - Parameters:
    ///   - x, tx, age: the customer's frequency, recency and age in model units.
    ///   - meanValue: her mean repeat-transaction value m̄ (ignored when x = 0).
    ///   - spend: the fitted Gamma-Gamma model.
    public func customerLifetimeValue(
        x: Double, tx: Double, age: Double, meanValue: Double, spend: GammaGammaModel,
        unit: ModelTimeUnit, options: CLVOptions = CLVOptions()
    ) -> Double {
        probabilityAlive(x: x, tx: tx, age: age)
            * discountedTransactionsIfAlive(x: x, age: age, unit: unit, options: options)
            * spend.expectedSpend(x: x, meanValue: meanValue)
    }
}
