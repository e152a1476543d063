/// Type-checks a parsed rule and lowers it to atoms: every comparison must fit its field's kind
/// (a number field takes numbers, a text field takes quoted text with `=`, `!=` or `in`, …).
struct RuleCompiler {
    let source: RuleSource
    var atoms: [RuleAtom] = []
    var atomTexts: [String] = []
    var nodes: [RuleNode] = []
    var children: [Int32] = []
    var numbers: [Double] = []
    var labelRefs: [Int32] = []
    var labels: [String] = []
    var events: [String] = []
    var references: [String] = []
    var referenceOffsets: [Int] = []

    init(source: RuleSource) { self.source = source }

    /// Lowers a tree to flat nodes; returns the index of its node.
    mutating func lower(_ e: RuleExpression) throws(RuleError) -> Int32 {
        switch e {
        case .and(let xs), .or(let xs):
            var kids: [Int32] = []
            for x in xs { kids.append(try lower(x)) }
            let start = Int32(children.count)
            children.append(contentsOf: kids)
            let kind: RuleNode.Kind
            if case .and = e { kind = .and } else { kind = .or }
            nodes.append(RuleNode(kind: kind, first: start, count: Int32(kids.count)))
        case .not(let x):
            let child = try lower(x)
            nodes.append(RuleNode(kind: .not, first: child, count: 0))
        case .predicate(let p):
            let test = try check(p)
            atoms.append(RuleAtom(test: test))
            atomTexts.append(source.text(p.range))
            nodes.append(RuleNode(kind: .atom, first: Int32(atoms.count - 1), count: 0))
        }
        return Int32(nodes.count - 1)
    }

    func program(root: Int32) -> RuleProgram {
        RuleProgram(nodes: nodes, children: children, atoms: atoms, atomTexts: atomTexts, numbers: numbers,
                    labelRefs: labelRefs, labelLiterals: labels, eventLiterals: events, references: references,
                    referenceOffsets: referenceOffsets, root: root)
    }

    private mutating func check(_ p: RulePredicate) throws(RuleError) -> RuleAtom.Test {
        switch p.subject {
        case .field(let field):
            switch field.kind {
            case .number: return .number(field, try numberTest(p.test, field: field, at: p.subjectOffset))
            case .text: return try textTest(p.test, field: field, at: p.subjectOffset)
            case .bool: return try boolTest(p.test, field: field, at: p.subjectOffset)
            case .stage: return try stageTest(p.test, at: p.subjectOffset)
            }
        case .count(let event, let window):
            let index = events.firstIndex(of: event) ?? { events.append(event); return events.count - 1 }()
            if case .truthy = p.test {
                throw source.error("count(...) needs a comparison, as in count(\"\(event)\", \(RuleToken.formatDuration(window))) >= 1", at: p.subjectOffset)
            }
            return .count(event: index, windowMs: window, try numberTest(p.test, field: nil, at: p.subjectOffset))
        case .segment(let name):
            let index: Int
            if let i = references.firstIndex(of: name) { index = i } else {
                references.append(name)
                referenceOffsets.append(p.subjectOffset)
                index = references.count - 1
            }
            switch p.test {
            case .truthy: return .segment(index, expected: true)
            case .compare(let op, let lit) where op == .equal || op == .notEqual:
                guard case .bool(let b) = lit.value else {
                    throw source.error("segment(\"\(name)\") is true or false; it cannot be compared with \(lit.typeName)", at: lit.offset)
                }
                return .segment(index, expected: op == .equal ? b : !b)
            default:
                throw source.error("segment(\"\(name)\") is a condition by itself; use it without a comparison", at: p.subjectOffset)
            }
        }
    }

    /// A number test; `field` nil for a count.
    private mutating func numberTest(_ test: RuleTest, field: RuleField?, at offset: Int) throws(RuleError) -> NumberTest {
        let name = field.map { "'\($0.rawValue)'" } ?? "count(...)"
        func value(_ lit: RuleLiteral) throws(RuleError) -> Double {
            switch lit.value {
            case .number(let v): return v
            case .duration(let ms):
                guard let field, field.isDays else {
                    throw source.error("\(name) is not a number of days: a duration such as 7d applies to recency_days, days_since_order and tenure_days", at: lit.offset)
                }
                return Double(ms) / 86_400_000
            case .string, .bool:
                throw source.error("\(name) is a number and cannot be compared with \(lit.typeName)", at: lit.offset)
            }
        }
        switch test {
        case .truthy:
            let example = field.map { "\($0.rawValue) > 0" } ?? "count(...) >= 1"
            throw source.error("\(name) is a number and needs a comparison, as in \(example)", at: offset)
        case .compare(let op, let lit): return .compare(op, try value(lit))
        case .between(let a, let b):
            let lo = try value(a), hi = try value(b)
            guard lo <= hi else { throw source.error("the lower bound of 'between' is above the upper bound", at: a.offset) }
            return .between(lo, hi)
        case .member(let items, let negated):
            var values: [Double] = []
            for item in items { values.append(try value(item)) }
            let start = Int32(numbers.count)
            numbers.append(contentsOf: values)
            return NumberTest(kind: negated ? .notMember : .member, start: start, count: Int32(values.count))
        }
    }

