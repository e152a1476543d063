import ForesightCore

/// The dashboard's pure state machine: a key or an event in, the new state and what to do out.
public enum DashboardReducer {
    /// Applies an action to the state.
    /// - Returns: effects for the runtime (recompute an order, pause, quit).
    public static func reduce(_ s: inout DashboardState, _ action: DashboardAction) -> [DashboardEffect] {
        switch action {
        case .terminalResized(let size):
            s.size = size
            clampAll(&s)
            return []
        case .customerOrderComputed(let order, let spec):
            // A refresh of the same sort keeps the selected customer selected, on the same screen row.
            let t = s.customers
            if t.orderSpec == spec, t.selected < t.order.count, let i = order.firstIndex(of: t.order[t.selected]) {
                s.customers.selected = i
                s.customers.offset = max(0, i - (t.selected - t.offset))
            }
            s.customers.order = order
            s.customers.orderSpec = spec
            clampAll(&s)
            return []
        case .dataShown(let tail, let tailTotal, let timeline, let rejects, let segmentNames, let campaigns, let messageRows):
            if let segmentNames { s.segmentNames = segmentNames }
            if let campaigns { s.campaignsShown = campaigns }
            if let messageRows { s.detailMessageRows = messageRows }
            // New events push the tail down: a selection below the top stays on the event it was on; at the
            // top it follows the newest.
            if let tailTotal, let previous = s.tailTotal, s.tail.selected > 0, tailTotal > previous {
                s.tail.selected += tailTotal - previous
                s.tail.offset += tailTotal - previous
            }
            if let tailTotal { s.tailTotal = tailTotal }
            s.tailCustomers = tail
            s.timelineCount = timeline
            s.rejectCount = rejects
            clampAll(&s)
            return []
        case .keyPressed(let key):
            s.message = nil
            return press(&s, key)
        }
    }

    private static func press(_ s: inout DashboardState, _ key: Key) -> [DashboardEffect] {
        if key == .interrupt { s.shouldQuit = true; return [.quit] }
        if s.customers.searchDraft != nil { return editSearch(&s, key) }
        if s.journeys.draft != nil { return editSteps(&s, key) }
        if s.showHelp {
            switch key {
            case .char("q"): s.shouldQuit = true; return [.quit]
            case .char("?"), .escape, .enter: s.showHelp = false
            case .up, .char("k"): s.helpOffset = max(0, s.helpOffset - 1)
            case .down, .char("j"): s.helpOffset = min(HelpOverlay.lineCount, s.helpOffset + 1)
            case .pageUp: s.helpOffset = max(0, s.helpOffset - 10)
            case .pageDown: s.helpOffset = min(HelpOverlay.lineCount, s.helpOffset + 10)
            default: break
            }
            return []
        }
        switch key {
        case .char("q"): s.shouldQuit = true; return [.quit]
        case .char("?"), .function(1): s.showHelp = true; s.helpOffset = 0; return []
        case .char("p"):
            s.paused.toggle()
            s.message = s.paused ? "Paused: the log is not read until you press p again" : "Resumed"
            return [.setPaused(s.paused)]
        case .tab: return open(&s, tab: DashboardTab(rawValue: (s.activeTab.rawValue + 1) % DashboardTab.allCases.count) ?? .overview)
        case .backTab:
            let n = DashboardTab.allCases.count
            return open(&s, tab: DashboardTab(rawValue: (s.activeTab.rawValue + n - 1) % n) ?? .overview)
        case .char(let c) where c.isNumber:
            guard let digit = c.wholeNumberValue, let tab = DashboardTab(rawValue: digit - 1) else { return [] }
            return open(&s, tab: tab)
        case .escape:
            return back(&s)
        case .left where s.screen != .tab(.customers):
            return back(&s)
        default:
            break
        }
        switch s.screen {
        case .tab(.overview): return overviewKey(&s, key)
        case .tab(.customers): return customersKey(&s, key)
        case .tab(.models): return []
        case .tab(.segments): return segmentsKey(&s, key)
        case .tab(.journeys): return journeysKey(&s, key)
        case .tab(.campaigns): campaignsKey(&s, key); return []
        case .customer: detailKey(&s, key); return []
        case .rejects: move(&s.rejects, key, count: s.rejectCount, page: DashboardLayout.rejectRows(s.size)); return []
        }
    }

    /// Switches to a tab (the drill-down history is dropped).
    static func open(_ s: inout DashboardState, tab: DashboardTab) -> [DashboardEffect] {
        s.screen = .tab(tab)
        s.backStack = []
        if tab == .customers && s.customers.orderSpec != s.customers.spec {
            return [.computeCustomerOrder(s.customers.spec)]
        }
        return []
    }

