import ForesightCore

/// Builds a frame's ``DashboardSnapshot`` from the pipeline: only what the current screen needs, and
/// for lists only the visible window, so the cost does not grow with the number of customers.
public enum DashboardQueries {
    /// Rows of the live tail kept for selection.
    public static let tailCapacity = 64
    /// Lines of each Campaigns feed kept for selection; lines of the Overview's triggers panel.
    public static let campaignFeedCapacity = 64
    public static let overviewCampaignRows = 12

    /// - Parameter journeys: the last Journeys report (computed in the background; the view shows it).
    public static func snapshot(state: DashboardState, pipeline: borrowing IngestPipeline, header: HeaderData,
                                rules: StageRules = StageRules(), models: ModelsContext = ModelsContext(),
                                journeys: JourneysReport? = nil, journeysComputing: Bool = false) -> DashboardSnapshot {
        let engine = pipeline.engine
        var snap = DashboardSnapshot(header: header, rejectCount: engine.stats.rejected)
        snap.header.customers = engine.profiles.count
        snap.header.events = engine.stats.accepted
        snap.header.watermark = engine.watermark
        let now = engine.watermark ?? 0
        switch state.screen {
        case .tab(.overview):
            // The last 64 events: the visible page and some to scroll to (a selection stays on its event).
            snap.overview = overview(engine, tailRows: tailCapacity)
            // The segments panel and the movement ticker beside the tail.
            snap.segments = pipeline.segmentsReport(SegmentsQuery(tickerLimit: 20))
            // The triggers' totals and the latest messages sent.
            snap.campaigns = campaigns(pipeline, feedRows: overviewCampaignRows, perTrigger: false)
        case .tab(.customers):
            let t = state.customers
            let visible = DashboardLayout.customerRows(state.size)
            let window = t.order[min(t.offset, t.order.count)..<min(t.order.count, t.offset + visible)]
            let rows = window.compactMap { c in
                Int(c) < engine.profiles.count ? engine.customerRow(c, now: now, rules: rules, models: models.models) : nil
            }
            snap.customers = CustomersData(rows: rows, total: t.order.count, population: engine.profiles.count, now: now,
                                           isStale: t.orderSpec != t.spec, segment: t.segment ?? t.funnelDrop?.label)
        case .customer(let c):
            guard Int(c) < engine.profiles.count else { break }
            let count = engine.profiles[Int(c)].timeline.count
            // Her campaign messages, newest first; at 80 columns they take rows from the timeline.
            let messages = customerMessages(pipeline, c)
            let page = DashboardLayout.timelineRows(state.size, messageRows: DashboardLayout.messageRows(state.size, count: messages?.count ?? 0))
            let offset = state.detail.offset.map { min($0, max(0, count - page)) } ?? max(0, count - page)
            snap.detail = DetailData(detail: engine.customerDetail(c, now: now, rules: rules),
                                     timeline: engine.timelineRows(c, range: offset..<offset + page),
                                     timelineOffset: offset, timelineCount: count)
            snap.detail?.segments = pipeline.segmentsReport(SegmentsQuery(customer: engine.customers.string(c), tickerLimit: 0))?
                .customerSegments
            if let fitted = models.models {
                snap.detail?.scores = scores(engine, c, fitted, now: now)
            } else {
                snap.detail?.scoresNote = models.waitingNote(events: engine.stats.accepted)
            }
            let risk = snap.detail?.scores?.churnRisk
            let history = rules.bound(to: engine.eventNames).history(engine.profiles[Int(c)], now: now, churnRisk: risk)
            snap.detail?.stageHistory = history
            snap.detail?.now = now
            snap.detail?.messages = messages
        case .tab(.segments):
            snap.segments = pipeline.segmentsReport(SegmentsQuery(tickerLimit: 60))
        case .tab(.models):
            snap.models = modelsData(engine, models)
        case .tab(.journeys):
            snap.journeys = JourneysData(report: journeys, steps: state.journeys.steps, computing: journeysComputing)
        case .tab(.campaigns):
            snap.campaigns = campaigns(pipeline, feedRows: campaignFeedCapacity, perTrigger: true)
        case .rejects:
            var rejects = pipeline.recentRejects.all
            if engine.redaction != nil {
                for i in rejects.indices { rejects[i].text = Redaction.hiddenLine }
            }
            snap.rejects = rejects
        }
        return snap
    }

