#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// E[Y(t) | alive, x, T] of ``Special/aliveExpectation(s:a:bPost:beta:t:)`` for many T and t at one x.
///
/// The series Σ u_n has terms u_n = k_n zⁿ whose coefficients k_n depend on x (through s = r + x and
/// c = a + b + x − 1) but not on T or t. This keeps them, grown on demand, so that each further
/// (T, t) costs one multiply-add per term instead of a ratio with a division; and it evaluates all
/// horizons of one T in a single pass over n.
struct AliveExpectationSeries: Sendable {
    let s: Double
    let a: Double
    let c: Double
    /// k_1, k_2, … (k_1 = c − s).
    private(set) var coefficients: [Double]

    init(model: BGNBDModel, x: Double) {
        s = model.r + x
        a = model.a
        c = model.a + model.b + x - 1
        coefficients = [c - s]
    }

    /// Makes sure k_1 … k_count are known.
    mutating func reserve(_ count: Int) {
        guard coefficients.count < count else { return }
        let cms = c - s
        var k = coefficients[coefficients.count - 1]
        var n = Double(coefficients.count)
        coefficients.reserveCapacity(count)
        while coefficients.count < count {
            k *= (cms + n) * (a + n - 1) / ((c + n) * (n + 1))
            coefficients.append(k)
            n += 1
        }
    }

    /// Terms after which k_n zⁿ has fallen below 1e-16 when k_n does not grow (the usual case:
    /// k_n behaves like n^(a−s−2)); `sums(z:)` checks the last term and extends if needed.
    func termsNeeded(z: Double) -> Int {
        guard z > 0 else { return 1 }
        // When no term can exceed the one before (see `termsShrink`), they fall at least as fast as zⁿ and the
        // last term bounds the rest: no allowance for a rise. A fit with almost no dropout (a → 0, b → ∞, as
        // BFGS ends on a flat likelihood ridge) has c − s near b: the allowance alone was 650k terms per
        // customer history, and a score run of 400k customers took 3–6 s instead of 0.3–0.6 s.
        let bound = -36.9 / log(z) + 10 + (termsShrink ? 0 : abs(c - s))
        return Int(min(bound, 2_000_000))
    }

    /// Whether |k_(n+1) zⁿ⁺¹| < |k_n zⁿ| for every n ≥ 1 and z < 1: the ratio k_(n+1)/k_n is
    /// (c − s + n)(a + n − 1) / ((c + n)(n + 1)), whose second factor is below 1 for a < 2 and whose first is at
    /// most 1 in size when c > 0 and s ≤ 2(c + 1).
    var termsShrink: Bool { a < 2 && c > 0 && s >= 0 && s <= 2 * (c + 1) }

    /// E[Y(t) | alive] at age `beta − α` (pass β = α + T) for each horizon, written to `results`.
    /// - Precondition: `results.count == horizons.count`.
    mutating func evaluate(beta: Double, horizons: [Double], into results: inout [Double]) {
        let z = horizons.map { $0 > 0 ? $0 / (beta + $0) : 0 }
        let sums = sums(z: z)
        let am1 = a - 1
        for (m, t) in horizons.enumerated() {
            guard t > 0 else {
                results[m] = 0
                continue
            }
            let logOneMinusZ = -log1p(t / beta)
            let lead = abs(am1 * logOneMinusZ) < 1e-8
                ? -logOneMinusZ * (1 + 0.5 * am1 * logOneMinusZ)
                : -expm1(am1 * logOneMinusZ) / am1
            results[m] = max(0, c * lead - exp(am1 * logOneMinusZ) * sums[m])
        }
    }

    /// Σ_{n≥1} k_n zⁿ for each z, by Horner's rule run for all z at once (four lanes at a time, so
    /// that the independent chains overlap), with as many terms as the largest z needs for its last
    /// term to fall below 1e-16 of its sum.
    mutating func sums(z: [Double]) -> [Double] {
        let zMax = z.max() ?? 0
        let lanes = (z.count + 3) / 4
        var zv = [SIMD4<Double>](repeating: .zero, count: lanes)
        for (m, value) in z.enumerated() { zv[m / 4][m % 4] = value }
        let largest = z.firstIndex(of: zMax) ?? 0
        var count = termsNeeded(z: zMax)
        while true {
            reserve(count)
            var acc = [SIMD4<Double>](repeating: .zero, count: lanes)
            coefficients.withUnsafeBufferPointer { k in
                acc.withUnsafeMutableBufferPointer { sum in
                    zv.withUnsafeBufferPointer { zs in
                        var n = count - 1
                        while n >= 0 {
                            let kn = SIMD4<Double>(repeating: k[n])
                            for j in 0..<lanes { sum[j] = sum[j] * zs[j] + kn }
                            n -= 1
                        }
                    }
                }
            }
            var result = (0..<z.count).map { acc[$0 / 4][$0 % 4] * z[$0] }
            let total = result.isEmpty ? 0 : result[largest]
            let last = abs(coefficients[count - 1]) * pow(zMax, Double(count))
            if last <= 1e-16 * abs(total) || count >= 2_000_000 || !total.isFinite {
                for m in result.indices where z[m] == 0 { result[m] = 0 }
                return result
            }
            count += count / 2 + 16
        }
    }
}
