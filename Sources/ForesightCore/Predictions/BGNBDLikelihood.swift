#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The BG/NBD log-likelihood of calibration data with its analytic gradient, arranged for speed.
///
/// Customers with the same (x, t_x, T) in whole days are one weighted history. The terms A1 + A2 of
/// ``BGNBDModel/logLikelihood(x:tx:age:)`` depend on x only and are computed once per distinct x;
/// ln(α + t) and 1/(α + t) come from a table over day counts; one-time buyers (x = 0) reduce to a
/// histogram over T. What remains per history is one `exp` and one `log1p`.
struct BGNBDLikelihood: Sendable {
    /// A repeat buyer's history and how many customers share it.
    struct History: Sendable {
        var xIndex: Int32
        var recencyDays: Int32
        var ageDays: Int32
        var weight: Int32
    }

    let unitDays: Double
    /// Distinct frequencies and the number of customers with each.
    let frequencies: [Double]
    let frequencyWeights: [Double]
    /// One-time buyers by age in days.
    let oneTimeByAge: [Double]
    let histories: [History]
    let maxDays: Int
    let customers: Int

    /// Distinct histories, counting one per age of one-time buyers.
    var distinctHistories: Int { histories.count + oneTimeByAge.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }

    /// Compresses calibration data (negative counts are read as 0).
    /// - Complexity: O(n log n) for n repeat buyers (a sort of packed keys).
    init(_ data: CalibrationData) {
        unitDays = data.unit.days
        var maxDays = 0
        var maxX = 0
        for s in data.customers {
            maxDays = max(maxDays, Int(s.ageDays), Int(s.recencyDays))
            maxX = max(maxX, Int(s.frequency))
        }
        var countOfX = [Int](repeating: 0, count: maxX + 1)
        var oneTime = [Double](repeating: 0, count: maxDays + 1)
        var keys: [UInt64] = []
        keys.reserveCapacity(data.customers.count)
        for s in data.customers {
            let x = max(0, Int(s.frequency)), age = max(0, Int(s.ageDays))
            countOfX[x] += 1
            if x == 0 {
                oneTime[age] += 1
            } else {
                // T and t_x < 2^20 days, x < 2^24: sorted by T, then t_x, then x.
                keys.append(UInt64(age) << 44 | UInt64(max(0, Int(s.recencyDays))) << 24 | UInt64(x))
            }
        }
        keys.sort()
        var indexOfX = [Int32](repeating: 0, count: maxX + 1)
        var frequencies: [Double] = [], weights: [Double] = []
        for (x, count) in countOfX.enumerated() where count > 0 {
            indexOfX[x] = Int32(frequencies.count)
            frequencies.append(Double(x))
            weights.append(Double(count))
        }
        var histories: [History] = []
        var i = 0
        while i < keys.count {
            let key = keys[i]
            var j = i + 1
            while j < keys.count && keys[j] == key { j += 1 }
            histories.append(History(
                xIndex: indexOfX[Int(key & 0xFF_FFFF)],
                recencyDays: Int32(truncatingIfNeeded: (key >> 24) & 0xF_FFFF),
                ageDays: Int32(truncatingIfNeeded: key >> 44),
                weight: Int32(j - i)
            ))
            i = j
        }
        self.frequencies = frequencies
        self.frequencyWeights = weights
        self.histories = histories
        self.oneTimeByAge = oneTime
        self.maxDays = maxDays
        self.customers = data.customers.count
    }

    /// The log-likelihood at `model` and its gradient with respect to (r, α, a, b).
    func evaluate(_ m: BGNBDModel) -> (value: Double, gradient: [Double]) {
        let (r, alpha, a, b) = (m.r, m.alpha, m.a, m.b)
        guard r > 0, alpha > 0, a > 0, b > 0, r.isFinite, alpha.isFinite, a.isFinite, b.isFinite else {
            return (-.infinity, [0, 0, 0, 0])
        }
        let logAlpha = log(alpha)
        // ln(α + d) and 1/(α + d) by day count d.
        var logShifted = [Double](repeating: 0, count: maxDays + 1)
        var invShifted = [Double](repeating: 0, count: maxDays + 1)
        for d in 0...maxDays {
            let v = alpha + Double(d) / unitDays
            logShifted[d] = log(v)
            invShifted[d] = 1 / v
        }
        var value = 0.0
        var dr = 0.0, dAlpha = 0.0, da = 0.0, db = 0.0

        // Terms A1 + A2 by distinct x, and the per-x constants of the history loop.
        let lgR = Special.logGamma(r), lgB = Special.logGamma(b), lgAB = Special.logGamma(a + b)
        let psiR = Special.digamma(r), psiB = Special.digamma(b), psiAB = Special.digamma(a + b)
        var logOddsBase = [Double](repeating: 0, count: frequencies.count)
        var invBx = [Double](repeating: 0, count: frequencies.count)
        for (k, x) in frequencies.enumerated() {
            let w = frequencyWeights[k]
            value += w * r * logAlpha
            dr += w * logAlpha
            dAlpha += w * r / alpha
            guard x > 0 else { continue }
            value += w * (Special.logGamma(r + x) - lgR + lgAB + Special.logGamma(b + x) - lgB - Special.logGamma(a + b + x))
            let psiABX = Special.digamma(a + b + x)
            dr += w * (Special.digamma(r + x) - psiR)
            da += w * (psiAB - psiABX)
            db += w * (psiAB + Special.digamma(b + x) - psiB - psiABX)
            logOddsBase[k] = log(a) - log(b + x - 1)
            invBx[k] = 1 / (b + x - 1)
        }

        // One-time buyers: A3 = −r ln(α + T).
        for d in 0...maxDays where oneTimeByAge[d] > 0 {
            let w = oneTimeByAge[d]
            value -= w * r * logShifted[d]
            dr -= w * logShifted[d]
            dAlpha -= w * r * invShifted[d]
        }

        // Repeat buyers: A3 + softplus(A4 − A3); the weight of the second term is σ(A4 − A3).
        var sumValue = 0.0, sumR = 0.0, sumAlpha = 0.0, sumSecond = 0.0, sumSecondB = 0.0
        histories.withUnsafeBufferPointer { hs in
            logShifted.withUnsafeBufferPointer { lg in
                invShifted.withUnsafeBufferPointer { inv in
                    for h in hs {
                        let k = Int(h.xIndex)
                        let w = Double(h.weight)
                        let s = r + frequencies[k]
                        let logT = lg[Int(h.ageDays)], logTx = lg[Int(h.recencyDays)]
                        let odds = logOddsBase[k] - s * (logTx - logT)
                        // e ≤ 1, so log(1 + e) is within 1.2e-16 of log1p(e) in absolute terms, which is
                        // all a sum of log-likelihoods needs, and is 20% faster here.
                        let e = exp(-abs(odds))
                        let second = odds > 0 ? 1 / (1 + e) : e / (1 + e)
                        sumValue += w * (-s * logT + max(odds, 0) + log(1 + e))
                        sumR += w * (-logT - second * (logTx - logT))
                        sumAlpha -= w * s * (inv[Int(h.ageDays)] + second * (inv[Int(h.recencyDays)] - inv[Int(h.ageDays)]))
                        sumSecond += w * second
                        sumSecondB += w * second * invBx[k]
                    }
                }
            }
        }
        value += sumValue
        dr += sumR
        dAlpha += sumAlpha
        da += sumSecond / a
        db -= sumSecondB
        return (value, [dr, dAlpha, da, db])
    }
}
