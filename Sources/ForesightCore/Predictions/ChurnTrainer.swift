#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Trains the churn classifier on a time split: features as of a cutoff, labels from the window after it.
public struct ChurnTrainer: Sendable {
    /// Length of the label window in days.
    public var windowDays: Int
    /// What counts as churn.
    public var definition: ChurnDefinition
    /// The ridge penalty λ on the standardised weights (at least 1e-6).
    public var l2: Double
    /// Keep each weight to its feature's ``ChurnFeature/expectedSign``: while weights have the wrong
    /// sign, their features are dropped and the model refitted.
    public var signConstrained: Bool
    /// Customers above this many are sampled evenly (every k-th customer id) for training: a larger
    /// sample moves the weights less than their own noise, and the fit stays a fraction of a second.
    public var maxTrainingRows: Int

    /// Creates a trainer.
    public init(windowDays: Int = 60, definition: ChurnDefinition = .activity, l2: Double = 1, signConstrained: Bool = true) {
        self.windowDays = windowDays
        self.definition = definition
        self.l2 = max(1e-6, l2)
        self.signConstrained = signConstrained
        maxTrainingRows = 100_000
    }

    /// The labelled training rows at `asOf`, with BG/NBD fitted at the same cutoff.
    /// - Complexity: O(events up to `asOf` + window) plus the BG/NBD fit.
    public func dataset(engine: Engine, asOf: Int64, unit: ModelTimeUnit = .week) -> ChurnDataset {
        let snapshot = BGNBDSnapshot(engine: engine, asOf: asOf, horizonDays: Double(windowDays), unit: unit)
        let every = (engine.profiles.count + maxTrainingRows - 1) / max(1, maxTrainingRows)
        return engine.churnDataset(asOf: asOf, bgnbd: snapshot, label: (windowDays, definition), sampleEvery: every)
    }

    /// Fits the classifier on labelled rows.
    /// - Parameters:
    ///   - fittedAt: the event time (ms) to record as the fit's time.
    /// - Throws: ``ModelFitError/noData`` when the rows are not labelled or hold only one class.
    /// - Complexity: O(n d²) per Newton iteration (a handful) for n rows of d features.
    public func fit(_ dataset: ChurnDataset, fittedAt: Int64) throws -> ChurnModel {
        let n = dataset.count, d = ChurnFeatureExtractor.count
        let churned = dataset.labels.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard dataset.labels.count == n, churned > 0, churned < n else { throw ModelFitError.noData }
        let features = ChurnFeature.allCases
        var means = [Double](repeating: 0, count: d), scales = [Double](repeating: 1, count: d)
        var inputs = [Double](repeating: 0, count: n * d)
        for (j, feature) in features.enumerated() {
            var sum = 0.0, sumSquares = 0.0, present = 0.0
            for i in 0..<n {
                let v = feature.input(dataset.raw[i * d + j])
                inputs[i * d + j] = v
                guard !v.isNaN else { continue }
                sum += v
                sumSquares += v * v
                present += 1
            }
            guard present > 0 else { continue }
            means[j] = sum / present
            let variance = max(0, sumSquares / present - means[j] * means[j])
            scales[j] = variance > 1e-12 ? sqrt(variance) : 1
        }
        for i in 0..<n {
            for j in 0..<d {
                let v = inputs[i * d + j]
                inputs[i * d + j] = v.isNaN ? 0 : (v - means[j]) / scales[j]
            }
        }
        let regression = LogisticRegression(l2: l2)
        var fit = regression.fit(x: inputs, labels: dataset.labels, d: d)
        var dropped: [ChurnFeature] = []
        while signConstrained {
            let wrong = features.indices.filter { Double(features[$0].expectedSign) * fit.weights[$0] < 0 }
            guard !wrong.isEmpty else { break }
            var start = [fit.intercept] + fit.weights
            for j in wrong {
                dropped.append(features[j])
                for i in 0..<n { inputs[i * d + j] = 0 }
                start[j + 1] = 0
            }
            let iterations = fit.iterations
            fit = regression.fit(x: inputs, labels: dataset.labels, d: d, start: start)
            fit.iterations += iterations
        }
        let card = ChurnModelCard(
            model: "Logistic regression (L2)", fittedAt: fittedAt, trainedAsOf: dataset.asOf, windowDays: windowDays,
            definition: definition, customers: n, churnRate: Double(churned) / Double(n), l2: l2,
            iterations: fit.iterations, converged: fit.converged, droppedFeatures: dropped,
            training: ClassifierEvaluation(probabilities: [], labels: []))
        var model = ChurnModel(features: features, means: means, scales: scales, weights: fit.weights,
                               intercept: fit.intercept, card: card)
        model.card.training = ClassifierEvaluation(probabilities: model.probabilities(dataset), labels: dataset.labels)
        return model
    }

    /// Builds the training rows at `asOf` and fits on them.
    public func train(engine: Engine, asOf: Int64, unit: ModelTimeUnit = .week, fittedAt: Int64) throws -> ChurnModel {
        try fit(dataset(engine: engine, asOf: asOf, unit: unit), fittedAt: fittedAt)
    }
}

extension ChurnModel {
    /// The churn probability of every row of a data set.
    /// - Complexity: O(rows · features).
    public func probabilities(_ dataset: ChurnDataset) -> [Double] {
        let d = ChurnFeatureExtractor.count
        var out = [Double](repeating: 0, count: dataset.count)
        dataset.raw.withUnsafeBufferPointer { raw in
            for i in 0..<dataset.count {
                var eta = intercept
                for j in 0..<d { eta += weights[j] * standardised(j, raw: raw[i * d + j]) }
                out[i] = 1 / (1 + exp(-eta))
            }
        }
        return out
    }
}
