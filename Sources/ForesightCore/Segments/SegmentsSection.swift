import Yams

/// Reads `segments:`, a list of `{name, rule, description}`.
enum SegmentsSection {
    struct Read {
        var segment: RuleSegment
        var location: (line: Int, column: Int)
        var ruleNode: Node.Scalar
    }

    static func read(_ node: Node, key: Node, rfmNames: [String], _ doc: inout ConfigDocument) -> [Read] {
        guard case .sequence(let items) = node else {
            if node.null == nil { doc.report("'segments' must be a list of segments, each with a name and a rule", at: node) }
            return []
        }
        var out: [Read] = []
        var firstLine: [String: Int] = [:]
        var invalid = Set<String>()
        for item in items {
            guard case .mapping(let m) = item else {
                doc.report("a segment must be a mapping with name and rule", at: item)
                continue
            }
            doc.checkKeys(m, known: ["name", "rule", "description"], in: "a segment")
            guard let nameNode = m["name"], let name = nameNode.string?.trimmingSpaces, !name.isEmpty else {
                doc.report("a segment needs a name", at: item)
                continue
            }
            let line = item.mark?.line ?? 1
            if let first = firstLine[name] {
                doc.report("duplicate segment name '\(name)' (first defined at line \(first))", at: nameNode)
                continue
            }
            firstLine[name] = line
            if rfmNames.contains(name) {
                doc.report("segment '\(name)' has the name of an RFM segment; pick another name", at: nameNode)
                invalid.insert(name)
                continue
            }
            guard let ruleNode = m["rule"], let scalar = ruleNode.scalar else {
                doc.report("segment '\(name)' needs a rule, such as rule: recency_days <= 7", at: m["rule"] ?? item)
                invalid.insert(name)
                continue
            }
            var description: String?
            if let d = m["description"] {
                if let s = d.scalar?.string { description = s } else { doc.report("the description of '\(name)' must be text", at: d) }
            }
            switch CompiledRule.compile(scalar.string) {
            case .failure(let e):
                let (l, c) = doc.position(ofOffset: e.offset, in: scalar)
                doc.report("segment '\(name)': \(e.message)", line: l, column: c)
                invalid.insert(name)
            case .success(let rule):
                out.append(Read(segment: RuleSegment(name: name, rule: rule, description: description),
                                location: (line, item.mark?.column ?? 1), ruleNode: scalar))
            }
        }
        return checkReferences(out, invalid: invalid, &doc)
    }

    /// Drops segments that refer to an unknown or broken segment, or sit in a reference cycle, with a
    /// problem at the reference; repeats until the rest only refer to valid segments.
    private static func checkReferences(_ all: [Read], invalid: Set<String>, _ doc: inout ConfigDocument) -> [Read] {
        var kept = all
        var broken = invalid
        func dropUnknown() {
            var changed = true
            while changed {
                changed = false
                let names = Set(kept.map(\.segment.name))
                var next: [Read] = []
                for r in kept {
                    let rule = r.segment.rule
                    if let i = rule.references.firstIndex(where: { !names.contains($0) }) {
                        let target = rule.references[i]
                        let why = broken.contains(target) ? "which has a problem" : "which is not defined"
                        let (l, c) = doc.position(ofOffset: rule.referenceOffsets[i], in: r.ruleNode)
                        doc.report("segment '\(r.segment.name)' refers to segment(\"\(target)\"), \(why)", line: l, column: c)
                        broken.insert(r.segment.name)
                        changed = true
                    } else {
                        next.append(r)
                    }
                }
                kept = next
            }
        }
        dropUnknown()
        var index: [String: Int] = [:]
        for (i, r) in kept.enumerated() { index[r.segment.name] = i }
        let targets = kept.map { $0.segment.rule.references.map { index[$0] ?? -1 } }
        var cyclic = Set<Int>()
        for cycle in SegmentDependencies.cycles(targets) {
            let path = (cycle + [cycle[0]]).map { kept[$0].segment.name }.joined(separator: " → ")
            for i in cycle where !cyclic.contains(i) {
                let r = kept[i]
                let next = kept[cycle[(cycle.firstIndex(of: i).map { $0 + 1 } ?? 0) % cycle.count]].segment.name
                let ref = r.segment.rule.references.firstIndex(of: next) ?? 0
                let (l, c) = doc.position(ofOffset: r.segment.rule.referenceOffsets[ref], in: r.ruleNode)
                doc.report("segment '\(r.segment.name)' is in a reference cycle: \(path)", line: l, column: c)
                cyclic.insert(i)
                broken.insert(r.segment.name)
            }
        }
        kept = kept.enumerated().filter { !cyclic.contains($0.offset) }.map(\.element)
        dropUnknown()
        return kept
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}
