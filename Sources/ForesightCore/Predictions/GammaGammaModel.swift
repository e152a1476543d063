#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Colombo & Jiang 1999).
///
/// A customer's transaction values are Gamma(p, ν) with mean p/ν; across customers ν ~ Gamma(q, γ).
/// Spend is taken to be independent of the purchase process, so it combines with BG/NBD for CLV.
/// It is fitted on repeat buyers' number of repeat transactions `x` and their mean value `m̄`.
public struct GammaGammaModel: Sendable, Equatable, Codable {
    /// Shape of a customer's transaction values.
    public var p: Double
    /// Shape of the distribution of ν across customers.
    public var q: Double
    /// Scale (in money) of the distribution of ν across customers.
    public var gamma: Double

    /// Creates a model from its three parameters (all > 0).
    public init(p: Double, q: Double, gamma: Double) {
        self.p = p
        self.q = q
        self.gamma = gamma
    }

    /// The log-density of a mean value `m̄` over `x` transactions:
    ///
    ///     ln L = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m̄ + px ln x − (px+q) ln(x m̄ + γ)
    /// - Returns: −∞ when x or m̄ is not positive.
    public func logLikelihood(x: Double, meanValue m: Double) -> Double {
        guard x > 0, m > 0 else { return -.infinity }
        let px = p * x
        return Special.logGamma(px + q) - Special.logGamma(px) - Special.logGamma(q) + q * log(gamma)
            + (px - 1) * log(m) + px * log(x) - (px + q) * log(x * m + gamma)
    }

    /// The population mean transaction value p γ / (q − 1); NaN when q ≤ 1 (no finite mean).
    public var meanTransactionValue: Double { q > 1 ? p * gamma / (q - 1) : .nan }

    /// E[M | x, m̄]: the expected value of a customer's future transactions given `x` repeat transactions
    /// of mean value `m̄`, p (γ + x m̄) / (p x + q − 1), a weighted average of the population mean and
    /// the customer's own mean. For x = 0 it is the population mean. NaN when px + q ≤ 1.
    public func expectedSpend(x: Double, meanValue m: Double) -> Double {
        guard x > 0 else { return meanTransactionValue }
        let denominator = p * x + q - 1
        return denominator > 0 ? p * (gamma + x * m) / denominator : .nan
    }

    /// The model's parameters by name.
    public var namedParameters: [ModelParameter] {
        [.init(name: "p", value: p), .init(name: "q", value: q), .init(name: "gamma", value: gamma)]
    }
}