    private static func back(_ s: inout DashboardState) -> [DashboardEffect] {
        if s.screen == .tab(.customers) && s.customers.search.isEmpty && s.customers.funnelDrop != nil {
            // Back from a funnel step's customers: to the Journeys view.
            s.customers.funnelDrop = nil
            s.customers.selected = 0
            s.customers.offset = 0
            s.screen = .tab(.journeys)
            return [.computeCustomerOrder(s.customers.spec)]
        }
        if s.screen == .tab(.customers) && s.customers.search.isEmpty && s.customers.segment != nil {
            // Back from a segment's members: to the Segments view, everyone in the table again.
            s.customers.segment = nil
            s.customers.selected = 0
            s.customers.offset = 0
            s.screen = .tab(.segments)
            return [.computeCustomerOrder(s.customers.spec)]
        }
        if s.screen == .tab(.customers) && !s.customers.search.isEmpty {
            s.customers.search = ""
            s.customers.selected = 0
            s.customers.offset = 0
            return [.computeCustomerOrder(s.customers.spec)]
        }
        if let previous = s.backStack.popLast() {
            s.screen = previous
        } else if s.screen != .tab(.overview) {
            s.screen = .tab(.overview)
        }
        return []
    }

    private static func drill(_ s: inout DashboardState, to screen: Screen) {
        s.backStack.append(s.screen)
        s.screen = screen
        if case .customer = screen { s.detail = DetailState() }
        if screen == .rejects { s.rejects = ListState() }
    }

    private static func segmentsKey(_ s: inout DashboardState, _ key: Key) -> [DashboardEffect] {
        guard key == .enter else {
            move(&s.segments, key, count: s.segmentNames.count, page: DashboardLayout.segmentRows(s.size))
            return []
        }
        guard s.segments.selected < s.segmentNames.count else { return [] }
        s.customers.segment = s.segmentNames[s.segments.selected]
        s.customers.funnelDrop = nil
        s.customers.search = ""
        s.customers.selected = 0
        s.customers.offset = 0
        s.screen = .tab(.customers)
        return [.computeCustomerOrder(s.customers.spec)]
    }

    private static func journeysKey(_ s: inout DashboardState, _ key: Key) -> [DashboardEffect] {
        let count = s.journeys.steps.steps.count
        switch key {
        case .char("e"):
            s.journeys.draft = s.journeys.steps.description
        case .enter:
            // The customers who did the steps before the selected one but not it.
            guard s.journeys.selected < count else { return [] }
            s.customers.funnelDrop = FunnelDrop(steps: s.journeys.steps, step: s.journeys.selected)
            s.customers.segment = nil
            s.customers.search = ""
            s.customers.selected = 0
            s.customers.offset = 0
            s.screen = .tab(.customers)
            return [.computeCustomerOrder(s.customers.spec)]
        default:
            var list = ListState()
            list.selected = s.journeys.selected
            move(&list, key, count: count, page: count)
            s.journeys.selected = list.selected
        }
        return []
    }

    /// `f` switches between the sent and the suppressed feed; Enter opens the selected line's customer.
    private static func campaignsKey(_ s: inout DashboardState, _ key: Key) {
        let shown = s.campaignsShown
        let customers = s.campaigns.feed == .sent ? shown.sentCustomers : shown.suppressedCustomers
        switch key {
        case .char("f"):
            s.campaigns.feed = s.campaigns.feed.other
        case .enter:
            let selected = s.campaigns.feed == .sent ? s.campaigns.sent.selected : s.campaigns.suppressed.selected
            if selected < customers.count { drill(&s, to: .customer(customers[selected])) }
        default:
            let page = DashboardLayout.campaignFeedRows(s.size, triggers: shown.triggers)
            if s.campaigns.feed == .sent {
                move(&s.campaigns.sent, key, count: customers.count, page: page)
            } else {
                move(&s.campaigns.suppressed, key, count: customers.count, page: page)
            }
        }
    }

    private static func editSteps(_ s: inout DashboardState, _ key: Key) -> [DashboardEffect] {
        guard var draft = s.journeys.draft else { return [] }
        switch key {
        case .enter:
            do throws(JourneyError) {
                let steps = try FunnelSteps.parse(draft, windowMs: s.journeys.steps.windowMs)
                s.journeys.steps = steps
                s.journeys.selected = min(s.journeys.selected, steps.steps.count - 1)
                s.journeys.draft = nil
                s.message = "Funnel: " + steps.description
            } catch {
                // Keep editing: the message says what is wrong.
                s.message = "Steps not applied: " + error.description
            }
            return []
        case .escape:
            s.journeys.draft = nil
            return []
        case .backspace, .delete:
            if !draft.isEmpty { draft.removeLast() }
        case .char(let c):
            if draft.count < 400 { draft.append(c) }
        default:
            break
        }
        s.journeys.draft = draft
        return []
    }

    private static func overviewKey(_ s: inout DashboardState, _ key: Key) -> [DashboardEffect] {
        switch key {
        case .char("r"), .char("!"):
            drill(&s, to: .rejects)
        case .enter:
            if s.tail.selected < s.tailCustomers.count { drill(&s, to: .customer(s.tailCustomers[s.tail.selected])) }
        default:
            move(&s.tail, key, count: s.tailCustomers.count, page: DashboardLayout.tailRows(s.size))
        }
        return []
    }

