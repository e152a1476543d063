#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The BG/NBD model of Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way".
///
/// While alive, a customer buys at rate λ ~ Gamma(r, α) (per model unit); after each repeat
/// transaction she drops out with probability p ~ Beta(a, b). A customer is summarised by her
/// repeat transactions `x`, the time of the last one `t_x` and her age `T` (``CustomerSummary``).
/// Times are in the model's unit (``ModelTimeUnit``).
public struct BGNBDModel: Sendable, Equatable, Codable {
    /// Shape of the purchase-rate distribution.
    public var r: Double
    /// Scale (in model units) of the purchase-rate distribution.
    public var alpha: Double
    /// First shape of the dropout-probability distribution.
    public var a: Double
    /// Second shape of the dropout-probability distribution.
    public var b: Double

    /// Creates a model from its four parameters (all > 0).
    public init(r: Double, alpha: Double, a: Double, b: Double) {
        self.r = r
        self.alpha = alpha
        self.a = a
        self.b = b
    }

    /// The log-likelihood of one customer (eq. 6 of the paper), in a form that cannot overflow:
    ///
    ///     ln L = A1 + A2 + ln(e^A3 + δ(x>0) e^A4)
    ///     A1 = ln Γ(r+x) − ln Γ(r) + r ln α
    ///     A2 = ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x)
    ///     A3 = −(r+x) ln(α+T)
    ///     A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x)
    /// - Parameters:
    ///   - x: repeat transactions; tx: time of the last transaction; age: T.
    public func logLikelihood(x: Double, tx: Double, age: Double) -> Double {
        let a1 = Special.logGamma(r + x) - Special.logGamma(r) + r * log(alpha)
        let a2 = Special.logGamma(a + b) + Special.logGamma(b + x) - Special.logGamma(b) - Special.logGamma(a + b + x)
        let a3 = -(r + x) * log(alpha + age)
        guard x > 0 else { return a1 + a2 + a3 }
        let a4 = log(a) - log(b + x - 1) - (r + x) * log(alpha + tx)
        return a1 + a2 + Special.logAddExp(a3, a4)
    }

    /// The total log-likelihood of calibration data.
    /// - Complexity: O(customers); ``BGNBDLikelihood`` is the fast path used for fitting.
    public func logLikelihood(_ data: CalibrationData) -> Double {
        data.customers.reduce(0) { $0 + logLikelihood(x: Double($1.frequency), tx: data.recency($1), age: data.age($1)) }
    }

    /// P(alive | x, t_x, T): the probability that a customer with this history has not dropped out
    /// (eq. 11). It is 1 for a customer without a repeat transaction, as in the model no dropout can
    /// happen before the first repeat purchase.
    public func probabilityAlive(x: Double, tx: Double, age: Double) -> Double {
        guard x > 0 else { return 1 }
        let logOdds = log(a) - log(b + x - 1) + (r + x) * (log(alpha + age) - log(alpha + tx))
        return 1 / (1 + exp(logOdds))
    }

    /// E[Y(t) | x, t_x, T]: the expected transactions of a customer in the next `t` units (eq. 10).
    /// - Complexity: one hypergeometric series (see ``expectedTransactionsIfAlive(x:age:t:)``).
    public func expectedTransactions(in t: Double, x: Double, tx: Double, age: Double) -> Double {
        probabilityAlive(x: x, tx: tx, age: age) * expectedTransactionsIfAlive(x: x, age: age, t: t)
    }

    /// The expected transactions in the next `t` units of a customer known to be alive: eq. 10
    /// without its P(alive) factor. It depends on x and T only, so scorers share it between customers.
    public func expectedTransactionsIfAlive(x: Double, age: Double, t: Double) -> Double {
        Special.aliveExpectation(s: r + x, a: a, bPost: b + x, beta: alpha + age, t: t)
    }

    /// E[X(t)]: the expected transactions of a new customer in her first `t` units after the first
    /// purchase (eq. 9, repeat transactions only).
    public func expectedTransactionsOfNewCustomer(in t: Double) -> Double {
        Special.aliveExpectation(s: r, a: a, bPost: b, beta: alpha, t: t)
    }

    /// P(X(t) = k): the probability that a new customer makes exactly `k` repeat transactions in her
    /// first `t` units (eq. 8):
    ///
    ///     P = B(a, b+k)/B(a, b) · Γ(r+k)/(Γ(r) k!) · (α/(α+t))^r (t/(α+t))^k
    ///       + δ(k>0) B(a+1, b+k−1)/B(a, b) · [1 − (α/(α+t))^r Σ_{j<k} Γ(r+j)/(Γ(r) j!) (t/(α+t))^j]
    /// - Complexity: O(k).
    public func probabilityOfTransactions(_ k: Int, in t: Double) -> Double {
        guard k >= 0 else { return 0 }
        guard t > 0 else { return k == 0 ? 1 : 0 }
        let kd = Double(k)
        let logBab = Special.logBeta(a, b)
        let logP0 = r * log(alpha / (alpha + t))
        let logZ = log(t / (alpha + t))
        let nbd = Special.logGamma(r + kd) - Special.logGamma(r) - Special.logGamma(kd + 1) + logP0 + kd * logZ
        let first = exp(Special.logBeta(a, b + kd) - logBab + nbd)
        guard k > 0 else { return first }
        // Σ_{j<k} of the NBD probabilities, by their ratio (r+j)/(j+1) · z.
        var term = exp(logP0)
        var cumulative = 0.0
        let z = t / (alpha + t)
        for j in 0..<k {
            cumulative += term
            term *= (r + Double(j)) / Double(j + 1) * z
        }
        let second = exp(Special.logBeta(a + 1, b + kd - 1) - logBab) * max(0, 1 - cumulative)
        return first + second
    }

    /// The model's parameters by name, in the paper's order.
    public var namedParameters: [ModelParameter] {
        [.init(name: "r", value: r), .init(name: "alpha", value: alpha), .init(name: "a", value: a), .init(name: "b", value: b)]
    }
}
