#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least squares).
///
/// Minimises Σᵢ −log p(yᵢ | xᵢ) + (λ/2)‖w‖² over the weights w and an unpenalised intercept. Inputs
/// are expected standardised (mean 0, variance 1), so one λ suits every feature. Newton's method
/// converges in a handful of iterations on this convex objective; each costs O(n d²) for n rows of d
/// features, and a solve of the (d+1)² system by Cholesky. On large data the Hessian is estimated
/// from a systematic sample of rows (subsampled Newton): the gradient is exact, so the fit converges to
/// the same optimum, a few iterations later.
struct LogisticRegression: Sendable {
    /// The ridge penalty λ.
    var l2: Double = 1
    var maxIterations = 30
    /// Converged when no coefficient moves by more than this in an iteration.
    var tolerance = 1e-6
    /// Rows the Hessian is estimated from.
    var hessianRows = 20_000

    struct Fit: Sendable {
        var intercept: Double
        var weights: [Double]
        var iterations: Int
        var converged: Bool
    }

    /// Fits on `n` rows of `d` standardised inputs stored row-major in `x`, from `start` (intercept
    /// first) or from the base rate. A column of zeros keeps a weight of 0 (when λ > 0).
    /// - Complexity: O(iterations · n · d²).
    func fit(x: [Double], labels: [Bool], d: Int, start: [Double]? = nil) -> Fit {
        let n = labels.count
        precondition(x.count == n * d, "x must hold n rows of d inputs")
        let m = d + 1  // coefficient 0 is the intercept
        var beta = [Double](repeating: 0, count: m)
        let positives = Double(labels.reduce(0) { $0 + ($1 ? 1 : 0) })
        if let start, start.count == m {
            beta = start
        } else if n > 0 {
            // Start at the base rate: the optimum of the intercept-only model.
            let rate = min(1 - 1e-6, max(1e-6, positives / Double(n)))
            beta[0] = log(rate / (1 - rate))
        }
        var hessian = [Double](repeating: 0, count: m * m)
        var gradient = [Double](repeating: 0, count: m)
        var row = [Double](repeating: 1, count: m)
        // The Hessian from every k-th row only (at most `hessianRows`): the gradient stays exact, so the
        // optimum is the same, and each iteration costs O(n d + hessianRows d²).
        let stride = max(1, (n + hessianRows - 1) / max(1, hessianRows))
        let scale = Double(stride)
        var iterations = 0
        var converged = false
        while iterations < maxIterations && n > 0 {
            iterations += 1
            for i in 0..<(m * m) { hessian[i] = 0 }
            var loss = 0.0
            for j in 0..<m { gradient[j] = j == 0 ? 0 : l2 * beta[j] }
            x.withUnsafeBufferPointer { xs in
                hessian.withUnsafeMutableBufferPointer { h in
                    gradient.withUnsafeMutableBufferPointer { g in
                        row.withUnsafeMutableBufferPointer { v in
                            beta.withUnsafeBufferPointer { b in
                                for r in 0..<n {
                                    var eta = b[0]
                                    let base = r * d
                                    for j in 0..<d {
                                        let value = xs[base + j]
                                        v[j + 1] = value
                                        eta += b[j + 1] * value
                                    }
                                    let e = exp(-eta)
                                    let p = 1 / (1 + e)
                                    // −log p(y): log(1 + e^−η) for a churner, plus η for the others.
                                    loss += (e.isFinite ? log1p(e) : -eta) + (labels[r] ? 0 : eta)
                                    let residual = p - (labels[r] ? 1 : 0)
                                    for j in 0..<m { g[j] += residual * v[j] }
                                    guard r % stride == 0 else { continue }
                                    let weight = max(p * (1 - p), 1e-12) * scale
                                    for j in 0..<m {
                                        let wj = weight * v[j]
                                        // Upper triangle only; mirrored below.
                                        for k in j..<m { h[j * m + k] += wj * v[k] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for j in 1..<m { hessian[j * m + j] += l2 }
            for j in 0..<m { for k in 0..<j { hessian[j * m + k] = hessian[k * m + j] } }
            guard let step = Self.choleskySolve(hessian, gradient, m) else { break }
            // Damped Newton: a long step is halved until the penalised loss does not rise (a full step
            // can overshoot when classes are nearly separable and p(1 − p) is tiny); short steps, near
            // the optimum, are taken as they are.
            var current = loss
            for j in 1..<m { current += 0.5 * l2 * beta[j] * beta[j] }
            var fraction = 1.0
            var trial = beta
            for j in 0..<m { trial[j] = beta[j] - step[j] }
            if step.contains(where: { abs($0) > 0.1 }) {
                while fraction > 1e-9 && objective(x: x, labels: labels, d: d, beta: trial) > current + 1e-12 * abs(current) {
                    fraction /= 2
                    for j in 0..<m { trial[j] = beta[j] - fraction * step[j] }
                }
            }
            var largest = 0.0
            for j in 0..<m { largest = max(largest, abs(trial[j] - beta[j])) }
            beta = trial
            if largest < tolerance {
                converged = true
                break
            }
        }
        return Fit(intercept: beta[0], weights: Array(beta.dropFirst()), iterations: iterations, converged: converged)
    }

    /// The penalised negative log-likelihood Σ −log p(yᵢ | xᵢ) + (λ/2)‖w‖² at `beta` (intercept first).
    /// - Complexity: O(n d).
    func objective(x: [Double], labels: [Bool], d: Int, beta: [Double]) -> Double {
        var total = 0.0
        for j in 1..<beta.count { total += 0.5 * l2 * beta[j] * beta[j] }
        x.withUnsafeBufferPointer { xs in
            beta.withUnsafeBufferPointer { b in
                for r in 0..<labels.count {
                    var eta = b[0]
                    for j in 0..<d { eta += b[j + 1] * xs[r * d + j] }
                    // −log σ(±η) = log(1 + e^(∓η)), computed without overflow.
                    let margin = labels[r] ? eta : -eta
                    total += margin > 0 ? log1p(exp(-margin)) : -margin + log1p(exp(margin))
                }
            }
        }
        return total
    }

    /// Solves A s = b for a symmetric positive-definite A (m × m, row-major); nil when A is not.
    static func choleskySolve(_ a: [Double], _ b: [Double], _ m: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for j in 0...i {
                var sum = a[i * m + j]
                for k in 0..<j { sum -= l[i * m + k] * l[j * m + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    l[i * m + i] = sqrt(sum)
                } else {
                    l[i * m + j] = sum / l[j * m + j]
                }
            }
        }
        var y = [Double](repeating: 0, count: m)
        for i in 0..<m {
            var sum = b[i]
            for k in 0..<i { sum -= l[i * m + k] * y[k] }
            y[i] = sum / l[i * m + i]
        }
        var s = [Double](repeating: 0, count: m)
        for i in stride(from: m - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<m { sum -= l[k * m + i] * s[k] }
            s[i] = sum / l[i * m + i]
        }
        return s
    }
}
