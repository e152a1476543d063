#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gradient-boosted regression trees on the log-odds (logistic loss, Newton leaf values, histogram
/// splits), the candidate the churn classifier was measured against (see docs/DECISIONS.md).
///
/// Each feature's model input is cut into up to 32 quantile bins plus one bin for "does not apply";
/// trees split on bin thresholds, the missing bin always going left. Not used for live scores: its
/// explanations would need path attributions (SHAP) and it predicted no better here.
struct GradientBoostedTrees: Sendable {
    var rounds = 200
    var depth = 3
    var learningRate = 0.1
    /// L2 penalty on leaf values (λ of XGBoost).
    var l2 = 1.0
    /// Smallest Σ p(1 − p) in a child.
    var minChildWeight = 1.0
    var binsPerFeature = 32

    struct Node: Sendable {
        var feature: Int32 = -1
        var threshold: UInt8 = 0
        var left: Int32 = -1
        var right: Int32 = -1
        var value: Double = 0
    }

    /// A fitted ensemble.
    struct Model: Sendable {
        var base: Double
        var edges: [[Double]]
        var trees: [[Node]]

        func bin(_ v: Double, _ j: Int) -> UInt8 {
            guard !v.isNaN else { return 0 }
            let e = edges[j]
            var lo = 0, hi = e.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if e[mid] < v { lo = mid + 1 } else { hi = mid }
            }
            return UInt8(lo + 1)
        }

        func logOdds(bins row: ArraySlice<UInt8>) -> Double {
            var eta = base
            let start = row.startIndex
            for tree in trees {
                var n = 0
                while tree[n].feature >= 0 {
                    n = Int(row[start + Int(tree[n].feature)] <= tree[n].threshold ? tree[n].left : tree[n].right)
                }
                eta += tree[n].value
            }
            return eta
        }

        /// Churn probabilities of rows of model inputs (row-major, d per row, NaN = missing).
        func probabilities(inputs: [Double], d: Int) -> [Double] {
            let n = d == 0 ? 0 : inputs.count / d
            var binned = [UInt8](repeating: 0, count: n * d)
            for i in 0..<n { for j in 0..<d { binned[i * d + j] = bin(inputs[i * d + j], j) } }
            return (0..<n).map { i in 1 / (1 + exp(-logOdds(bins: binned[(i * d)..<((i + 1) * d)]))) }
        }
    }

    /// Fits on rows of model inputs (row-major, d per row; NaN = missing).
    /// - Complexity: O(rounds · depth · n · d).
    func fit(inputs: [Double], labels: [Bool], d: Int) -> Model {
        let n = labels.count
        let edges = (0..<d).map { j in Self.quantileEdges((0..<n).map { inputs[$0 * d + j] }, bins: binsPerFeature) }
        var model = Model(base: 0, edges: edges, trees: [])
        var binned = [UInt8](repeating: 0, count: n * d)
        for i in 0..<n { for j in 0..<d { binned[i * d + j] = model.bin(inputs[i * d + j], j) } }
        let rate = min(1 - 1e-6, max(1e-6, Double(labels.reduce(0) { $0 + ($1 ? 1 : 0) }) / Double(max(1, n))))
        model.base = log(rate / (1 - rate))
        var eta = [Double](repeating: model.base, count: n)
        var g = [Double](repeating: 0, count: n), h = [Double](repeating: 0, count: n)
        let binCount = binsPerFeature + 2
        for _ in 0..<rounds {
            for i in 0..<n {
                let p = 1 / (1 + exp(-eta[i]))
                g[i] = p - (labels[i] ? 1 : 0)
                h[i] = max(p * (1 - p), 1e-12)
            }
            var tree: [Node] = [Node()]
            var work: [(node: Int, rows: [Int], level: Int)] = [(0, Array(0..<n), 0)]
            while let (node, rows, level) = work.popLast() {
                var gSum = 0.0, hSum = 0.0
                for i in rows { gSum += g[i]; hSum += h[i] }
                tree[node].value = -gSum / (hSum + l2) * learningRate
                guard level < depth, rows.count > 1 else { continue }
                var best = (gain: 1e-9, feature: -1, threshold: 0)
                var gHist = [Double](repeating: 0, count: binCount), hHist = [Double](repeating: 0, count: binCount)
                for j in 0..<d {
                    for b in 0..<binCount { gHist[b] = 0; hHist[b] = 0 }
                    for i in rows {
                        let b = Int(binned[i * d + j])
                        gHist[b] += g[i]
                        hHist[b] += h[i]
                    }
                    var gLeft = 0.0, hLeft = 0.0
                    for b in 0..<(binCount - 1) {
                        gLeft += gHist[b]
                        hLeft += hHist[b]
                        let gRight = gSum - gLeft, hRight = hSum - hLeft
                        guard hLeft >= minChildWeight, hRight >= minChildWeight else { continue }
                        let gain = gLeft * gLeft / (hLeft + l2) + gRight * gRight / (hRight + l2) - gSum * gSum / (hSum + l2)
                        if gain > best.gain { best = (gain, j, b) }
                    }
                }
                guard best.feature >= 0 else { continue }
                let left = rows.filter { Int(binned[$0 * d + best.feature]) <= best.threshold }
                let right = rows.filter { Int(binned[$0 * d + best.feature]) > best.threshold }
                tree[node].feature = Int32(best.feature)
                tree[node].threshold = UInt8(best.threshold)
                tree[node].left = Int32(tree.count)
                tree.append(Node())
                tree[node].right = Int32(tree.count)
                tree.append(Node())
                work.append((Int(tree[node].left), left, level + 1))
                work.append((Int(tree[node].right), right, level + 1))
            }
            model.trees.append(tree)
            for i in 0..<n {
                var k = 0
                while tree[k].feature >= 0 {
                    k = Int(binned[i * d + Int(tree[k].feature)] <= tree[k].threshold ? tree[k].left : tree[k].right)
                }
                eta[i] += tree[k].value
            }
        }
        return model
    }

    /// Up to `bins` − 1 distinct cut points at the quantiles of the non-missing values.
    static func quantileEdges(_ values: [Double], bins: Int) -> [Double] {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return [] }
        var edges: [Double] = []
        for k in 1..<bins {
            let v = sorted[min(sorted.count - 1, k * sorted.count / bins)]
            if edges.last.map({ v > $0 }) ?? true { edges.append(v) }
        }
        return edges
    }
}