    /// The campaign triggers' figures and the newest lines of both feeds (nil when no triggers run).
    /// - Parameter perTrigger: also each trigger's rule, counts and uplift (the uplift reads every exposure of
    ///   the trigger: O(messages), for the Campaigns view only).
    public static func campaigns(_ pipeline: borrowing IngestPipeline, feedRows: Int, perTrigger: Bool) -> CampaignsData? {
        guard let runner = pipeline.campaigns else { return nil }
        let engine = pipeline.engine
        let now = engine.watermark ?? 0
        let counts = runner.counts
        var rows: [CampaignTriggerRow] = []
        if perTrigger {
            rows = runner.triggers.enumerated().map { t, trigger in
                CampaignTriggerRow(name: trigger.name, rule: trigger.summary, channel: trigger.action.channel.rawValue,
                                   template: trigger.action.template, cooldownMs: trigger.cooldownMs,
                                   controlShare: trigger.controlShare, counts: t < counts.count ? counts[t] : TriggerCounts(),
                                   goal: trigger.goal, goalWindowMs: trigger.goalWindowMs,
                                   conversion: runner.uplift(trigger: t, now: now))
            }
        }
        return CampaignsData(triggers: rows, settings: runner.configuration.settings,
                             sent: newestFirst(runner.firedFeed, feedRows, engine, sentAt: true),
                             suppressed: newestFirst(runner.suppressedFeed, feedRows, engine, sentAt: false),
                             totalSent: counts.reduce(0) { $0 + $1.fired }, totalHeldOut: counts.reduce(0) { $0 + $1.heldOut },
                             totalSuppressed: counts.reduce(0) { $0 + $1.suppressedTotal }, waiting: runner.waitingCount,
                             triggerCount: runner.triggers.count, problems: runner.problems.map(\.description), now: now)
    }

    /// The last `count` decisions of a feed, newest first by the time shown (a message sent: when it went out;
    /// else when it was decided). A feed is in the order of the decisions, which is not quite time order: a
    /// segment flush during a replay settles entries of a few seconds back, a delayed message goes out later.
    static func newestFirst(_ feed: [CampaignDecision], _ count: Int, _ engine: Engine, sentAt: Bool) -> [CampaignMessageRow] {
        let rows = feed.suffix(count).reversed().map { messageRow($0, engine) }
        return rows.enumerated().sorted { a, b in
            let (x, y) = sentAt ? (a.element.sendTime, b.element.sendTime) : (a.element.time, b.element.time)
            return x != y ? x > y : a.offset < b.offset
        }.map(\.element)
    }

    /// The latest campaign decisions about a customer, newest first (nil when no triggers run).
    public static func customerMessages(_ pipeline: borrowing IngestPipeline, _ c: UInt32) -> [CampaignMessageRow]? {
        guard let runner = pipeline.campaigns else { return nil }
        let engine = pipeline.engine
        return runner.decisions(of: c).reversed().map { messageRow($0, engine) }
    }

    /// A decision as a line; the customer as the other views name her (her pseudonym under redaction).
    static func messageRow(_ d: CampaignDecision, _ engine: Engine) -> CampaignMessageRow {
        CampaignMessageRow(customerIndex: d.customer, time: d.causeTime, sendTime: d.sendTime,
                           customer: engine.redaction.map { $0.customer(d.customerKey) } ?? d.customerKey,
                           trigger: d.trigger, channel: d.channel.rawValue, template: d.template, suppressed: d.suppressed,
                           delayed: d.delayed, because: d.because)
    }

    /// The customers a table order is limited to: a search, a segment's members, or both (nil: everyone).
    /// - Complexity: O(customers) when limited.
    /// - Parameter dropped: the customers of `spec.funnelDrop`, when computed already (off the lock, on a copy
    ///   of the engine: ``funnelDropped(_:engine:)``); computed here otherwise.
    public static func customerSubset(_ spec: CustomerOrderSpec, pipeline: borrowing IngestPipeline, dropped: [UInt32]? = nil) -> [UInt32]? {
        let searched = spec.search.isEmpty ? nil : pipeline.engine.customers.ids(containing: spec.search)
        var subset = searched
        if let segment = spec.segment {
            let members = pipeline.segmentsReport(SegmentsQuery(members: segment, tickerLimit: 0))?.members?.map(\.id) ?? []
            if let searched {
                let inSegment = Set(members)
                subset = searched.filter { inSegment.contains($0) }
            } else {
                subset = members
            }
        }
        guard let drop = spec.funnelDrop else { return subset }
        let lost = dropped ?? funnelDropped(drop, engine: pipeline.engine)
        guard let subset else { return lost }
        let inDrop = Set(lost)
        return subset.filter { inDrop.contains($0) }
    }

    /// The customers who did the steps before `drop.step` but not it (the same funnel as the Journeys view).
    /// - Complexity: O(events).
    public static func funnelDropped(_ drop: FunnelDrop, engine: Engine) -> [UInt32] {
        guard let report = try? engine.funnel(drop.steps, now: engine.watermark ?? 0) else { return [] }
        return report.droppedAt(drop.step)
    }

    /// Points of the churn-risk sparkline on the customer screen.
    static let riskHistoryPoints = 24

