extension CompiledRule {
    /// The condition that decides the rule's current answer for a customer, and that condition's own
    /// answer: for an exit from `recency_days <= 7 and orders >= 2`, the clause that is false.
    ///
    /// Without the previous state the moving clause is not known for sure; among the deciding
    /// conditions, one that depends on the clock is preferred when `preferTime` (a timer moved the
    /// customer), else the first written.
    /// - Complexity: O(atoms × depth); called only when a membership changes.
    public func decidingClause(_ input: RuleInput, bindings: RuleBindings, preferTime: Bool,
                               reference: (Int) -> RuleResult = { _ in RuleResult(value: false) }) -> (clause: String, value: Bool) {
        let (atom, value) = bindings.withIDs { program.deciding(program.root, input, $0, preferTime, reference) }
        return (program.atomTexts[atom], value)
    }
}

extension RuleProgram {
    func deciding(_ index: Int32, _ input: RuleInput, _ b: BoundIDs, _ preferTime: Bool,
                  _ ref: (Int) -> RuleResult) -> (Int, Bool) {
        let node = nodes[Int(index)]
        switch node.kind {
        case .atom:
            return (Int(node.first), evaluate(index, input, b, ref).value)
        case .not:
            return deciding(node.first, input, b, preferTime, ref)
        case .and, .or:
            let value = evaluate(index, input, b, ref).value
            let kids = children[Int(node.first)..<Int(node.first + node.count)]
            // The children that agree with the result decide it (for a true `and` or a false `or`, all).
            let agreeing = kids.filter { evaluate($0, input, b, ref).value == value }
            let pool = agreeing.isEmpty ? Array(kids) : agreeing
            let pick = (preferTime ? pool.first(where: dependsOnTime) : nil) ?? pool[0]
            return deciding(pick, input, b, preferTime, ref)
        }
    }

    /// Whether a node can change with the clock (a segment reference may).
    func dependsOnTime(_ index: Int32) -> Bool {
        let node = nodes[Int(index)]
        switch node.kind {
        case .atom:
            if case .segment = atoms[Int(node.first)].test { return true }
            return atoms[Int(node.first)].dependsOnTime
        case .not: return dependsOnTime(node.first)
        case .and, .or: return children[Int(node.first)..<Int(node.first + node.count)].contains(where: dependsOnTime)
        }
    }
}
