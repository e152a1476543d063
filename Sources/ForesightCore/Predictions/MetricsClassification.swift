#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Measures of how well predicted probabilities of a binary outcome did.
public enum ClassificationMetrics {
    /// The area under the ROC curve: the probability that a random positive scores above a random
    /// negative, ties counting half (the Mann–Whitney U statistic over n₁ n₀).
    /// - Parameters:
    ///   - scores: higher means "more likely positive".
    ///   - labels: the outcomes, in the order of `scores`.
    /// - Returns: NaN when either class is empty.
    /// - Complexity: O(n log n).
    public static func auc(scores: [Double], labels: [Bool]) -> Double {
        precondition(scores.count == labels.count, "one label per score")
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var positives = 0.0
        var rankSum = 0.0
        var i = 0
        while i < order.count {
            // A run of equal scores shares the mean of its ranks (ranks start at 1).
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let meanRank = Double(i + j + 2) / 2
            for k in i...j where labels[order[k]] {
                positives += 1
                rankSum += meanRank
            }
            i = j + 1
        }
        let negatives = Double(scores.count) - positives
        guard positives > 0, negatives > 0 else { return .nan }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
    }

    /// The Brier score: the mean squared difference between the predicted probability and the outcome
    /// (0 is perfect; always predicting the base rate p scores p(1 − p)). NaN without data.
    public static func brier(probabilities: [Double], labels: [Bool]) -> Double {
        precondition(probabilities.count == labels.count, "one label per probability")
        guard !probabilities.isEmpty else { return .nan }
        var sum = 0.0
        for (p, y) in zip(probabilities, labels) {
            let d = p - (y ? 1 : 0)
            sum += d * d
        }
        return sum / Double(probabilities.count)
    }

    /// The mean negative log-likelihood (natural log) of the outcomes, probabilities clamped to
    /// [1e-15, 1 − 1e-15]. NaN without data.
    public static func logLoss(probabilities: [Double], labels: [Bool]) -> Double {
        precondition(probabilities.count == labels.count, "one label per probability")
        guard !probabilities.isEmpty else { return .nan }
        var sum = 0.0
        for (p, y) in zip(probabilities, labels) {
            let q = min(1 - 1e-15, max(1e-15, p))
            sum -= y ? log(q) : log(1 - q)
        }
        return sum / Double(probabilities.count)
    }
}

/// Discrimination and calibration of a probabilistic classifier on one data set.
public struct ClassifierEvaluation: Sendable, Equatable, Codable {
    /// Customers evaluated.
    public var count: Int
    /// Share of them with a positive outcome (nil without data).
    public var positiveRate: Double?
    /// Area under the ROC curve, ties half (nil when either class is empty).
    public var auc: Double?
    /// Mean squared error of the probabilities (nil without data).
    public var brier: Double?
    /// Mean negative log-likelihood (nil without data).
    public var logLoss: Double?
    /// Predicted against observed rates in ten bins of predicted probability.
    public var calibration: [CalibrationBin]

    /// Evaluates probabilities against outcomes.
    /// - Complexity: O(n log n).
    public init(probabilities: [Double], labels: [Bool]) {
        count = labels.count
        positiveRate = labels.isEmpty ? nil : Double(labels.reduce(0) { $0 + ($1 ? 1 : 0) }) / Double(labels.count)
        auc = ClassificationMetrics.auc(scores: probabilities, labels: labels).finite
        brier = ClassificationMetrics.brier(probabilities: probabilities, labels: labels).finite
        logLoss = ClassificationMetrics.logLoss(probabilities: probabilities, labels: labels).finite
        calibration = CalibrationBin.table(probabilities: probabilities, labels: labels)
    }
}

extension Double {
    /// The value, or nil when it is NaN or infinite (JSON has no such numbers).
    var finite: Double? { isFinite ? self : nil }
}
