/// A deterministic random source for clustering (SplitMix64; its own type so that clustering does not
/// depend on the simulator's generator): the same seed gives the same clusters.
struct ClusterRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// Centroids of k clusters in standardised feature space, with each point's cluster.
public struct KMeansModel: Sendable {
    public let k: Int
    public let dimensions: Int
    /// Row-major k × d centroids.
    public internal(set) var centroids: [Float]
    /// Cluster of each row of the matrix fitted.
    public internal(set) var labels: [UInt8]
    /// Sum of squared distances of the points to their centroids.
    public internal(set) var inertia: Double
    /// Rows per cluster.
    public internal(set) var sizes: [Int]

    /// Centroid `c` as an array.
    public func centroid(_ c: Int) -> [Float] { Array(centroids[c * dimensions..<(c + 1) * dimensions]) }
}

/// k-means: k-means++ seeding, Lloyd iterations, mini-batch refits from the previous centroids.
public enum KMeans {
    /// Fits k clusters: k-means++ seeding on at most `seedingSample` rows, then Lloyd iterations over all
    /// rows until no row changes cluster or `maxIterations`.
    /// - Complexity: O(iterations × n × k × d).
    public static func fit(_ m: BehaviourMatrix, k: Int, seed: UInt64 = 42, maxIterations: Int = 25,
                           seedingSample: Int = 20_000) -> KMeansModel {
        let k = max(1, min(k, 255, max(1, m.count)))
        var rng = ClusterRandom(seed: seed)
        let centroids = seedPlusPlus(m, k: k, sample: seedingSample, rng: &rng)
        var model = KMeansModel(k: k, dimensions: m.dimensions, centroids: centroids,
                                labels: [UInt8](repeating: 0, count: m.count), inertia: 0, sizes: [])
        for iteration in 0..<maxIterations {
            let changed = assign(m, &model)
            if iteration > 0 && changed == 0 { break }
            updateCentroids(m, &model, rng: &rng)
        }
        _ = assign(m, &model)
        return model
    }

    /// Refits from previous centroids with mini-batch k-means (Sculley 2010): `batches` random batches
    /// of `batchSize` rows move each centroid toward its points with a per-centroid learning rate, then
    /// every row is assigned once. Cluster identities carry over, so sizes and moves compare.
    /// - Complexity: O(batches × batchSize × k × d + n × k × d).
    public static func refit(_ m: BehaviourMatrix, from previous: KMeansModel, seed: UInt64 = 42,
                             batches: Int = 20, batchSize: Int = 2048) -> KMeansModel {
        guard previous.dimensions == m.dimensions, m.count > 0 else { return fit(m, k: previous.k, seed: seed) }
        var model = KMeansModel(k: previous.k, dimensions: m.dimensions, centroids: previous.centroids,
                                labels: [UInt8](repeating: 0, count: m.count), inertia: 0, sizes: [])
        var rng = ClusterRandom(seed: seed)
        let d = m.dimensions
        var counts = [Double](repeating: 0, count: model.k)
        m.values.withUnsafeBufferPointer { x in
            model.centroids.withUnsafeMutableBufferPointer { c in
                for _ in 0..<batches {
                    for _ in 0..<batchSize {
                        let i = Int(rng.next() % UInt64(m.count))
                        let (best, _) = nearest(x, i * d, c, model.k, d)
                        counts[best] += 1
                        let rate = Float(1 / counts[best])
                        for j in 0..<d { c[best * d + j] += rate * (x[i * d + j] - c[best * d + j]) }
                    }
                }
            }
        }
        _ = assign(m, &model)
        return model
    }

    /// k-means++: the first centre at random, each next with probability proportional to the squared
    /// distance to the nearest chosen centre.
    static func seedPlusPlus(_ m: BehaviourMatrix, k: Int, sample: Int, rng: inout ClusterRandom) -> [Float] {
        let d = m.dimensions
        let n = m.count
        guard n > 0 else { return [Float](repeating: 0, count: k * d) }
        let rows: [Int] = n <= sample ? Array(0..<n) : (0..<sample).map { _ in Int(rng.next() % UInt64(n)) }
        var centroids: [Float] = []
        centroids.reserveCapacity(k * d)
        let first = rows[Int(rng.next() % UInt64(rows.count))]
        centroids.append(contentsOf: m.values[first * d..<(first + 1) * d])
        var nearestDistance = [Double](repeating: .infinity, count: rows.count)
        while centroids.count < k * d {
            let last = centroids.count / d - 1
            var total = 0.0
            for (r, i) in rows.enumerated() {
                var s: Float = 0
                for j in 0..<d { let t = m.values[i * d + j] - centroids[last * d + j]; s += t * t }
                nearestDistance[r] = min(nearestDistance[r], Double(s))
                total += nearestDistance[r]
            }
            var pick = rows[Int(rng.next() % UInt64(rows.count))]
            if total > 0 {
                var target = rng.unit() * total
                for (r, i) in rows.enumerated() {
                    target -= nearestDistance[r]
                    if target <= 0 { pick = i; break }
                }
            }
            centroids.append(contentsOf: m.values[pick * d..<(pick + 1) * d])
        }
        return centroids
    }

    @inline(__always)
    static func nearest(_ x: UnsafeBufferPointer<Float>, _ offset: Int, _ c: UnsafeMutableBufferPointer<Float>,
                        _ k: Int, _ d: Int) -> (Int, Float) {
        var best = 0
        var bestDistance = Float.infinity
        for cluster in 0..<k {
            var s: Float = 0
            let base = cluster * d
            for j in 0..<d { let t = x[offset + j] - c[base + j]; s += t * t }
            if s < bestDistance { bestDistance = s; best = cluster }
        }
        return (best, bestDistance)
    }

    /// Assigns every row to its nearest centroid; returns how many rows changed cluster.
    @discardableResult
    static func assign(_ m: BehaviourMatrix, _ model: inout KMeansModel) -> Int {
        let d = m.dimensions, k = model.k
        var changed = 0
        var inertia = 0.0
        var sizes = [Int](repeating: 0, count: k)
        m.values.withUnsafeBufferPointer { x in
            model.centroids.withUnsafeMutableBufferPointer { c in
                model.labels.withUnsafeMutableBufferPointer { labels in
                    for i in 0..<m.count {
                        let (best, distance) = nearest(x, i * d, c, k, d)
                        if labels[i] != UInt8(best) { changed += 1; labels[i] = UInt8(best) }
                        sizes[best] += 1
                        inertia += Double(distance)
                    }
                }
            }
        }
        model.inertia = inertia
        model.sizes = sizes
        return changed
    }

    /// Moves each centroid to the mean of its rows; an empty cluster takes a random row.
    static func updateCentroids(_ m: BehaviourMatrix, _ model: inout KMeansModel, rng: inout ClusterRandom) {
        let d = m.dimensions, k = model.k
        var sums = [Double](repeating: 0, count: k * d)
        var counts = [Int](repeating: 0, count: k)
        m.values.withUnsafeBufferPointer { x in
            for i in 0..<m.count {
                let c = Int(model.labels[i])
                counts[c] += 1
                for j in 0..<d { sums[c * d + j] += Double(x[i * d + j]) }
            }
        }
        for c in 0..<k {
            if counts[c] == 0 {
                let i = Int(rng.next() % UInt64(max(1, m.count)))
                for j in 0..<d { model.centroids[c * d + j] = m.values[i * d + j] }
            } else {
                for j in 0..<d { model.centroids[c * d + j] = Float(sums[c * d + j] / Double(counts[c])) }
            }
        }
    }
}
