extension CompiledRule {
    /// The rule fully parenthesised, one clause as written per leaf: how the parser grouped it.
    /// `a or b and not c` reads `(a or (b and (not c)))`.
    public var grouping: String { describe(program.root) }

    private func describe(_ index: Int32) -> String {
        let node = program.nodes[Int(index)]
        let kids = { self.program.children[Int(node.first)..<Int(node.first + node.count)].map(self.describe) }
        switch node.kind {
        case .atom: return program.atomTexts[Int(node.first)]
        case .not: return "(not \(describe(node.first)))"
        case .and: return "(" + kids().joined(separator: " and ") + ")"
        case .or: return "(" + kids().joined(separator: " or ") + ")"
        }
    }
}
