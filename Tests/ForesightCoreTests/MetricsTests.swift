import Testing
import ForesightCore
import Foundation

@Suite struct MetricsTests {
    @Test func aucOfAKnownRanking() {
        // Positives at 0.9, 0.6, 0.4; negatives at 0.7, 0.3, 0.2, 0.1. Pairs won by the positive:
        // 0.9 beats all 4, 0.6 beats 3, 0.4 beats 3: 10 of 12.
        let scores = [0.9, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1]
        let labels = [true, false, true, true, false, false, false]
        #expect(abs(ClassificationMetrics.auc(scores: scores, labels: labels) - 10.0 / 12.0) < 1e-12)
    }

    @Test func tiesCountHalf() {
        // Every score equal: each pair is a tie, AUC one half.
        #expect(ClassificationMetrics.auc(scores: [0.5, 0.5, 0.5, 0.5], labels: [true, false, true, false]) == 0.5)
        // One positive tied with one of two negatives and above the other: (1 + 0.5) / 2.
        #expect(ClassificationMetrics.auc(scores: [0.4, 0.4, 0.1], labels: [true, false, false]) == 0.75)
        // A tied group in the middle of a ranking: positives 3 and 2 (tied with a negative at 2), negatives 2 and 1.
        // Pairs: 3>2, 3>1, 2=2 (half), 2>1: 3.5 of 4.
        #expect(ClassificationMetrics.auc(scores: [3, 2, 2, 1], labels: [true, true, false, false]) == 3.5 / 4)
    }

    @Test func aucIsOneForAPerfectRankingZeroForAReversedOne() {
        let scores = [0.1, 0.2, 0.8, 0.9]
        #expect(ClassificationMetrics.auc(scores: scores, labels: [false, false, true, true]) == 1)
        #expect(ClassificationMetrics.auc(scores: scores, labels: [true, true, false, false]) == 0)
    }

    @Test func aucIsUndefinedWithOneClass() {
        #expect(ClassificationMetrics.auc(scores: [0.1, 0.2], labels: [true, true]).isNaN)
        #expect(ClassifierEvaluation(probabilities: [0.1, 0.2], labels: [false, false]).auc == nil)
    }

    @Test func brierAndLogLoss() {
        let p = [0.8, 0.3, 0.5]
        let y = [true, false, true]
        // (0.2² + 0.3² + 0.5²) / 3
        #expect(abs(ClassificationMetrics.brier(probabilities: p, labels: y) - (0.04 + 0.09 + 0.25) / 3) < 1e-12)
        let expected = -(log(0.8) + log(0.7) + log(0.5)) / 3
        #expect(abs(ClassificationMetrics.logLoss(probabilities: p, labels: y) - expected) < 1e-12)
        // The base rate always predicted scores p(1 − p).
        let base = ClassificationMetrics.brier(probabilities: [0.25, 0.25, 0.25, 0.25], labels: [true, false, false, false])
        #expect(abs(base - 0.25 * 0.75) < 1e-12)
    }

    @Test func calibrationTableBinsByPredictedProbability() {
        let p = [0.05, 0.07, 0.15, 0.95, 1.0, 0.55]
        let y = [false, true, false, true, true, false]
        let table = CalibrationBin.table(probabilities: p, labels: y)
        #expect(table.count == 10)
        #expect(table[0].count == 2)
        #expect(abs((table[0].meanPredicted ?? 0) - 0.06) < 1e-12)
        #expect(table[0].observedRate == 0.5)
        #expect(table[1].count == 1 && table[1].observedRate == 0)
        // 1.0 falls in the last bin with 0.95.
        #expect(table[9].count == 2 && table[9].observedRate == 1)
        #expect(table[5].count == 1)
        #expect(table[3].count == 0 && table[3].meanPredicted == nil)
        #expect(table.reduce(0) { $0 + $1.count } == p.count)
    }
}
