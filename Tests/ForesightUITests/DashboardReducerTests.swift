import ForesightCore
import ForesightUI
import Testing

/// Key sequences into the pure reducer, and the state and effects they produce.
struct DashboardReducerTests {
    static let small = Size(width: 80, height: 24)

    /// Presses keys and returns every effect they asked for.
    @discardableResult
    func press(_ s: inout DashboardState, _ keys: Key...) -> [DashboardEffect] {
        keys.flatMap { DashboardReducer.reduce(&s, .keyPressed($0)) }
    }

    /// A state on the customers tab whose order (customers 0..<count in that order) is current.
    func customersState(count: Int = 100, size: Size = small) -> DashboardState {
        var s = DashboardState(size: size)
        _ = press(&s, .char("2"))
        _ = DashboardReducer.reduce(&s, .customerOrderComputed((0..<UInt32(count)).map { $0 }, s.customers.spec))
        return s
    }

    // MARK: Tabs

    @Test func tabsSwitchWithTabShiftTabAndNumbers() {
        var s = DashboardState(size: Self.small)
        #expect(s.screen == .tab(.overview))
        #expect(press(&s, .tab) == [.computeCustomerOrder(s.customers.spec)])
        #expect(s.screen == .tab(.customers))
        press(&s, .tab)
        #expect(s.screen == .tab(.segments))
        press(&s, .tab)
        #expect(s.screen == .tab(.models))
        press(&s, .tab)
        #expect(s.screen == .tab(.journeys))
        press(&s, .tab)
        #expect(s.screen == .tab(.campaigns))
        press(&s, .tab)
        #expect(s.screen == .tab(.overview), "Tab wraps around after the last tab")
        press(&s, .backTab)
        #expect(s.screen == .tab(.campaigns), "Shift-Tab wraps around before the first tab")
        press(&s, .backTab, .backTab, .backTab, .backTab, .backTab)
        #expect(s.screen == .tab(.overview))
        press(&s, .char("3"))
        #expect(s.screen == .tab(.segments))
        press(&s, .char("4"))
        #expect(s.screen == .tab(.models))
        press(&s, .char("2"))
        #expect(s.screen == .tab(.customers))
        press(&s, .char("1"))
        #expect(s.screen == .tab(.overview))
        #expect(press(&s, .char("9"), .char("0")).isEmpty)
        #expect(s.screen == .tab(.overview), "a number without a tab does nothing")
    }

    @Test func customersTabAsksForAnOrderOnlyWhenItsOrderIsOutdated() {
        var s = customersState()
        press(&s, .char("1"))
        #expect(press(&s, .char("2")).isEmpty, "the order is current for this sort")
    }

    @Test func switchingTabFromADrillDownDropsTheHistory() {
        var s = customersState()
        press(&s, .enter)
        #expect(s.screen == .customer(0))
        #expect(s.activeTab == .customers, "the tab bar keeps the tab the customer was opened from")
        press(&s, .char("1"))
        #expect(s.screen == .tab(.overview))
        #expect(s.backStack.isEmpty)
    }

    // MARK: Customers table

    @Test func movingInTheTableIsClampedToItsBounds() {
        var s = customersState()
        let page = DashboardLayout.customerRows(Self.small)
        #expect(page == 18)
        press(&s, .char("j"))
        #expect(s.customers.selected == 1)
        press(&s, .char("k"), .char("k"), .up)
        #expect(s.customers.selected == 0, "k at the top stays at the top")
        press(&s, .down, .down, .down)
        #expect(s.customers.selected == 3)
        press(&s, .pageDown)
        #expect(s.customers.selected == 3 + page)
        #expect(s.customers.offset == 3 + page - page + 1, "the selection is kept on the last visible row")
        press(&s, .end)
        #expect(s.customers.selected == 99)
        #expect(s.customers.offset == 100 - page)
        press(&s, .pageDown, .down, .char("j"))
        #expect(s.customers.selected == 99, "nothing past the last row")
        press(&s, .pageUp)
        #expect(s.customers.selected == 99 - page)
        #expect(s.customers.offset == 99 - page, "the selection is kept on the first visible row")
        press(&s, .home)
        #expect(s.customers.selected == 0 && s.customers.offset == 0)
        press(&s, .pageUp)
        #expect(s.customers.selected == 0, "nothing before the first row")
        press(&s, .char("G"))
        #expect(s.customers.selected == 99)
        press(&s, .char("g"))
        #expect(s.customers.selected == 0)
    }

