import Testing
@testable import ForesightCore

@Suite struct SegmentClusterTests {
    /// Three planted groups of 300: big frequent spenders, lapsed one-visit customers, and
    /// email-driven browsers who rarely buy. Values vary by ±30% around each group's centre.
    func planted() -> (BehaviourMatrix, [Int]) {
        var rng = ClusterRandom(seed: 9)
        let centres: [[Double]] = [
            // recency, frequency, monetary, sessions, email, cart, support
            [3, 20, 2500, 30, 2, 1, 0],
            [200, 0, 0, 1, 0, 0, 0],
            [10, 1, 40, 40, 60, 8, 1],
        ]
        var raw: [Double] = [], truth: [Int] = [], customers: [UInt32] = []
        for i in 0..<900 {
            let g = i % 3
            truth.append(g)
            customers.append(UInt32(i))
            for v in centres[g] { raw.append(v * (0.7 + 0.6 * rng.unit())) }
        }
        return (BehaviourMatrix(features: BehaviourFeature.allCases, customers: customers, raw: raw), truth)
    }

    /// The share of points whose cluster is the majority cluster of their planted group, when every
    /// group maps to a different cluster (0 otherwise).
    func purity(_ labels: [UInt8], _ truth: [Int]) -> Double {
        var majority: [Int: UInt8] = [:]
        var agree = 0
        for g in 0..<3 {
            var counts = [UInt8: Int]()
            for (i, t) in truth.enumerated() where t == g { counts[labels[i], default: 0] += 1 }
            let best = counts.max { $0.value < $1.value }
            majority[g] = best?.key
            agree += best?.value ?? 0
        }
        return Set(majority.values).count == 3 ? Double(agree) / Double(truth.count) : 0
    }

    @Test func recoversPlantedClustersAndDescribesThem() throws {
        let (m, truth) = planted()
        let clusters = BehaviourClusters.fit(m, settings: ClusterSettings(k: 3))
        #expect(purity(clusters.model.labels, truth) > 0.98)
        #expect(clusters.sizes.sorted() == [300, 300, 300])
        let spender = try #require(clusters.cluster(of: 0))
        let lapsed = try #require(clusters.cluster(of: 1))
        let emailer = try #require(clusters.cluster(of: 2))
        #expect(clusters.descriptions[spender].contains("frequent"))
        #expect(clusters.descriptions[spender].contains("high spend"))
        #expect(clusters.descriptions[lapsed].contains("lapsed"))
        #expect(clusters.descriptions[emailer].contains("email-driven"))
        #expect(clusters.names[emailer].hasPrefix("Cluster \(emailer + 1): "))
    }

    @Test func theSameSeedGivesTheSameClusters() {
        let (m, _) = planted()
        let a = BehaviourClusters.fit(m, settings: ClusterSettings(k: 3, seed: 5))
        let b = BehaviourClusters.fit(m, settings: ClusterSettings(k: 3, seed: 5))
        #expect(a.model.centroids == b.model.centroids)
        #expect(a.model.labels == b.model.labels)
    }

    @Test func silhouetteChoosesThePlantedK() {
        let (m, _) = planted()
        let choice = KMeans.chooseK(m, range: 2...6)
        #expect(choice.k == 3)
        #expect(choice.silhouettes.map(\.k) == [2, 3, 4, 5, 6])
        let clusters = BehaviourClusters.fit(m)
        #expect(clusters.model.k == 3)
        #expect(clusters.silhouettes.count == 7)
    }

    @Test func miniBatchRefitKeepsClusterIdentities() {
        let (m, truth) = planted()
        let first = BehaviourClusters.fit(m, settings: ClusterSettings(k: 3))
        let again = first.refit(m, seed: 11)
        #expect(purity(again.model.labels, truth) > 0.98)
        let same = zip(first.model.labels, again.model.labels).filter { $0 == $1 }.count
        #expect(Double(same) / Double(m.count) > 0.98)
        #expect(again.model.inertia <= first.model.inertia * 1.05)
    }

    @Test func describingACentroid() {
        let f = BehaviourFeature.allCases
        #expect(BehaviourClusters.describe([0, 1.2, -0.9, 0, 0.7, 0.1, 0], features: f) == "frequent, low spend, email-driven")
        #expect(BehaviourClusters.describe([0.2, 0, 0, 0.1, -0.3, 0, 0], features: f) == "average")
        #expect(BehaviourClusters.describe([0, 0, 0, 0, 0, -2, -2], features: f) == "average")
    }
}
