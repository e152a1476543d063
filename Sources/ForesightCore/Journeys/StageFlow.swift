/// How many customers are in a stage.
public struct StageCount: Sendable, Equatable, Codable {
    public var stage: LifecycleStage
    public var customers: Int
}

/// Customers who moved from one stage to another over a period.
public struct StageMove: Sendable, Equatable, Codable {
    /// Their stage at the period's start; nil for customers first seen during the period.
    public var from: LifecycleStage?
    public var to: LifecycleStage
    public var customers: Int
}

/// The stage distribution now and the flow between stages over a period ending now.
public struct StageFlowReport: Sendable, Equatable {
    /// Every stage, in stage order (zeros included).
    public var distribution: [StageCount]
    public var periodStart: Int64
    public var periodEnd: Int64
    /// Moves with from ≠ to, the largest first.
    public var moves: [StageMove]

    /// Customers who went from `from` to `to` over the period.
    public func moved(from: LifecycleStage?, to: LifecycleStage) -> Int {
        moves.first { $0.from == from && $0.to == to }?.customers ?? 0
    }
}

extension Engine {
    /// Every customer's stage now, and her stage at `now − periodMs` against now (inactivity rule).
    /// - Complexity: O(events).
    public func stageFlow(rules: StageRules = StageRules(), now: Int64, periodMs: Int64 = 7 * 86_400_000) -> StageFlowReport {
        let rules = rules.bound(to: eventNames)
        let start = now - periodMs
        var distribution = [Int](repeating: 0, count: LifecycleStage.allCases.count)
        // (from + 1) * 8 + to; from = -1 for new customers.
        var moves = [Int](repeating: 0, count: 8 * 8)
        for p in profiles {
            guard let first = p.timeline.first, first.time <= now else { continue }
            let end = rules.stage(p, now: now)
            distribution[end.rawValue] += 1
            let before = first.time <= start ? rules.stage(p, now: start).rawValue : -1
            if before != end.rawValue { moves[(before + 1) * 8 + end.rawValue] += 1 }
        }
        var list: [StageMove] = []
        for f in -1..<LifecycleStage.allCases.count {
            for t in LifecycleStage.allCases where moves[(f + 1) * 8 + t.rawValue] > 0 {
                list.append(StageMove(from: LifecycleStage(rawValue: f), to: t, customers: moves[(f + 1) * 8 + t.rawValue]))
            }
        }
        list.sort { $0.customers != $1.customers ? $0.customers > $1.customers : ($0.from?.rawValue ?? -1, $0.to) < ($1.from?.rawValue ?? -1, $1.to) }
        return StageFlowReport(distribution: LifecycleStage.allCases.map { StageCount(stage: $0, customers: distribution[$0.rawValue]) },
                               periodStart: start, periodEnd: now, moves: list)
    }
}
