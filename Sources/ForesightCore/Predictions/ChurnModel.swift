#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fitted churn classifier: logistic regression on standardised ``ChurnFeature`` inputs.
///
/// Its log-odds are the intercept plus one term per feature, `weight × (input − mean) / scale`, so each
/// term is exactly that feature's contribution to the score relative to an average customer (see
/// ``explain(_:)``). A feature that does not apply to a customer (NaN raw value) reads as the mean
/// and contributes 0.
public struct ChurnModel: Sendable, Equatable, Codable {
    /// The features, in the order of a row (``ChurnFeature`` order).
    public var features: [ChurnFeature]
    /// Training mean of each feature's model input.
    public var means: [Double]
    /// Training standard deviation of each input (1 when the input did not vary).
    public var scales: [Double]
    /// Weight of each standardised input, in log-odds of churn per standard deviation.
    public var weights: [Double]
    /// Log-odds of churn of a customer at the mean of every input.
    public var intercept: Double
    /// What the model was trained on, when and how well it did.
    public var card: ChurnModelCard

    /// Creates a model from its coefficients.
    public init(features: [ChurnFeature], means: [Double], scales: [Double], weights: [Double], intercept: Double, card: ChurnModelCard) {
        self.features = features
        self.means = means
        self.scales = scales
        self.weights = weights
        self.intercept = intercept
        self.card = card
    }

    /// The standardised input of feature `j` for a raw value (0 when the raw value is NaN).
    @inlinable
    public func standardised(_ j: Int, raw: Double) -> Double {
        let v = features[j].input(raw)
        return v.isNaN ? 0 : (v - means[j]) / scales[j]
    }

    /// Log-odds of churn for a row of raw feature values.
    /// - Complexity: O(features).
    public func logOdds(_ raw: [Double]) -> Double {
        var eta = intercept
        for j in features.indices { eta += weights[j] * standardised(j, raw: raw[j]) }
        return eta
    }

    /// Probability of churn for a row of raw feature values.
    public func probability(_ raw: [Double]) -> Double {
        1 / (1 + exp(-logOdds(raw)))
    }

    /// The churn probability with each feature's contribution to its log-odds, largest effect first.
    /// The contributions and ``ChurnExplanation/baseline`` sum to the log-odds of the probability.
    public func explain(_ raw: [Double]) -> ChurnExplanation {
        var parts: [ChurnContribution] = []
        parts.reserveCapacity(features.count)
        for (j, feature) in features.enumerated() {
            let value = raw[j]
            parts.append(ChurnContribution(
                feature: feature, value: value.isNaN ? nil : value,
                contribution: weights[j] * standardised(j, raw: value)))
        }
        parts.sort { abs($0.contribution) > abs($1.contribution) }
        return ChurnExplanation(baseline: intercept, contributions: parts)
    }
}

/// One feature's part in a churn score.
public struct ChurnContribution: Sendable, Equatable, Codable {
    /// The feature.
    public var feature: ChurnFeature
    /// The raw value (nil when the feature does not apply).
    public var value: Double?
    /// Change of the log-odds of churn against an average customer; positive raises the risk.
    public var contribution: Double

    /// Creates a contribution.
    public init(feature: ChurnFeature, value: Double?, contribution: Double) {
        self.feature = feature
        self.value = value
        self.contribution = contribution
    }

    /// The raw value in words: "41 days since last order" (built on demand).
    public var text: String { feature.describe(value ?? .nan) }

    /// "41 days since last order: +0.31".
    public var reason: String {
        text + ": " + (contribution >= 0 ? "+" : "") + ChurnFeature.decimal(contribution, 2)
    }
}

/// A churn score taken apart: baseline log-odds plus one contribution per feature.
public struct ChurnExplanation: Sendable, Equatable, Codable {
    /// Log-odds of churn of an average customer (the model's intercept).
    public var baseline: Double
    /// All contributions, largest absolute effect first.
    public var contributions: [ChurnContribution]

    /// The log-odds: baseline plus every contribution.
    public var logOdds: Double { contributions.reduce(baseline) { $0 + $1.contribution } }
    /// The churn probability.
    public var probability: Double { 1 / (1 + exp(-logOdds)) }

    /// The `n` contributions of largest effect that are not zero.
    public func top(_ n: Int) -> [ChurnContribution] {
        Array(contributions.lazy.filter { $0.contribution != 0 }.prefix(n))
    }
}

/// What a churn model was trained on, when and how well it did: the facts a Models view shows.
public struct ChurnModelCard: Sendable, Equatable, Codable {
    /// "Logistic regression (L2)".
    public var model: String
    /// Event time (ms) at which the fit was made, as passed in by the caller.
    public var fittedAt: Int64
    /// The training cutoff: features as of this time (ms), labels from the window after it.
    public var trainedAsOf: Int64
    /// Length of the label window in days: a customer churned when inactive this long after the cutoff.
    public var windowDays: Int
    /// What counted as inactive.
    public var definition: ChurnDefinition
    /// Customers in the training set.
    public var customers: Int
    /// Share of them that churned.
    public var churnRate: Double
    /// The ridge penalty.
    public var l2: Double
    /// Newton iterations, over every refit.
    public var iterations: Int
    /// Whether the last fit met its convergence test.
    public var converged: Bool
    /// Features left out because their weight took the sign opposite to ``ChurnFeature/expectedSign``.
    public var droppedFeatures: [ChurnFeature]
    /// How the model did on its own training rows (optimistic; ``Backtest`` measures it out of time).
    public var training: ClassifierEvaluation
}