    static func scores(_ engine: Engine, _ c: UInt32, _ models: PredictionModels, now: Int64) -> DetailScores {
        let score = engine.liveScore(c, models: models, now: now, nextProducts: models.options.nextProducts)
        let next = score.nextProducts.map { r -> (product: String, reason: String) in
            let category = Int(r.product) < engine.productCategory.count ? engine.productCategory[Int(r.product)] : 0
            let name = engine.products.string(r.product) + (category > 0 ? " (" + engine.categories.string(category - 1) + ")" : "")
            return (name, engine.describe(r.rule))
        }
        return DetailScores(churnRisk: score.churnRisk, pAlive: score.pAlive, expectedTransactions: score.expectedTransactions,
                            horizonDays: models.options.horizonDays,
                            repeatTransactions: score.repeatTransactions, clv: score.clv, clvMonths: models.options.clv.months,
                            reasons: score.explanation?.top(models.options.reasons).map(\.reason) ?? [],
                            riskHistory: engine.churnRiskHistory(c, models: models, now: now, points: riskHistoryPoints),
                            nextProducts: next)
    }

    static func modelsData(_ engine: Engine, _ context: ModelsContext) -> ModelsData {
        var data = ModelsData(fitting: context.status.fitting, fits: context.status.fits, secondsSinceFit: context.secondsSinceFit)
        data.minimumEvents = context.minimumEvents
        guard let m = context.models else { return data }
        data.fittedAt = m.fittedAt
        data.fitSeconds = m.fitSeconds
        data.customers = m.customers
        data.events = m.events
        data.horizonDays = m.options.horizonDays
        data.unit = m.options.unit
        data.transactions = m.transactions?.card
        data.spend = m.spend?.card
        data.churn = m.churn?.card
        if let churn = m.churn {
            data.weights = zip(churn.features, churn.weights).filter { $0.1 != 0 }
                .sorted { abs($0.1) > abs($1.1) }.map { ($0.0.name, $0.1) }
        }
        data.holdout = m.holdout
        data.holdoutProblem = m.holdoutProblem
        data.drift = context.status.drift
        data.rules = m.nextProduct.rules(from: .boughtCategory, to: .category).prefix(12).map {
            RuleLine(from: engine.categories.string($0.antecedent), to: engine.categories.string($0.consequent),
                     confidence: $0.confidence, lift: $0.lift)
        }
        return data
    }

    static func overview(_ engine: Engine, tailRows: Int) -> OverviewData {
        let stats = engine.stats
        var names: [(name: String, count: Int)] = []
        for (id, count) in stats.eventsByName.enumerated() where count > 0 {
            names.append((engine.eventNames.string(UInt32(id)), count))
        }
        names.sort { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
        let reasons = RejectReason.allCases.map { ($0, stats.rejected($0)) }.filter { $0.1 > 0 }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        let tail = engine.recentEvents.newest(tailRows).map { r in
            TailRow(customerIndex: r.customer, time: r.entry.time, customer: engine.displayKey(r.customer),
                    event: engine.eventNames.string(UInt32(r.entry.name)), item: engine.itemText(r.entry, customer: r.customer),
                    amount: r.entry.value.isNaN ? nil : Double(r.entry.value), channel: r.entry.channel.label)
        }
        // Without a watermark there is no day to report on (and the activity counters are empty).
        var data = OverviewData(kpis: engine.watermark == nil ? nil : engine.activityKPIs(),
                            hourly: engine.watermark.map { engine.activity.hourly(.events, hours: 48, endingAt: $0) } ?? [],
                            eventsByName: names, totalEvents: stats.accepted, duplicates: stats.duplicates,
                            rejected: stats.rejected, rejectedByReason: reasons.map { (reason: $0.0, count: $0.1) },
                            tail: tail)
        data.tailTotal = engine.recentEvents.total
        return data
    }
}

/// The live models as a frame needs them: the fitted models (nil before the first fit) and what the
/// refresher is doing.
public struct ModelsContext: Sendable {
    public var models: PredictionModels?
    public var status: ModelRefreshStatus
    /// Wall-clock seconds since the last fit finished.
    public var secondsSinceFit: Double?
    /// Events the log needs before the first fit.
    public var minimumEvents: Int

    public init(models: PredictionModels? = nil, status: ModelRefreshStatus = ModelRefreshStatus(), secondsSinceFit: Double? = nil,
                minimumEvents: Int = RefitPolicy().minimumEvents) {
        self.models = models
        self.status = status
        self.secondsSinceFit = secondsSinceFit
        self.minimumEvents = minimumEvents
    }

    /// Why a customer has no scores yet, in words.
    func waitingNote(events: Int) -> String {
        if status.fitting { return "Fitting the models on " + Format.counted(events, "event") + "…" }
        if status.fits > 0 { return "Not enough history to fit the models yet." }
        if events < minimumEvents { return "Scores appear once \(Format.integer(minimumEvents)) events are in (\(Format.integer(events)) so far)." }
        return "Scores appear after the first model fit."
    }
}
