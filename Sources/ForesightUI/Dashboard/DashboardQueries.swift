import ForesightCore

/// Builds a frame's ``DashboardSnapshot`` from the pipeline: only what the current screen needs, and
/// for lists only the visible window, so the cost does not grow with the number of customers.
public enum DashboardQueries {
    /// Rows of the live tail kept for selection.
    public static let tailCapacity = 64

    public static func snapshot(state: DashboardState, pipeline: borrowing IngestPipeline, header: HeaderData,
                                rules: StageRules = StageRules()) -> DashboardSnapshot {
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
        case .tab(.customers):
            let t = state.customers
            let visible = DashboardLayout.customerRows(state.size)
            let window = t.order[min(t.offset, t.order.count)..<min(t.order.count, t.offset + visible)]
            let rows = window.compactMap { c in Int(c) < engine.profiles.count ? engine.customerRow(c, now: now, rules: rules) : nil }
            snap.customers = CustomersData(rows: rows, total: t.order.count, population: engine.profiles.count, now: now,
                                           isStale: t.orderSpec != t.spec)
        case .customer(let c):
            guard Int(c) < engine.profiles.count else { break }
            let count = engine.profiles[Int(c)].timeline.count
            let page = DashboardLayout.timelineRows(state.size)
            let offset = state.detail.offset.map { min($0, max(0, count - page)) } ?? max(0, count - page)
            snap.detail = DetailData(detail: engine.customerDetail(c, now: now, rules: rules),
                                     timeline: engine.timelineRows(c, range: offset..<offset + page),
                                     timelineOffset: offset, timelineCount: count)
        case .rejects:
            snap.rejects = pipeline.recentRejects.all
        }
        return snap
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
            TailRow(customerIndex: r.customer, time: r.entry.time, customer: engine.customers.string(r.customer),
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
