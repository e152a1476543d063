/// How much of a row or column split one part takes.
public enum Constraint: Hashable, Sendable {
    /// Exactly this many cells (less if the space runs out).
    case fixed(Int)
    /// This percentage (0–100) of the whole length, rounded down.
    case percent(Int)
    /// A share of what the fixed and percentage parts leave, in proportion to its weight.
    case flexible(Int)

    /// Resolves constraints to sizes that never exceed `total` once `spacing` between parts is removed.
    ///
    /// Fixed and percentage parts are served first, in order, each clamped to what is left; flexible parts
    /// share the remainder by weight, the rounding leftovers going to the first ones.
    /// - Complexity: O(number of constraints).
    public static func resolve(_ constraints: [Constraint], total: Int, spacing: Int = 0) -> [Int] {
        guard !constraints.isEmpty else { return [] }
        var remaining = max(0, total - max(0, spacing) * (constraints.count - 1))
        let whole = remaining
        var sizes = Array(repeating: 0, count: constraints.count)
        var totalWeight = 0
        for (index, constraint) in constraints.enumerated() {
            switch constraint {
            case .fixed(let cells):
                sizes[index] = min(max(0, cells), remaining)
                remaining -= sizes[index]
            case .percent(let percentage):
                sizes[index] = min(whole * min(max(0, percentage), 100) / 100, remaining)
                remaining -= sizes[index]
            case .flexible(let weight):
                totalWeight += max(0, weight)
            }
        }
        guard totalWeight > 0 else { return sizes }
        var leftover = remaining
        for (index, constraint) in constraints.enumerated() {
            if case .flexible(let weight) = constraint {
                sizes[index] = remaining * max(0, weight) / totalWeight
                leftover -= sizes[index]
            }
        }
        for (index, constraint) in constraints.enumerated() where leftover > 0 {
            if case .flexible(let weight) = constraint, weight > 0 {
                sizes[index] += 1
                leftover -= 1
            }
        }
        return sizes
    }
}
