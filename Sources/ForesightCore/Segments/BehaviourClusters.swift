/// How the behavioural clusters are made (`clusters:` in `foresight.yml`).
public struct ClusterSettings: Sendable, Equatable {
    /// The number of clusters; nil chooses it by silhouette within ``kRange``.
    public var k: Int?
    public var kRange: ClosedRange<Int>
    public var features: [BehaviourFeature]
    public var seed: UInt64

    public init(k: Int? = nil, kRange: ClosedRange<Int> = 2...8, features: [BehaviourFeature] = BehaviourFeature.allCases,
                seed: UInt64 = 42) {
        self.k = k
        self.kRange = kRange
        self.features = features
        self.seed = seed
    }
}

/// Behavioural clusters of the customers at one time: the model, each cluster in words, and each
/// customer's cluster.
public struct BehaviourClusters: Sendable {
    public let features: [BehaviourFeature]
    public let model: KMeansModel
    /// Per cluster: "frequent, low spend, email-driven".
    public let descriptions: [String]
    /// The silhouette of each k tried, when k was chosen automatically.
    public let silhouettes: [(k: Int, score: Double)]
    /// Per customer id: cluster index, 255 for customers not clustered (no events).
    let labels: [UInt8]

    /// The cluster of a customer.
    public func cluster(of c: UInt32) -> Int? {
        let i = Int(c)
        guard i < labels.count, labels[i] != 255 else { return nil }
        return Int(labels[i])
    }

    /// Customers per cluster.
    public var sizes: [Int] { model.sizes }

    /// Names for the segment list: "Cluster 1: frequent, low spend, email-driven".
    public var names: [String] { descriptions.enumerated().map { "Cluster \($0.offset + 1): \($0.element)" } }

    /// Fits clusters from scratch: k from the settings, or chosen by silhouette.
    /// - Complexity: O(iterations × n × k × d), plus the k search on a sample when k is not set.
    public static func fit(_ m: BehaviourMatrix, settings: ClusterSettings = ClusterSettings()) -> BehaviourClusters {
        var silhouettes: [(k: Int, score: Double)] = []
        let k: Int
        if let fixed = settings.k { k = fixed } else {
            let choice = KMeans.chooseK(m, range: settings.kRange, seed: settings.seed)
            k = choice.k
            silhouettes = choice.silhouettes
        }
        return BehaviourClusters(m, model: KMeans.fit(m, k: k, seed: settings.seed), silhouettes: silhouettes)
    }

    /// Refits from these clusters' centroids on new data (mini-batch), keeping cluster identities.
    /// - Complexity: O(batches × batch size × k × d + n × k × d).
    public func refit(_ m: BehaviourMatrix, seed: UInt64 = 42) -> BehaviourClusters {
        BehaviourClusters(m, model: KMeans.refit(m, from: model, seed: seed), silhouettes: silhouettes)
    }

    init(_ m: BehaviourMatrix, model: KMeansModel, silhouettes: [(k: Int, score: Double)]) {
        features = m.features
        self.model = model
        self.silhouettes = silhouettes
        descriptions = (0..<model.k).map { Self.describe(model.centroid($0), features: m.features) }
        var dense = [UInt8](repeating: 255, count: (m.customers.max().map { Int($0) + 1 }) ?? 0)
        for (row, c) in m.customers.enumerated() { dense[Int(c)] = model.labels[row] }
        labels = dense
    }

    /// A centroid in words: the features at least half a standard deviation from the average, the
    /// furthest first, at most three; "average" when none is.
    public static func describe(_ centroid: [Float], features: [BehaviourFeature]) -> String {
        var notable: [(Float, String)] = []
        for (j, f) in features.enumerated() {
            let z = centroid[j]
            guard abs(z) >= 0.5 else { continue }
            let words = f.words
            if z > 0 { notable.append((z, words.high)) } else if let low = words.low { notable.append((-z, low)) }
        }
        let top = notable.sorted { $0.0 > $1.0 }.prefix(3).map(\.1)
        return top.isEmpty ? "average" : top.joined(separator: ", ")
    }
}
