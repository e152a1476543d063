/// One model family's out-of-time result in a backtest's comparison of candidates.
public struct BacktestCandidate: Sendable, Equatable, Codable {
    /// The model family and its settings.
    public var model: String
    /// AUC on the buyers (the customers BG/NBD scores).
    public var buyersAUC: Double?
    /// Brier score on the buyers (nil for a ranking that is not a churn probability).
    public var buyersBrier: Double?
    /// AUC on every customer active by the calibration end (nil where the model scores only buyers).
    public var allAUC: Double?
    /// Brier score on every customer.
    public var allBrier: Double?
}

extension Backtest {
    /// Trains each candidate churn model on the same training rows and scores the same evaluation rows,
    /// next to BG/NBD's rankings: the measurements behind the choice of model family.
    static func candidates(training: ChurnDataset, evaluation: ChurnDataset, snapshot: BGNBDSnapshot, chosen: ChurnModel) -> [BacktestCandidate] {
        let d = ChurnFeatureExtractor.count
        func inputs(_ data: ChurnDataset) -> [Double] {
            var x = data.raw
            for i in 0..<data.count { for (j, f) in ChurnFeature.allCases.enumerated() { x[i * d + j] = f.input(x[i * d + j]) } }
            return x
        }
        let isBuyer = evaluation.customers.map { snapshot.score($0) != nil }
        func result(_ name: String, _ p: [Double]) -> BacktestCandidate {
            let all = ClassifierEvaluation(probabilities: p, labels: evaluation.labels)
            let buyers = ClassifierEvaluation(probabilities: zip(p, isBuyer).filter(\.1).map(\.0),
                                              labels: zip(evaluation.labels, isBuyer).filter(\.1).map(\.0))
            return BacktestCandidate(model: name, buyersAUC: buyers.auc, buyersBrier: buyers.brier, allAUC: all.auc, allBrier: all.brier)
        }
        var out = [result("logistic regression, L2 λ=\(chosen.card.l2), signs kept (chosen)", chosen.probabilities(evaluation))]
        var free = ChurnTrainer(windowDays: chosen.card.windowDays, definition: chosen.card.definition, l2: chosen.card.l2)
        free.signConstrained = false
        if let unconstrained = try? free.fit(training, fittedAt: chosen.card.fittedAt) {
            out.append(result("logistic regression, L2 λ=\(chosen.card.l2), signs free", unconstrained.probabilities(evaluation)))
        }
        let trees = GradientBoostedTrees()
        let fitted = trees.fit(inputs: inputs(training), labels: training.labels, d: d)
        out.append(result("gradient-boosted trees, \(trees.rounds) × depth \(trees.depth), rate \(trees.learningRate)",
                          fitted.probabilities(inputs: inputs(evaluation), d: d)))
        let deep = GradientBoostedTrees(rounds: 300, depth: 1, learningRate: 0.2)
        let fittedDeep = deep.fit(inputs: inputs(training), labels: training.labels, d: d)
        out.append(result("gradient-boosted trees, \(deep.rounds) × depth \(deep.depth), rate \(deep.learningRate)",
                          fittedDeep.probabilities(inputs: inputs(evaluation), d: d)))
        var labels: [Bool] = [], dead: [Double] = [], fewer: [Double] = []
        for (i, c) in evaluation.customers.enumerated() {
            guard let s = snapshot.score(c) else { continue }
            labels.append(evaluation.labels[i])
            dead.append(1 - s.probabilityAlive)
            fewer.append(-s.expectedTransactions)
        }
        out.append(BacktestCandidate(model: "BG/NBD 1 − P(alive)", buyersAUC: ClassificationMetrics.auc(scores: dead, labels: labels).finite))
        out.append(BacktestCandidate(model: "BG/NBD expected transactions (fewer = riskier)",
                                     buyersAUC: ClassificationMetrics.auc(scores: fewer, labels: labels).finite))
        return out
    }
}
