/// Order and cycles of segment references (`segment("Name")` in a rule).
enum SegmentDependencies {
    /// An evaluation order in which each segment comes after the segments it refers to; segments in a
    /// cycle come last, in index order. `targets[i]` lists the segments segment i refers to (-1 unknown).
    static func order(_ targets: [[Int]]) -> [Int] {
        var state = Array(repeating: 0, count: targets.count)  // 0 new, 1 visiting, 2 done
        var out: [Int] = []
        var cyclic: [Int] = []
        func visit(_ i: Int) -> Bool {
            if state[i] == 2 { return true }
            if state[i] == 1 { return false }
            state[i] = 1
            var ok = true
            for t in targets[i] where t >= 0 { if !visit(t) { ok = false } }
            state[i] = 2
            if ok { out.append(i) } else { cyclic.append(i) }
            return ok
        }
        for i in targets.indices { _ = visit(i) }
        return out + cyclic.sorted()
    }

    /// Whether `to` can be reached from `from` by following references (`from == to` counts).
    static func reachable(from: Int, to: Int, _ targets: [[Int]]) -> Bool {
        var seen = Set<Int>()
        var stack = [from]
        while let i = stack.popLast() {
            if i == to { return true }
            guard seen.insert(i).inserted else { continue }
            stack.append(contentsOf: targets[i].filter { $0 >= 0 })
        }
        return false
    }

    /// The cycles among named segments, each as the list of names around it, for problems.
    static func cycles(_ targets: [[Int]]) -> [[Int]] {
        var found: [[Int]] = []
        var reported = Set<Int>()
        for i in targets.indices where !reported.contains(i) {
            // A shortest path back to i through its references.
            var previous: [Int: Int] = [:]
            var frontier = targets[i].filter { $0 >= 0 }
            for t in frontier { previous[t] = i }
            var closed = false
            while !frontier.isEmpty && !closed {
                var next: [Int] = []
                for n in frontier {
                    if n == i { closed = true; break }
                    for t in targets[n] where t >= 0 && previous[t] == nil { previous[t] = n; next.append(t) }
                }
                frontier = next
            }
            guard closed else { continue }
            var cycle = [i]
            var k = previous[i] ?? i
            while k != i, cycle.count <= targets.count { cycle.append(k); k = previous[k] ?? i }
            cycle = [i] + cycle.dropFirst().reversed()
            cycle.forEach { reported.insert($0) }
            found.append(cycle)
        }
        return found
    }
}
