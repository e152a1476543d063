/// One row of a calibration table: the customers whose predicted probability fell in
/// [`lower`, `upper`), with their mean prediction and the rate actually observed.
public struct CalibrationBin: Sendable, Equatable, Codable {
    /// Lower bound of the predicted probabilities in the bin (included).
    public var lower: Double
    /// Upper bound (excluded, except 1 in the last bin).
    public var upper: Double
    /// Customers in the bin.
    public var count: Int
    /// Mean predicted probability in the bin (nil when empty).
    public var meanPredicted: Double?
    /// Share of the bin with a positive outcome (nil when empty).
    public var observedRate: Double?

    /// Creates a bin.
    public init(lower: Double, upper: Double, count: Int, meanPredicted: Double?, observedRate: Double?) {
        self.lower = lower
        self.upper = upper
        self.count = count
        self.meanPredicted = meanPredicted
        self.observedRate = observedRate
    }

    /// The calibration table of `bins` equal-width bins over [0, 1]. Probabilities outside [0, 1] are
    /// clamped into the first or last bin; NaN probabilities are left out.
    /// - Complexity: O(n).
    public static func table(probabilities: [Double], labels: [Bool], bins: Int = 10) -> [CalibrationBin] {
        precondition(probabilities.count == labels.count, "one label per probability")
        let n = max(1, bins)
        var counts = [Int](repeating: 0, count: n)
        var predicted = [Double](repeating: 0, count: n)
        var observed = [Double](repeating: 0, count: n)
        for (p, y) in zip(probabilities, labels) where !p.isNaN {
            let bin = min(n - 1, max(0, Int(p * Double(n))))
            counts[bin] += 1
            predicted[bin] += p
            observed[bin] += y ? 1 : 0
        }
        return (0..<n).map { b in
            let c = Double(counts[b])
            return CalibrationBin(
                lower: Double(b) / Double(n), upper: Double(b + 1) / Double(n), count: counts[b],
                meanPredicted: counts[b] > 0 ? predicted[b] / c : nil,
                observedRate: counts[b] > 0 ? observed[b] / c : nil)
        }
    }
}