    @Test func movingInAnEmptyTableDoesNothing() {
        var s = customersState(count: 0)
        press(&s, .down, .end, .pageDown)
        #expect(s.customers.selected == 0 && s.customers.offset == 0)
        press(&s, .enter)
        #expect(s.screen == .tab(.customers), "Enter on an empty table opens nothing")
    }

    @Test func sortCyclesColumnsAndAsksForANewOrder() {
        // At 80 columns the table shows Customer, Last seen, Orders, Revenue, Stage, Churn risk and CLV.
        var s = customersState()
        press(&s, .down, .down)
        #expect(s.customers.sortColumn == .revenue && s.customers.descending)
        let effects = press(&s, .char("s"))
        #expect(s.customers.sortColumn == .stage)
        #expect(!s.customers.descending, "stages sort A to Z first")
        #expect(effects == [.computeCustomerOrder(CustomerOrderSpec(column: .stage, descending: false, search: ""))])
        #expect(s.customers.selected == 0, "a new sort starts at the top")
        press(&s, .char("s"))
        #expect(s.customers.sortColumn == .churnRisk && s.customers.descending, "risk sorts high to low first")
        press(&s, .char("s"), .char("s"))
        #expect(s.customers.sortColumn == .id)
        #expect(!s.customers.descending, "ids sort A to Z first")
        press(&s, .char("s"), .char("s"), .char("s"))
        #expect(s.customers.sortColumn == .revenue, "the sort cycles through the seven columns shown")
        press(&s, .right)
        #expect(s.customers.sortColumn == .stage)
        press(&s, .left, .left)
        #expect(s.customers.sortColumn == .orders)
    }

    @Test func sortCyclesEveryColumnOnAWideTerminal() {
        var s = customersState(size: Size(width: 160, height: 48))
        var seen: [CustomerColumn] = []
        for _ in CustomerColumn.allCases {
            press(&s, .char("s"))
            seen.append(s.customers.sortColumn)
        }
        #expect(Set(seen) == Set(CustomerColumn.allCases))
        #expect(s.customers.sortColumn == .revenue)
    }

    @Test func enterOnASegmentListsItsCustomersAndEscReturns() {
        var s = DashboardState(size: Self.small)
        press(&s, .char("3"))
        _ = DashboardReducer.reduce(&s, .dataShown(tailCustomers: [], timelineCount: 0, rejectCount: 0,
                                                   segmentNames: ["Active", "VIP", "Champions"]))
        press(&s, .down, .down, .down)
        #expect(s.segments.selected == 2, "the selection stops at the last segment")
        let effects = press(&s, .up, .enter)
        #expect(s.screen == .tab(.customers))
        #expect(s.customers.segment == "VIP")
        #expect(effects == [.computeCustomerOrder(CustomerOrderSpec(column: .revenue, descending: true, search: "", segment: "VIP"))])
        let back = press(&s, .escape)
        #expect(s.screen == .tab(.segments) && s.customers.segment == nil)
        #expect(back == [.computeCustomerOrder(CustomerOrderSpec(column: .revenue, descending: true, search: ""))])
    }

    @Test func shiftSReversesTheSort() {
        var s = customersState()
        let effects = press(&s, .char("S"))
        #expect(!s.customers.descending)
        #expect(s.customers.sortColumn == .revenue)
        #expect(effects == [.computeCustomerOrder(CustomerOrderSpec(column: .revenue, descending: false, search: ""))])
        press(&s, .char("S"))
        #expect(s.customers.descending)
    }

