extension KMeans {
    /// The mean silhouette of a clustering: for each row, (b − a) / max(a, b), where a is its mean
    /// distance to the rows of its cluster and b the smallest mean distance to another cluster's rows.
    /// Near 1: tight, well-separated clusters; near 0: overlapping.
    /// - Complexity: O(n² × d): pass a sample.
    public static func silhouette(_ m: BehaviourMatrix, labels: [UInt8], k: Int) -> Double {
        let n = m.count, d = m.dimensions
        guard n > 1, k > 1 else { return 0 }
        var clusterSize = [Int](repeating: 0, count: k)
        for l in labels { clusterSize[Int(l)] += 1 }
        var total = 0.0
        var sums = [Double](repeating: 0, count: k)
        m.values.withUnsafeBufferPointer { x in
            for i in 0..<n {
                for c in 0..<k { sums[c] = 0 }
                for j in 0..<n where j != i {
                    var s: Float = 0
                    for t in 0..<d { let u = x[i * d + t] - x[j * d + t]; s += u * u }
                    sums[Int(labels[j])] += Double(s.squareRoot())
                }
                let own = Int(labels[i])
                guard clusterSize[own] > 1 else { continue }
                let a = sums[own] / Double(clusterSize[own] - 1)
                var b = Double.infinity
                for c in 0..<k where c != own && clusterSize[c] > 0 { b = min(b, sums[c] / Double(clusterSize[c])) }
                guard b.isFinite, max(a, b) > 0 else { continue }
                total += (b - a) / max(a, b)
            }
        }
        return total / Double(n)
    }

    /// Chooses k in `range` by the mean silhouette: each k is fitted on a sample of at most `fitSample`
    /// rows and scored on its first `scoreSample` rows. Ties go to the smaller k.
    /// - Returns: the chosen k and the silhouette of each k tried.
    public static func chooseK(_ m: BehaviourMatrix, range: ClosedRange<Int> = 2...8, seed: UInt64 = 42,
                               fitSample: Int = 10_000, scoreSample: Int = 1500) -> (k: Int, silhouettes: [(k: Int, score: Double)]) {
        var rng = ClusterRandom(seed: seed ^ 0x5EED)
        let sampleRows: [Int] = m.count <= fitSample ? Array(0..<m.count)
            : (0..<fitSample).map { _ in Int(rng.next() % UInt64(m.count)) }
        let sample = m.subset(sampleRows)
        let scored = sample.subset(Array(0..<min(scoreSample, sample.count)))
        var scores: [(Int, Double)] = []
        var best = (k: range.lowerBound, score: -Double.infinity)
        for k in range where k <= max(1, sample.count) {
            let model = fit(sample, k: k, seed: seed, maxIterations: 15)
            let s = silhouette(scored, labels: Array(model.labels.prefix(scored.count)), k: k)
            scores.append((k, s))
            if s > best.score + 1e-9 { best = (k, s) }
        }
        return (best.k, scores)
    }
}
