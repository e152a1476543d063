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
        let (atom, value) = deciding(root, input, bindings, preferTime, reference)
        return (atoms[atom].text, value)
    }

    private func deciding(_ node: RuleNode, _ input: RuleInput, _ b: RuleBindings, _ preferTime: Bool,
                          _ ref: (Int) -> RuleResult) -> (Int, Bool) {
        switch node {
        case .atom(let i):
            return (i, evaluateNode(node, input, b, ref).value)
        case .not(let x):
            return deciding(x, input, b, preferTime, ref)
        case .and(let xs), .or(let xs):
            let value = evaluateNode(node, input, b, ref).value
            // The children that agree with the result decide it (for a true `and` or a false `or`, all).
            let candidates = xs.filter { evaluateNode($0, input, b, ref).value == value }
            let pool = candidates.isEmpty ? xs : candidates
            let pick = (preferTime ? pool.first(where: { dependsOnTime($0) }) : nil) ?? pool[0]
            return deciding(pick, input, b, preferTime, ref)
        }
    }

    private func evaluateNode(_ node: RuleNode, _ input: RuleInput, _ b: RuleBindings, _ ref: (Int) -> RuleResult) -> RuleResult {
        evaluate(node, input, b, ref)
    }

    private func dependsOnTime(_ node: RuleNode) -> Bool {
        switch node {
        case .atom(let i):
            if case .segment = atoms[i].test { return true }
            return atoms[i].dependsOnTime
        case .not(let x): return dependsOnTime(x)
        case .and(let xs), .or(let xs): return xs.contains(where: dependsOnTime)
        }
    }
}
