/// What kind of segment a row is.
public enum SegmentKind: String, Sendable, Codable, CaseIterable {
    case rule, rfm, cluster
}

/// One segment as `foresight segments` and the Segments view list it.
public struct SegmentRow: Sendable, Codable, Equatable {
    public var name: String
    public var kind: SegmentKind
    /// The rule as written, the RFM cells ("R 4-5, FM 4-5"), or the cluster's centroid in words.
    public var definition: String
    public var description: String?
    public var size: Int
    /// Size ÷ customers (0 without customers).
    public var share: Double
    /// Size minus the size at the previous history sample, when there is one.
    public var change: Int?
}

/// The rule, RFM and cluster segments side by side: rows for listing and members for export.
public struct SegmentCatalog: Sendable {
    public var membership: SegmentMembership?
    public var rfmMap: RFMMap
    public var rfm: RFMScores?
    public var clusters: BehaviourClusters?

    public init(membership: SegmentMembership? = nil, rfmMap: RFMMap = .standard, rfm: RFMScores? = nil,
                clusters: BehaviourClusters? = nil) {
        self.membership = membership
        self.rfmMap = rfmMap
        self.rfm = rfm
        self.clusters = clusters
    }

    /// Every segment: rule segments in configuration order, then the RFM segments in map order (Other
    /// only when it has customers), then the clusters.
    /// - Parameters:
    ///   - customers: the population the shares are of (the engine's customers).
    ///   - history: sizes over time, for the change since the previous sample.
    public func rows(customers: Int, history: SegmentSizeHistory? = nil) -> [SegmentRow] {
        func row(_ name: String, _ kind: SegmentKind, _ definition: String, _ description: String?, _ size: Int) -> SegmentRow {
            SegmentRow(name: name, kind: kind, definition: definition, description: description, size: size,
                       share: customers > 0 ? Double(size) / Double(customers) : 0, change: history?.change(of: name))
        }
        var out: [SegmentRow] = []
        if let m = membership {
            for (i, s) in m.segments.enumerated() { out.append(row(s.name, .rule, s.rule.text, s.description, m.sizes[i])) }
        }
        if let rfm {
            for (i, name) in rfm.names.enumerated() {
                if i < rfmMap.rules.count {
                    let r = rfmMap.rules[i]
                    out.append(row(name, .rfm, "R \(Self.range(r.recency)), FM \(Self.range(r.frequencyMonetary))", nil, rfm.sizes[i]))
                } else if rfm.sizes[i] > 0 {
                    out.append(row(name, .rfm, "scores no RFM segment covers", nil, rfm.sizes[i]))
                }
            }
        }
        if let clusters {
            for (i, name) in clusters.names.enumerated() {
                out.append(row(name, .cluster, clusters.descriptions[i],
                               "k-means over \(clusters.features.map(\.rawValue).joined(separator: ", "))", clusters.sizes[i]))
            }
        }
        return out
    }

    /// The members of the segment with this name (rule segments first, then RFM, then clusters), in
    /// customer-id order; nil when no segment has the name.
    /// - Complexity: O(customers).
    public func members(of name: String) -> [UInt32]? {
        if let m = membership, let i = m.index(of: name) { return m.members(of: i) }
        if let rfm, let i = rfm.names.firstIndex(of: name) { return rfm.members(of: i) }
        if let clusters, let i = clusters.names.firstIndex(where: { $0 == name || $0.hasPrefix(name + ":") }) {
            return clusters.members(of: i)
        }
        return nil
    }

    /// The names of the segments a customer is in.
    public func segments(of c: UInt32) -> [String] {
        var out: [String] = []
        if let m = membership { out += m.segments(of: c).map { m.segments[$0].name } }
        if let s = rfm?.score(of: c), let rfm { out.append(rfm.names[s.segment]) }
        if let k = clusters?.cluster(of: c), let clusters { out.append(clusters.names[k]) }
        return out
    }

    /// The sizes of every segment by name, for ``SegmentSizeHistory/record(time:sizes:)``.
    public func sizes() -> [(name: String, size: Int)] { rows(customers: 0).map { ($0.name, $0.size) } }

    static func range(_ r: ClosedRange<Int>) -> String { r.lowerBound == r.upperBound ? "\(r.lowerBound)" : "\(r.lowerBound)-\(r.upperBound)" }
}

extension BehaviourClusters {
    /// The customers of a cluster, in id order.
    /// - Complexity: O(customers).
    public func members(of cluster: Int) -> [UInt32] {
        var out: [UInt32] = []
        for (i, l) in labels.enumerated() where Int(l) == cluster { out.append(UInt32(i)) }
        return out
    }
}
