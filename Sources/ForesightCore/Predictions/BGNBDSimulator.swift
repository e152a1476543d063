#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Draws customer histories from the BG/NBD and Gamma-Gamma generative stories, for parameter-recovery
/// tests and benchmarks. Deterministic for a seed.
public struct BGNBDSimulator: Sendable {
    /// The purchase and dropout process, in `unit`.
    public var transactions: BGNBDModel
    /// The transaction values.
    public var spend: GammaGammaModel
    /// The unit of the purchase rate.
    public var unit: ModelTimeUnit
    /// First purchases fall uniformly on days 0 ..< `acquisitionDays`.
    public var acquisitionDays: Int
    /// The calibration period ends on day `calibrationEndDay` (≥ acquisitionDays − 1).
    public var calibrationEndDay: Int

    /// Creates a simulator.
    public init(transactions: BGNBDModel, spend: GammaGammaModel, unit: ModelTimeUnit, acquisitionDays: Int, calibrationEndDay: Int) {
        self.transactions = transactions
        self.spend = spend
        self.unit = unit
        self.acquisitionDays = max(1, acquisitionDays)
        self.calibrationEndDay = max(calibrationEndDay, self.acquisitionDays - 1)
    }

    /// Simulates `customers` customers.
    ///
    /// Each customer buys at rate λ ~ Gamma(r, α) per unit from her first purchase on; after each
    /// repeat purchase she drops out with probability p ~ Beta(a, b); purchases on the day of the
    /// previous one merge into it (as transactions are days). Values are Gamma(p, ν), ν ~ Gamma(q, γ).
    /// - Complexity: O(customers + transactions).
    public func simulate(customers: Int, seed: UInt64) -> CalibrationData {
        var rng = SplitMix64(seed: seed)
        let m = transactions
        var summaries: [CustomerSummary] = []
        summaries.reserveCapacity(customers)
        for c in 0..<customers {
            let first = Int(rng.next() % UInt64(acquisitionDays))
            let ageDays = calibrationEndDay - first
            let lambda = rng.gamma(shape: m.r) / m.alpha
            let pDrop = rng.beta(m.a, m.b)
            let nu = rng.gamma(shape: spend.q) / spend.gamma
            var summary = CustomerSummary(customer: UInt32(c), frequency: 0, recencyDays: 0, ageDays: Int32(ageDays))
            summary.firstValue = rng.gamma(shape: spend.p) / nu
            var time = 0.0
            var lastDay = 0
            var repeatSum = 0.0
            while lambda > 0 {
                time += -log1p(-rng.uniform()) / lambda
                let days = time * unit.days
                guard days < Double(ageDays + 1) else { break }
                let day = Int(days.rounded(.down))
                let value = rng.gamma(shape: spend.p) / nu
                if day == lastDay {
                    if summary.frequency == 0 { summary.firstValue += value } else { repeatSum += value }
                    continue
                }
                lastDay = day
                summary.frequency += 1
                summary.recencyDays = Int32(day)
                repeatSum += value
                if rng.uniform() < pDrop { break }
            }
            if summary.frequency > 0 { summary.monetaryValue = repeatSum / Double(summary.frequency) }
            summaries.append(summary)
        }
        return CalibrationData(customers: summaries, calibrationEndDay: calibrationEndDay, unit: unit)
    }
}

/// A small, fast, seedable generator (Steele, Lea & Flood's SplitMix64).
struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Double {
        let u = 1 - uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * uniform())
    }

    /// Gamma(shape, 1) by Marsaglia & Tsang (2000), boosted for shape < 1.
    mutating func gamma(shape: Double) -> Double {
        if shape < 1 {
            return gamma(shape: shape + 1) * pow(1 - uniform(), 1 / shape)
        }
        let d = shape - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            let z = normal()
            let v0 = 1 + c * z
            guard v0 > 0 else { continue }
            let v = v0 * v0 * v0
            let u = 1 - uniform()
            if log(u) < 0.5 * z * z + d - d * v + d * log(v) { return d * v }
        }
    }

    /// Beta(a, b).
    mutating func beta(_ a: Double, _ b: Double) -> Double {
        let x = gamma(shape: a)
        let y = gamma(shape: b)
        return x + y > 0 ? x / (x + y) : 0.5
    }
}
