import Foundation
import Yams

/// Reads `rfm:`, the score-to-name map: `segments:` as a list of `{name, r, fm}` where r and fm are a
/// score (`5`) or a range (`2-4`). The first entry covering a customer's scores names them.
enum RFMSection {
    static func read(_ node: Node, _ doc: inout ConfigDocument) -> RFMMap {
        guard case .mapping(let m) = node else {
            doc.report("'rfm' must be a mapping with a 'segments' list", at: node)
            return .standard
        }
        doc.checkKeys(m, known: ["segments"], in: "rfm")
        guard let list = m["segments"] else { return .standard }
        guard case .sequence(let items) = list else {
            doc.report("'rfm.segments' must be a list of {name, r, fm}", at: list)
            return .standard
        }
        var rules: [RFMSegmentRule] = []
        for item in items {
            guard case .mapping(let e) = item else {
                doc.report("an RFM segment must be a mapping with name, r and fm", at: item)
                continue
            }
            doc.checkKeys(e, known: ["name", "r", "fm"], in: "an RFM segment")
            guard let name = e["name"]?.string?.trimmingSpaces, !name.isEmpty else {
                doc.report("an RFM segment needs a name", at: item)
                continue
            }
            if rules.contains(where: { $0.name == name }) {
                doc.report("duplicate RFM segment name '\(name)'", at: e["name"])
                continue
            }
            guard let r = scoreRange(e["r"], "r", of: name, &doc), let fm = scoreRange(e["fm"], "fm", of: name, &doc) else { continue }
            rules.append(RFMSegmentRule(name: name, recency: r, frequencyMonetary: fm))
        }
        guard !rules.isEmpty else {
            doc.report("no valid RFM segment: the standard map is used", at: list)
            return .standard
        }
        let map = RFMMap(rules: rules)
        let uncovered = map.uncoveredCells
        if !uncovered.isEmpty {
            let cells = uncovered.map { "R\($0.r) FM\($0.fm)" }.joined(separator: ", ")
            doc.report("no RFM segment covers \(cells): those customers are shown as '\(RFMMap.otherName)'", at: list)
        }
        return map
    }

    private static func scoreRange(_ node: Node?, _ key: String, of name: String, _ doc: inout ConfigDocument) -> ClosedRange<Int>? {
        guard let node, let text = node.scalar?.string.trimmingSpaces else {
            doc.report("RFM segment '\(name)' needs '\(key)': a score 1-5 or a range such as 2-4", at: node)
            return nil
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        let range: ClosedRange<Int>?
        switch parts.count {
        case 1: range = parts[0].map { $0...$0 }
        case 2: range = parts[0].flatMap { lo in parts[1].flatMap { hi in lo <= hi ? lo...hi : nil } }
        default: range = nil
        }
        guard let range, range.lowerBound >= 1, range.upperBound <= 5 else {
            doc.report("RFM segment '\(name)': '\(key): \(text)' is not a score 1-5 or a range such as 2-4", at: node)
            return nil
        }
        return range
    }
}

/// Reads `clusters:`: `k` (a number 2–12, or auto), `max_k` (the largest k tried by auto), `features`
/// (a list of ``BehaviourFeature`` names) and `seed`.
enum ClustersSection {
    static func read(_ node: Node, _ doc: inout ConfigDocument) -> ClusterSettings {
        var settings = ClusterSettings()
        guard case .mapping(let m) = node else {
            doc.report("'clusters' must be a mapping (k, max_k, features, seed)", at: node)
            return settings
        }
        doc.checkKeys(m, known: ["k", "max_k", "features", "seed"], in: "clusters")
        if let k = m["k"] {
            if k.string == "auto" { settings.k = nil } else if let v = k.int, (2...12).contains(v) { settings.k = v } else {
                doc.report("'k' must be auto or a number from 2 to 12", at: k)
            }
        }
        if let maxK = m["max_k"] {
            if let v = maxK.int, (2...12).contains(v) { settings.kRange = 2...v } else {
                doc.report("'max_k' must be a number from 2 to 12", at: maxK)
            }
        }
        if let seed = m["seed"] {
            if let v = seed.int, v >= 0 { settings.seed = UInt64(v) } else { doc.report("'seed' must be a whole number, 0 or more", at: seed) }
        }
        if let features = m["features"] {
            guard case .sequence(let items) = features else {
                doc.report("'features' must be a list such as [recency, frequency, monetary]", at: features)
                return settings
            }
            var chosen: [BehaviourFeature] = []
            for item in items {
                guard let name = item.string, let f = BehaviourFeature(rawValue: name) else {
                    let names = BehaviourFeature.allCases.map(\.rawValue)
                    let hint = item.string.flatMap { RuleParser.closest(to: $0, in: names) }.map { "; did you mean '\($0)'?" } ?? ""
                    doc.report("unknown feature '\(item.string ?? "?")' (features: \(names.joined(separator: ", ")))\(hint)", at: item)
                    continue
                }
                if !chosen.contains(f) { chosen.append(f) }
            }
            if chosen.count >= 2 { settings.features = chosen } else {
                doc.report("clustering needs at least two features; all are used", at: features)
            }
        }
        return settings
    }
}