    private mutating func textTest(_ test: RuleTest, field: RuleField, at offset: Int) throws(RuleError) -> RuleAtom.Test {
        func text(_ lit: RuleLiteral) throws(RuleError) -> Int {
            guard case .string(let s) = lit.value else {
                throw source.error("'\(field.rawValue)' is text and cannot be compared with \(lit.typeName); put the value in double quotes", at: lit.offset)
            }
            if let i = labels.firstIndex(of: s) { return i }
            labels.append(s)
            return labels.count - 1
        }
        switch test {
        case .compare(let op, let lit):
            guard op == .equal || op == .notEqual else {
                throw source.error("'\(field.rawValue)' is text: use =, != or in, not '\(op.rawValue)'", at: lit.offset)
            }
            let id = try text(lit)
            labelRefs.append(Int32(id))
            return .text(field, start: Int32(labelRefs.count - 1), count: 1, negated: op == .notEqual)
        case .member(let items, let negated):
            var ids: [Int32] = []
            for item in items { ids.append(Int32(try text(item))) }
            let start = Int32(labelRefs.count)
            labelRefs.append(contentsOf: ids)
            return .text(field, start: start, count: Int32(ids.count), negated: negated)
        case .between(let a, _):
            throw source.error("'\(field.rawValue)' is text: 'between' applies to numbers", at: a.offset)
        case .truthy:
            throw source.error("'\(field.rawValue)' is text and needs a comparison, as in \(field.rawValue) = \"DE\"", at: offset)
        }
    }

    private func boolTest(_ test: RuleTest, field: RuleField, at offset: Int) throws(RuleError) -> RuleAtom.Test {
        switch test {
        case .truthy: return .bool(field, true)
        case .compare(let op, let lit):
            guard case .bool(let b) = lit.value else {
                throw source.error("'\(field.rawValue)' is true or false and cannot be compared with \(lit.typeName)", at: lit.offset)
            }
            guard op == .equal || op == .notEqual else {
                throw source.error("'\(field.rawValue)' is true or false: use = or !=, not '\(op.rawValue)'", at: lit.offset)
            }
            return .bool(field, op == .equal ? b : !b)
        case .member(let items, _):
            throw source.error("'\(field.rawValue)' is true or false: use = or !=, not 'in'", at: items.first?.offset ?? offset)
        case .between(let a, _):
            throw source.error("'\(field.rawValue)' is true or false: 'between' applies to numbers", at: a.offset)
        }
    }

    private func stageTest(_ test: RuleTest, at offset: Int) throws(RuleError) -> RuleAtom.Test {
        func stage(_ lit: RuleLiteral) throws(RuleError) -> UInt8 {
            guard case .string(let s) = lit.value else {
                throw source.error("'stage' is a stage name in double quotes, such as \"At Risk\", not \(lit.typeName)", at: lit.offset)
            }
            guard let st = LifecycleStage.named(s) else {
                let names = LifecycleStage.allCases.map(\.label).joined(separator: ", ")
                throw source.error("unknown stage \"\(s)\" (stages: \(names))", at: lit.offset)
            }
            return 1 << UInt8(st.rawValue)
        }
        let all: UInt8 = (1 << UInt8(LifecycleStage.allCases.count)) - 1
        switch test {
        case .compare(let op, let lit):
            guard op == .equal || op == .notEqual else {
                throw source.error("'stage' is a name: use =, != or in, not '\(op.rawValue)'", at: lit.offset)
            }
            let mask = try stage(lit)
            return .stage(op == .equal ? mask : all & ~mask)
        case .member(let items, let negated):
            var mask: UInt8 = 0
            for item in items { mask |= try stage(item) }
            return .stage(negated ? all & ~mask : mask)
        case .between(let a, _):
            throw source.error("'stage' is a name: 'between' applies to numbers", at: a.offset)
        case .truthy:
            throw source.error("'stage' needs a comparison, as in stage = \"At Risk\"", at: offset)
        }
    }
}
