/// Where a minimisation ended.
struct MinimizerResult: Sendable {
    var x: [Double]
    var value: Double
    var gradient: [Double]
    var iterations: Int
    var evaluations: Int
    var converged: Bool
}

/// A quasi-Newton (BFGS) minimiser for smooth functions of a few variables with an analytic gradient.
///
/// Backtracking line search with the Armijo condition and quadratic interpolation; the inverse-Hessian
/// estimate is scaled after the first step (Nocedal & Wright, eq. 6.20) and updated only when the
/// curvature condition holds. A non-finite value is taken as "outside the domain" and shortens the step,
/// so an objective may return `.infinity` where it overflows. Steps are capped at `maxStep` per
/// coordinate, which keeps log-parameters from leaping to where exp() overflows.
struct BFGSMinimizer: Sendable {
    /// Converged when every gradient component is below this (absolute; scale the objective to O(1)).
    var gradientTolerance = 1e-9
    /// When the line search can make no progress, a gradient below this still counts as converged
    /// (rounding in the objective keeps it from reaching `gradientTolerance`).
    var stallTolerance = 1e-6
    var maxIterations = 200
    var maxStep = 2.0

    /// Minimises `f` from `start`. `f(x, &gradient)` returns the value and writes the gradient.
    func minimize(start: [Double], _ f: ([Double], inout [Double]) -> Double) -> MinimizerResult {
        let n = start.count
        var x = start
        var g = [Double](repeating: 0, count: n)
        var fx = f(x, &g)
        var evaluations = 1
        guard fx.isFinite, g.allSatisfy(\.isFinite) else {
            return MinimizerResult(x: x, value: fx, gradient: g, iterations: 0, evaluations: 1, converged: false)
        }
        var h = Self.identity(n)
        var fresh = true
        var iteration = 0
        var converged = false
        var trial = x
        var gTrial = g
        while iteration < maxIterations {
            if Self.maxAbs(g) < gradientTolerance {
                converged = true
                break
            }
            var d = Self.multiply(h, g).map { -$0 }
            var slope = Self.dot(d, g)
            if !(slope < 0) {
                h = Self.identity(n)
                fresh = true
                d = g.map { -$0 }
                slope = Self.dot(d, g)
            }
            let longest = Self.maxAbs(d)
            if longest > maxStep {
                let scale = maxStep / longest
                d = d.map { $0 * scale }
                slope *= scale
            }
            // Backtracking line search.
            var step = 1.0
            var fTrial = Double.infinity
            var accepted = false
            for _ in 0..<60 {
                for i in 0..<n { trial[i] = x[i] + step * d[i] }
                fTrial = f(trial, &gTrial)
                evaluations += 1
                if fTrial.isFinite, gTrial.allSatisfy(\.isFinite), fTrial <= fx + 1e-4 * step * slope {
                    accepted = true
                    break
                }
                var next = 0.5 * step
                if fTrial.isFinite {
                    let curvature = fTrial - fx - step * slope
                    if curvature > 0 { next = min(0.5 * step, max(0.1 * step, -slope * step * step / (2 * curvature))) }
                }
                step = next
            }
            iteration += 1
            if !accepted {
                if !fresh {
                    // A stale Hessian estimate can point badly: retry along the gradient.
                    h = Self.identity(n)
                    fresh = true
                    continue
                }
                converged = Self.maxAbs(g) < stallTolerance
                break
            }
            let s = (0..<n).map { trial[$0] - x[$0] }
            let y = (0..<n).map { gTrial[$0] - g[$0] }
            let sy = Self.dot(s, y)
            let yy = Self.dot(y, y)
            if sy > 1e-12 * (Self.dot(s, s) * yy).squareRoot() {
                if fresh {
                    h = Self.identity(n).map { $0 * (sy / yy) }
                    fresh = false
                }
                h = Self.update(h, s: s, y: y, sy: sy)
            }
            let improvement = fx - fTrial
            x = trial
            fx = fTrial
            g = gTrial
            if improvement <= 1e-15 * max(1, abs(fx)) && Self.maxAbs(g) < stallTolerance {
                converged = true
                break
            }
        }
        return MinimizerResult(x: x, value: fx, gradient: g, iterations: iteration, evaluations: evaluations, converged: converged)
    }

    // MARK: small dense algebra (row-major n × n)

    static func identity(_ n: Int) -> [Double] {
        var m = [Double](repeating: 0, count: n * n)
        for i in 0..<n { m[i * n + i] = 1 }
        return m
    }

    static func dot(_ u: [Double], _ v: [Double]) -> Double {
        var sum = 0.0
        for i in u.indices { sum += u[i] * v[i] }
        return sum
    }

    static func maxAbs(_ v: [Double]) -> Double { v.reduce(0) { max($0, abs($1)) } }

    static func multiply(_ m: [Double], _ v: [Double]) -> [Double] {
        let n = v.count
        return (0..<n).map { i in
            var sum = 0.0
            for j in 0..<n { sum += m[i * n + j] * v[j] }
            return sum
        }
    }

    /// H⁺ = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1/(yᵀs), expanded:
    /// H⁺ = H − ρ (s (Hy)ᵀ + (Hy) sᵀ) + (ρ² yᵀHy + ρ) s sᵀ.
    static func update(_ h: [Double], s: [Double], y: [Double], sy: Double) -> [Double] {
        let n = s.count
        let rho = 1 / sy
        let hy = multiply(h, y)
        let yhy = dot(y, hy)
        let coefficient = rho * rho * yhy + rho
        var next = h
        for i in 0..<n {
            for j in 0..<n {
                next[i * n + j] += -rho * (s[i] * hy[j] + hy[i] * s[j]) + coefficient * s[i] * s[j]
            }
        }
        return next
    }
}
