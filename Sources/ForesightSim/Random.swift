#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// The SplitMix64 finalizer: a bijection on 64-bit integers that scrambles its input.
///
/// Used to seed generators, to derive per-customer seeds, and to turn a counter into an id
/// that looks random but never repeats within one key.
@inline(__always)
func mix64(_ value: UInt64) -> UInt64 {
    var z = value
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// Combines a seed with a stream tag into a new, well-mixed seed.
@inline(__always)
func deriveSeed(_ seed: UInt64, _ tag: UInt64) -> UInt64 {
    mix64(seed &+ 0x9E37_79B9_7F4A_7C15 &* (tag &+ 1))
}

/// The xoshiro256** pseudo-random generator (Blackman & Vigna), seeded through SplitMix64.
///
/// Deterministic across platforms and runs: the simulator never touches the system RNG.
public struct SimRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator whose whole sequence is fixed by `seed`.
    public init(seed: UInt64) {
        var x = seed
        func nextSplit() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            return mix64(x)
        }
        s0 = nextSplit()
        s1 = nextSplit()
        s2 = nextSplit()
        s3 = nextSplit()
    }

    /// The next 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always)
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    /// A uniform double in [0, 1).
    @inline(__always)
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-shift; `bound` must be positive).
    @inline(__always)
    public mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform integer in the closed range.
    @inline(__always)
    public mutating func between(_ low: Int, _ high: Int) -> Int {
        low + below(high - low + 1)
    }

    /// A uniform double in `low..<high`.
    @inline(__always)
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * unit()
    }

    /// True with probability `p`.
    @inline(__always)
    public mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }

    /// An exponentially distributed value with the given mean.
    @inline(__always)
    public mutating func exponential(mean: Double) -> Double {
        -mean * log(1 - unit())
    }

    /// A standard normal value (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = max(unit(), 1e-300)
        let u2 = unit()
        return sqrt(-2 * log(u1)) * cos(2 * Double.pi * u2)
    }

    /// A Poisson-distributed count (Knuth's method, for the small means the simulator uses).
    public mutating func poisson(_ mean: Double) -> Int {
        if mean <= 0 { return 0 }
        if mean > 30 { return max(0, Int((mean + sqrt(mean) * normal()).rounded())) }
        let limit = exp(-mean)
        var product = unit()
        var count = 0
        while product > limit {
            product *= unit()
            count += 1
        }
        return count
    }

    /// A count of failures before the first success, capped at `cap`.
    @inline(__always)
    public mutating func geometric(success p: Double, cap: Int) -> Int {
        var count = 0
        while count < cap && !chance(p) { count += 1 }
        return count
    }

    /// An index drawn from a table of cumulative weights (the last entry is the total).
    ///
    /// - Complexity: O(log n).
    @inline(__always)
    public mutating func pick(cumulative: [Double]) -> Int {
        guard let total = cumulative.last else { return 0 }
        let target = unit() * total
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > target { high = mid } else { low = mid + 1 }
        }
        return low
    }
}

/// Turns a list of weights into the cumulative table `SimRandom.pick(cumulative:)` reads.
func cumulativeWeights(_ weights: [Double]) -> [Double] {
    var running = 0.0
    return weights.map { weight in
        running += weight
        return running
    }
}
