/// What the Journeys view shows, computed in one call from the engine state: the funnel (or why it could not
/// be computed), the stage distribution and the week's flow, the top transitions and paths, the pain points.
public struct JourneysReport: Sendable, Equatable {
    public var funnel: FunnelReport?
    /// Why the funnel is missing (an unknown step name).
    public var funnelProblem: String?
    public var stages: StageFlowReport
    public var paths: PathsReport
    public var painPoints: [PainPointSummary]
    /// The engine's accepted events when computed (a cache key with the steps).
    public var events: Int
    public var now: Int64
}

extension Engine {
    /// Everything of the Journeys view at `now`. The dashboard calls it on a copy of the engine off the
    /// ingest lock and keeps the result until the events or the steps change.
    /// - Complexity: O(events), a few passes.
    public func journeysReport(steps: FunnelSteps, rules: StageRules = StageRules(), now: Int64, top: Int = 10) -> JourneysReport {
        var funnel: FunnelReport?, problem: String?
        do throws(JourneyError) { funnel = try self.funnel(steps, now: now) } catch { problem = error.description }
        return JourneysReport(funnel: funnel, funnelProblem: problem, stages: stageFlow(rules: rules, now: now),
                              paths: paths(rules: rules, now: now, top: top), painPoints: painPointSummary(now: now),
                              events: stats.accepted, now: now)
    }
}