    private static func customersKey(_ s: inout DashboardState, _ key: Key) -> [DashboardEffect] {
        var t = s.customers
        defer { s.customers = t }
        switch key {
        case .char("/"):
            t.searchDraft = t.search
            return []
        case .char("s"), .right:
            // Only the columns on screen: the table drops some at narrow widths.
            let all = CustomersView.visibleColumns(width: s.size.width)
            let next = all[((all.firstIndex(of: t.sortColumn) ?? 0) + 1) % all.count]
            t.sortColumn = next
            t.descending = next.defaultDescending
        case .left:
            let all = CustomersView.visibleColumns(width: s.size.width)
            let prev = all[((all.firstIndex(of: t.sortColumn) ?? 0) + all.count - 1) % all.count]
            t.sortColumn = prev
            t.descending = prev.defaultDescending
        case .char("S"), .char("r"):
            t.descending.toggle()
        case .enter:
            if t.selected < t.order.count {
                s.customers = t
                drill(&s, to: .customer(t.order[t.selected]))
                t = s.customers
            }
            return []
        default:
            var list = ListState()
            list.selected = t.selected
            list.offset = t.offset
            move(&list, key, count: t.order.count, page: DashboardLayout.customerRows(s.size))
            t.selected = list.selected
            t.offset = list.offset
            return []
        }
        t.selected = 0
        t.offset = 0
        return [.computeCustomerOrder(t.spec)]
    }

    private static func editSearch(_ s: inout DashboardState, _ key: Key) -> [DashboardEffect] {
        guard var draft = s.customers.searchDraft else { return [] }
        switch key {
        case .enter:
            s.customers.search = draft.trimmingSpaces
            s.customers.searchDraft = nil
            s.customers.selected = 0
            s.customers.offset = 0
            return [.computeCustomerOrder(s.customers.spec)]
        case .escape:
            s.customers.searchDraft = nil
            return []
        case .backspace, .delete:
            if !draft.isEmpty { draft.removeLast() }
        case .char(let c):
            if draft.count < 64 { draft.append(c) }
        default:
            break
        }
        s.customers.searchDraft = draft
        return []
    }

    private static func detailKey(_ s: inout DashboardState, _ key: Key) {
        let page = DashboardLayout.timelineRows(s.size, messageRows: s.detailMessageRows)
        let last = max(0, s.timelineCount - page)
        let current = s.detail.offset ?? last
        var next = current
        switch key {
        case .up, .char("k"): next = current - 1
        case .down, .char("j"): next = current + 1
        case .pageUp: next = current - page
        case .pageDown: next = current + page
        case .home, .char("g"): next = 0
        case .end, .char("G"): next = last
        default: return
        }
        next = max(0, min(last, next))
        s.detail.offset = next >= last ? nil : next
    }

    /// Moves a list selection by a key and keeps it on screen.
    static func move(_ list: inout ListState, _ key: Key, count: Int, page: Int) {
        guard count > 0 else { list = ListState(); return }
        var i = list.selected
        switch key {
        case .up, .char("k"): i -= 1
        case .down, .char("j"): i += 1
        case .pageUp: i -= page
        case .pageDown: i += page
        case .home, .char("g"): i = 0
        case .end, .char("G"): i = count - 1
        default: return
        }
        list.selected = max(0, min(count - 1, i))
        keepVisible(&list, page: page)
    }

    static func keepVisible(_ list: inout ListState, page: Int) {
        if list.selected < list.offset { list.offset = list.selected }
        if list.selected >= list.offset + page { list.offset = list.selected - page + 1 }
        list.offset = max(0, list.offset)
    }

    private static func clampAll(_ s: inout DashboardState) {
        func clamp(_ selected: inout Int, _ offset: inout Int, _ count: Int, _ page: Int) {
            selected = max(0, min(selected, count - 1))
            var list = ListState()
            list.selected = selected
            list.offset = min(offset, max(0, count - page))
            keepVisible(&list, page: page)
            offset = list.offset
        }
        clamp(&s.customers.selected, &s.customers.offset, s.customers.order.count, DashboardLayout.customerRows(s.size))
        clamp(&s.tail.selected, &s.tail.offset, s.tailCustomers.count, DashboardLayout.tailRows(s.size))
        clamp(&s.rejects.selected, &s.rejects.offset, s.rejectCount, DashboardLayout.rejectRows(s.size))
        let feedPage = DashboardLayout.campaignFeedRows(s.size, triggers: s.campaignsShown.triggers)
        clamp(&s.campaigns.sent.selected, &s.campaigns.sent.offset, s.campaignsShown.sentCustomers.count, feedPage)
        clamp(&s.campaigns.suppressed.selected, &s.campaigns.suppressed.offset, s.campaignsShown.suppressedCustomers.count, feedPage)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
