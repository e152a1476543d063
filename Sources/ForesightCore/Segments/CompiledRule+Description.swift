extension CompiledRule {
    /// The rule fully parenthesised, one clause as written per leaf: how the parser grouped it.
    /// `a or b and not c` reads `(a or (b and (not c)))`.
    public var grouping: String { describe(root) }

    private func describe(_ node: RuleNode) -> String {
        switch node {
        case .atom(let i): return atoms[i].text
        case .not(let x): return "(not \(describe(x)))"
        case .and(let xs): return "(" + xs.map(describe).joined(separator: " and ") + ")"
        case .or(let xs): return "(" + xs.map(describe).joined(separator: " or ") + ")"
        }
    }
}