    @Test func reSortWithTheSameSpecKeepsTheSelectedCustomer() {
        var s = customersState()
        press(&s, .pageDown, .pageDown)  // selected 36, offset 19
        let selected = s.customers.selected, row = s.customers.selected - s.customers.offset
        let customer = s.customers.order[selected]
        // The same sort recomputed after new events: the customer moved to index 60.
        var order = s.customers.order.filter { $0 != customer }
        order.insert(customer, at: 60)
        _ = DashboardReducer.reduce(&s, .customerOrderComputed(order, s.customers.spec))
        #expect(s.customers.order[s.customers.selected] == customer)
        #expect(s.customers.selected == 60)
        #expect(s.customers.selected - s.customers.offset == row, "and on the same screen row")
    }

    @Test func anOrderForAnotherSpecIsTakenAsItIs() {
        var s = customersState()
        press(&s, .end)
        let other = CustomerOrderSpec(column: .events, descending: true, search: "")
        _ = DashboardReducer.reduce(&s, .customerOrderComputed([5, 4, 3], other))
        #expect(s.customers.order == [5, 4, 3])
        #expect(s.customers.selected == 2, "the selection is clamped to the new, shorter order")
        #expect(s.customers.orderSpec == other)
    }

    // MARK: Search

    @Test func searchIsTypedEditedAndApplied() {
        var s = customersState()
        press(&s, .down)
        #expect(press(&s, .char("/")).isEmpty)
        #expect(s.customers.searchDraft == "")
        #expect(press(&s, .char(" "), .char("a"), .char("q"), .char("?"), .char("x")).isEmpty)
        #expect(s.customers.searchDraft == " aq?x", "q and ? are typed, not obeyed")
        #expect(!s.shouldQuit && !s.showHelp)
        press(&s, .backspace, .backspace)
        #expect(s.customers.searchDraft == " aq")
        let effects = press(&s, .char(" "), .enter)
        #expect(s.customers.search == "aq", "spaces around the search are dropped")
        #expect(s.customers.searchDraft == nil)
        #expect(s.customers.selected == 0)
        #expect(effects == [.computeCustomerOrder(CustomerOrderSpec(column: .revenue, descending: true, search: "aq"))])
    }

    @Test func escCancelsTheSearchBeingTyped() {
        var s = customersState()
        press(&s, .char("/"), .char("a"), .enter)
        press(&s, .char("/"), .char("b"))
        #expect(s.customers.searchDraft == "ab", "the draft starts from the applied search")
        #expect(press(&s, .escape).isEmpty)
        #expect(s.customers.searchDraft == nil)
        #expect(s.customers.search == "a", "the applied search stays")
        #expect(s.screen == .tab(.customers))
    }

    @Test func escInTheTableClearsAnAppliedSearchThenGoesBack() {
        var s = customersState()
        press(&s, .char("/"), .char("a"), .enter)
        let effects = press(&s, .escape)
        #expect(s.customers.search == "")
        #expect(effects == [.computeCustomerOrder(CustomerOrderSpec(column: .revenue, descending: true, search: ""))])
        #expect(s.screen == .tab(.customers))
        press(&s, .escape)
        #expect(s.screen == .tab(.overview))
    }

    @Test func ctrlCQuitsEvenWhileTyping() {
        var s = customersState()
        press(&s, .char("/"))
        #expect(press(&s, .interrupt) == [.quit])
        #expect(s.shouldQuit)
    }

    // MARK: Drill-down

