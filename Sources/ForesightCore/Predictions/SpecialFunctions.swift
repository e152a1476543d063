#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few special functions the customer-base models need, for positive real arguments.
enum Special {
    /// ln Γ(x) for x > 0 (the C library's re-entrant `lgamma_r`, which does not write the global `signgam`).
    @inlinable
    static func logGamma(_ x: Double) -> Double {
        var sign: Int32 = 0
        return lgamma_r(x, &sign)
    }

    /// ln B(a, b) for a, b > 0.
    @inlinable
    static func logBeta(_ a: Double, _ b: Double) -> Double {
        logGamma(a) + logGamma(b) - logGamma(a + b)
    }

    /// The digamma function ψ(x) = d/dx ln Γ(x) for x > 0 (NaN otherwise).
    ///
    /// Shifts x up to at least 10 with ψ(x) = ψ(x + 1) − 1/x, then sums the asymptotic series;
    /// absolute error below 1e-13 (the asymptotic series is good to 1e-14 from 10 on).
    static func digamma(_ x0: Double) -> Double {
        guard x0 > 0, x0.isFinite else { return x0 == .infinity ? .infinity : .nan }
        var x = x0
        var result = 0.0
        while x < 10 {
            result -= 1 / x
            x += 1
        }
        let f = 1 / (x * x)
        let series = f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))))
        return result + log(x) - 0.5 / x - series
    }

    /// ln(e^u + e^v) without overflow.
    @inlinable
    static func logAddExp(_ u: Double, _ v: Double) -> Double {
        let m = max(u, v)
        if m == -.infinity { return m }
        return m + log1p(exp(-abs(u - v)))
    }

    /// The expected number of transactions in the next `t` units of a customer who is alive, under
    /// BG/NBD with purchase-rate posterior Gamma(s, β) and dropout posterior Beta(a, bPost):
    ///
    ///     E = c/(a−1) · [1 − (β/(β+t))^s · ₂F₁(s, bPost; c; z)],   c = a + bPost − 1,  z = t/(β+t)
    ///
    /// (Fader, Hardie & Lee 2005, eq. 10 without its P(alive) factor; eq. 9 with s = r, β = α,
    /// bPost = b). Evaluated after Euler's transformation ₂F₁(s, bPost; c; z) =
    /// (1−z)^(a−1−s) ₂F₁(c−s, a−1; c; z), which takes the factor (a−1) out analytically:
    ///
    ///     E = c · (1 − (1−z)^(a−1))/(a−1) − (1−z)^(a−1) · Σ_{n≥1} u_n,
    ///     u_1 = (c−s) z,   u_{n+1} = u_n · (c−s+n)(a+n−1) / ((c+n)(n+1)) · z,
    ///
    /// so that a = 1 and a + bPost < 1 need no special case. The series has ratio → z < 1.
    /// - Complexity: O(terms), about ln(1e-16)/ln z terms (40 at z = 0.4, 700 at z = 0.95).
    static func aliveExpectation(s: Double, a: Double, bPost: Double, beta: Double, t: Double) -> Double {
        guard t > 0 else { return 0 }
        let c = a + bPost - 1
        let z = t / (beta + t)
        let logOneMinusZ = -log1p(t / beta)
        let am1 = a - 1
        let power = exp(am1 * logOneMinusZ)
        // (1 − (1−z)^(a−1)) / (a−1), continuous at a = 1.
        let lead = abs(am1 * logOneMinusZ) < 1e-8
            ? -logOneMinusZ * (1 + 0.5 * am1 * logOneMinusZ)
            : -expm1(am1 * logOneMinusZ) / am1
        let cms = c - s
        var term = cms * z
        var sum = term
        var n = 1.0
        while n < 1_000_000 {
            term *= (cms + n) * (a + n - 1) / ((c + n) * (n + 1)) * z
            sum += term
            n += 1
            if abs(term) <= 1e-17 * abs(sum) && n > cms.magnitude || term == 0 { break }
        }
        return max(0, c * lead - power * sum)
    }
}
