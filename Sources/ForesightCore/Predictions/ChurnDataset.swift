/// Feature rows of the customers seen by a cutoff, with their labels when the window after it is known.
public struct ChurnDataset: Sendable {
    /// The cutoff (ms) the features were computed at.
    public var asOf: Int64
    /// Dense customer id of each row.
    public var customers: [UInt32]
    /// Raw feature values, row-major: ``ChurnFeatureExtractor/count`` per customer.
    public var raw: [Double]
    /// Whether each customer churned in the window after the cutoff (empty when not labelled).
    public var labels: [Bool]

    /// Creates a data set from rows made elsewhere (tests, other sources).
    public init(asOf: Int64, customers: [UInt32], raw: [Double], labels: [Bool]) {
        self.asOf = asOf
        self.customers = customers
        self.raw = raw
        self.labels = labels
    }

    /// Rows.
    public var count: Int { customers.count }

    /// The raw values of row `i`.
    public func row(_ i: Int) -> [Double] {
        let d = ChurnFeatureExtractor.count
        return Array(raw[(i * d)..<((i + 1) * d)])
    }

    /// The values of one feature over all rows.
    public func column(_ feature: ChurnFeature) -> [Double] {
        let d = ChurnFeatureExtractor.count
        return (0..<count).map { raw[$0 * d + feature.rawValue] }
    }
}

extension Engine {
    /// The churn feature rows of every customer with activity up to `asOf`, in customer-id order.
    /// - Parameters:
    ///   - asOf: the cutoff (ms).
    ///   - bgnbd: the BG/NBD snapshot at the same cutoff (nil: its features do not apply).
    ///   - label: the window (days) and definition to label churn with, nil for no labels.
    ///   - sampleEvery: take every k-th customer id only (1: all), to bound the size of a training set.
    /// - Complexity: O(events up to `asOf` + orders) of the customers taken.
    public func churnDataset(asOf: Int64, bgnbd: BGNBDSnapshot?, label: (windowDays: Int, definition: ChurnDefinition)?,
                             sampleEvery: Int = 1) -> ChurnDataset {
        let extractor = ChurnFeatureExtractor(sessionGapMs: config.sessionGapMs)
        let d = ChurnFeatureExtractor.count
        var dataset = ChurnDataset(asOf: asOf, customers: [], raw: [], labels: [])
        dataset.raw.reserveCapacity(profiles.count * d)
        var row = [Double](repeating: .nan, count: d)
        let windowMs = Int64(label?.windowDays ?? 0) * 86_400_000
        let step = max(1, sampleEvery)
        for c in stride(from: 0, to: profiles.count, by: step) where profiles[c].firstSeen <= asOf {
            let profile = profiles[c]
            let customer = UInt32(c)
            guard extractor.extract(profile, asOf: asOf, bgnbd: bgnbd?.inputs(customer), into: &row) else { continue }
            dataset.customers.append(customer)
            dataset.raw.append(contentsOf: row)
            if let label { dataset.labels.append(label.definition.churned(profile, asOf: asOf, windowMs: windowMs)) }
        }
        return dataset
    }
}