    @Test func enterOpensTheSelectedCustomerAndEscReturnsToTheTable() {
        var s = customersState()
        _ = DashboardReducer.reduce(&s, .customerOrderComputed((0..<100).reversed().map { UInt32($0) }, s.customers.spec))
        press(&s, .pageDown, .down)
        let selected = s.customers.selected, offset = s.customers.offset
        press(&s, .enter)
        #expect(s.screen == .customer(UInt32(99 - selected)))
        #expect(s.detail.offset == nil, "a customer opens following the newest events")
        press(&s, .escape)
        #expect(s.screen == .tab(.customers))
        #expect(s.customers.selected == selected && s.customers.offset == offset, "the selection is kept")
        press(&s, .enter, .left)
        #expect(s.screen == .tab(.customers), "← goes back too")
    }

    @Test func enterOnTheLiveTailOpensThatCustomer() {
        var s = DashboardState(size: Self.small)
        press(&s, .enter)
        #expect(s.screen == .tab(.overview), "nothing to open before the first event")
        _ = DashboardReducer.reduce(&s, .dataShown(tailCustomers: [7, 3, 5], timelineCount: 0, rejectCount: 0))
        press(&s, .down, .enter)
        #expect(s.screen == .customer(3))
        press(&s, .escape)
        #expect(s.screen == .tab(.overview))
        #expect(s.tail.selected == 1)
        press(&s, .end)
        #expect(s.tail.selected == 2)
    }

    @Test func rOpensTheRejectedLines() {
        var s = DashboardState(size: Self.small)
        press(&s, .char("r"))
        #expect(s.screen == .rejects)
        #expect(s.activeTab == .overview)
        _ = DashboardReducer.reduce(&s, .dataShown(tailCustomers: [], timelineCount: 0, rejectCount: 30))
        press(&s, .down, .down, .end)
        #expect(s.rejects.selected == 29)
        press(&s, .escape)
        #expect(s.screen == .tab(.overview))
        press(&s, .char("r"))
        #expect(s.rejects.selected == 0, "the rejects open at the newest line")
    }

    // MARK: Everywhere

    @Test func pTogglesThePause() {
        var s = DashboardState(size: Self.small)
        #expect(press(&s, .char("p")) == [.setPaused(true)])
        #expect(s.paused)
        #expect(s.message?.contains("Paused") == true)
        #expect(press(&s, .char("p")) == [.setPaused(false)])
        #expect(!s.paused)
    }

    @Test func helpOpensScrollsAndCloses() {
        var s = DashboardState(size: Self.small)
        #expect(press(&s, .char("?")).isEmpty)
        #expect(s.showHelp)
        press(&s, .down, .char("j"))
        #expect(s.helpOffset == 2)
        press(&s, .char("2"), .char("r"), .enter)
        #expect(!s.showHelp, "Enter closes the help")
        #expect(s.screen == .tab(.overview), "keys other than scrolling and closing are ignored under the help")
        press(&s, .function(1))
        #expect(s.showHelp && s.helpOffset == 0, "F1 opens it too, at the top")
        press(&s, .escape)
        #expect(!s.showHelp)
        #expect(s.screen == .tab(.overview))
        press(&s, .char("?"), .char("?"))
        #expect(!s.showHelp, "? closes it again")
        press(&s, .char("?"))
        #expect(press(&s, .char("q")) == [.quit], "q quits from the help as well")
    }

    @Test func qQuitsAndAnyKeyClearsTheMessage() {
        var s = DashboardState(size: Self.small)
        press(&s, .char("p"))
        press(&s, .down)
        #expect(s.message == nil)
        #expect(press(&s, .char("q")) == [.quit])
        #expect(s.shouldQuit)
    }

    // MARK: Customer timeline

    @Test func timelineScrollsBackAndFollowsAgain() {
        var s = customersState()
        press(&s, .enter)
        _ = DashboardReducer.reduce(&s, .dataShown(tailCustomers: [], timelineCount: 50, rejectCount: 0))
        let page = DashboardLayout.timelineRows(Self.small)
        let last = 50 - page
        #expect(s.detail.offset == nil)
        press(&s, .down)
        #expect(s.detail.offset == nil, "already at the newest")
        press(&s, .up)
        #expect(s.detail.offset == last - 1)
        press(&s, .char("k"), .pageUp)
        #expect(s.detail.offset == last - 2 - page)
        press(&s, .home)
        #expect(s.detail.offset == 0)
        press(&s, .pageUp, .up)
        #expect(s.detail.offset == 0)
        press(&s, .char("j"))
        #expect(s.detail.offset == 1)
        press(&s, .end)
        #expect(s.detail.offset == nil, "End follows the newest again")
        press(&s, .char("g"))
        for _ in 0...(50 / page) { press(&s, .pageDown) }
        #expect(s.detail.offset == nil, "paging down to the end follows again")
    }

