import ForesightCore

/// Draws a whole frame: tab bar, the current screen, the status bar and any overlay.
public enum DashboardView {
    /// Renders `snapshot` for `state` into `buffer` (cleared first).
    public static func render(state: DashboardState, snapshot: DashboardSnapshot, into buffer: inout ScreenBuffer) {
        buffer.clear()
        let size = Size(width: buffer.width, height: buffer.height)
        guard size.covers(DashboardState.minimumSize) else {
            buffer.render(TerminalTooSmall(required: DashboardState.minimumSize, actual: size), in: buffer.area)
            return
        }
        let (top, rest) = buffer.area.splitTop(1)
        let (body, bottom) = rest.splitBottom(1)
        buffer.render(tabBar(state: state, header: snapshot.header, context: buffer.context, width: top.width), in: top)
        switch state.screen {
        case .tab(.overview):
            if let data = snapshot.overview {
                OverviewView.render(data, header: snapshot.header, state: state, segments: snapshot.segments,
                                    campaigns: snapshot.campaigns, in: body, into: &buffer)
            }
        case .tab(.customers):
            if let data = snapshot.customers { CustomersView.render(data, state: state.customers, in: body, into: &buffer) }
        case .tab(.segments):
            SegmentsView.render(snapshot.segments, list: state.segments, in: body, into: &buffer)
        case .tab(.models):
            if let data = snapshot.models { ModelsView.render(data, in: body, into: &buffer) }
        case .tab(.journeys):
            JourneysView.render(snapshot.journeys, state: state.journeys, in: body, into: &buffer)
        case .tab(.campaigns):
            CampaignsView.render(snapshot.campaigns, state: state.campaigns, in: body, into: &buffer)
        case .customer:
            if let data = snapshot.detail {
                CustomerDetailView.render(data, in: body, into: &buffer)
            } else {
                buffer.put("This customer is no longer in the state (erased). Press Esc to go back.", x: 2, y: body.y + 1, style: buffer.context.theme.warning)
            }
        case .rejects:
            RejectsView.render(snapshot.rejects ?? [], total: snapshot.rejectCount, list: state.rejects,
                               quarantine: snapshot.header.quarantinePath, in: body, into: &buffer)
        }
        buffer.render(statusBar(state: state, header: snapshot.header, context: buffer.context), in: bottom)
        if state.showHelp { buffer.render(HelpOverlay.modal(offset: state.helpOffset, context: buffer.context), in: body) }
    }

    static func tabBar(state: DashboardState, header: HeaderData, context: RenderContext, width: Int) -> TabBar {
        let theme = context.theme
        let modeStyle: Style
        switch header.mode {
        case .live: modeStyle = theme.positive.adding(.bold)
        case .replaying: modeStyle = theme.accent.adding(.bold)
        case .paused, .ended: modeStyle = theme.warning.adding(.bold)
        case .failed: modeStyle = theme.negative.adding(.bold)
        }
        // "Camp." only while replaying or paused at 80 columns: six titles and a long mode do not fit.
        let tabs = DashboardTab.allCases.map { TabBar.Tab($0.title, shortTitle: $0 == .campaigns ? "Camp." : nil) }
        let mode = TextSpan("\(context.glyphs.bullet) \(header.mode.label)", style: modeStyle)
        let rate = TextSpan("  \(Format.compact(header.eventsPerSecond)) ev/s", style: theme.text)
        let customers = TextSpan("  " + Format.counted(header.customers, "customer"), style: theme.text)
        let clock = header.watermark.map { TextSpan("  \(Timestamp.short($0)) UTC", style: theme.muted) }
        // The tab titles come first: when the status would cut them, the event rate goes, then the clock.
        let titles = tabs.enumerated().reduce(0) { $0 + String($1.offset + 1).count + 3 + $1.element.title.displayWidth }
        let clockSpans = clock.map { [$0] } ?? []
        var status = StyledLine([mode, rate, customers] + clockSpans)
        if titles + status.displayWidth + 1 > width { status = StyledLine([mode, customers] + clockSpans) }
        if titles + status.displayWidth + 1 > width { status = StyledLine([mode, customers]) }
        // Six full titles and a long mode (REPLAYING) do not leave room for the count at 80 columns.
        if titles + status.displayWidth + 1 > width { status = StyledLine([mode]) }
        return TabBar(tabs: tabs, activeIndex: state.activeTab.rawValue, status: status)
    }

    static func statusBar(state: DashboardState, header: HeaderData, context: RenderContext) -> StatusBar {
        typealias H = StatusBar.Hint
        let arrows = context.keyLabel("↑↓")
        var hints: [H] = [H("q", "quit"), H("?", "help")]
        switch state.screen {
        case .tab(.overview): hints += [H(arrows, "select event"), H("Enter", "open customer"), H("r", "rejected lines"), H("Tab", "next view"), H("p", state.paused ? "resume" : "pause")]
        case .tab(.customers):
            if state.customers.searchDraft != nil { hints = [H("Enter", "search"), H("Esc", "cancel")] }
            else { hints += [H(arrows, "move"), H("Enter", "open"), H("s", "sort"), H("S", "reverse"), H("/", "search"), H("Esc", "back")] }
        case .tab(.segments): hints += [H(arrows, "move"), H("Enter", "its customers"), H("Tab", "next view")]
        case .tab(.models): hints += [H("Tab", "next view"), H("p", state.paused ? "resume" : "pause")]
        case .tab(.journeys):
            if state.journeys.draft != nil { hints = [H("Enter", "apply steps"), H("Esc", "cancel")] }
            else { hints += [H(arrows, "select step"), H("Enter", "who dropped there"), H("e", "edit steps"), H("Tab", "next view")] }
        case .tab(.campaigns):
            let other = state.campaigns.feed == .sent ? "held out & suppressed" : "sent"
            hints += [H(arrows, "select"), H("Enter", "open customer"), H("f", other), H("Tab", "next view")]
        case .customer: hints += [H(arrows + " PgUp PgDn", "scroll timeline"), H("End", "newest"), H("Esc", "back")]
        case .rejects: hints += [H(arrows, "move"), H("Esc", "back")]
        }
        var message: StyledLine?
        if let m = state.message { message = StyledLine(m, style: context.theme.accent) }
        else if case .failed(let error) = header.mode { message = StyledLine(error, style: context.theme.negative) }
        else if let notice = header.notice { message = StyledLine(notice, style: context.theme.warning) }
        return StatusBar(hints: hints, message: message)
    }
}