    @Test func shortTimelineDoesNotScroll() {
        var s = customersState()
        press(&s, .enter)
        _ = DashboardReducer.reduce(&s, .dataShown(tailCustomers: [], timelineCount: 3, rejectCount: 0))
        press(&s, .up, .home)
        #expect(s.detail.offset == nil)
    }

    // MARK: Resize

    @Test func resizeKeepsSelectionsInBounds() {
        let large = Size(width: 160, height: 48)
        var s = customersState(size: large)
        press(&s, .pageDown, .pageDown)
        let selected = s.customers.selected
        _ = DashboardReducer.reduce(&s, .terminalResized(Self.small))
        let page = DashboardLayout.customerRows(Self.small)
        #expect(s.customers.selected == selected)
        #expect(s.customers.offset <= selected && selected < s.customers.offset + page, "the selection stays on screen")

        press(&s, .end)
        _ = DashboardReducer.reduce(&s, .terminalResized(large))
        #expect(s.customers.selected == 99)
        #expect(s.customers.offset == 100 - DashboardLayout.customerRows(large), "no empty rows below the last customer")

        var o = DashboardState(size: large)
        _ = DashboardReducer.reduce(&o, .dataShown(tailCustomers: (0..<30).map { UInt32($0) }, timelineCount: 0, rejectCount: 0))
        press(&o, .end)
        _ = DashboardReducer.reduce(&o, .terminalResized(Self.small))
        let tail = DashboardLayout.tailRows(Self.small)
        #expect(o.tail.selected == 29)
        #expect(o.tail.offset == 30 - tail)
        _ = DashboardReducer.reduce(&o, .dataShown(tailCustomers: [1, 2], timelineCount: 0, rejectCount: 0))
        #expect(o.tail.selected == 1 && o.tail.offset == 0, "a shorter tail clamps the selection")
    }
}

@Suite struct TailSelectionTests {
    @Test func aSelectionBelowTheTopStaysOnItsEventWhenNewEventsArrive() {
        var s = DashboardState(size: Size(width: 160, height: 48))
        _ = DashboardReducer.reduce(&s, .dataShown(tailCustomers: [9, 8, 7, 6, 5], tailTotal: 100, timelineCount: 0, rejectCount: 0))
        _ = DashboardReducer.reduce(&s, .keyPressed(.down))
        _ = DashboardReducer.reduce(&s, .keyPressed(.down))
        #expect(s.tail.selected == 2)
        // Two newer events push customer 7's event down to row 4.
        _ = DashboardReducer.reduce(&s, .dataShown(tailCustomers: [11, 10, 9, 8, 7, 6, 5], tailTotal: 102, timelineCount: 0, rejectCount: 0))
        #expect(s.tail.selected == 4)
        #expect(s.tailCustomers[s.tail.selected] == 7)
    }

    @Test func theTopFollowsTheNewestEvent() {
        var s = DashboardState(size: Size(width: 160, height: 48))
        _ = DashboardReducer.reduce(&s, .dataShown(tailCustomers: [9, 8], tailTotal: 10, timelineCount: 0, rejectCount: 0))
        _ = DashboardReducer.reduce(&s, .dataShown(tailCustomers: [12, 11, 9, 8], tailTotal: 12, timelineCount: 0, rejectCount: 0))
        #expect(s.tail.selected == 0)
        #expect(s.tailCustomers[s.tail.selected] == 12)
    }
}
