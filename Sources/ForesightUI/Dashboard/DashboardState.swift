import ForesightCore

/// The views reachable from the tab bar (number keys 1-6, in this order).
public enum DashboardTab: Int, CaseIterable, Sendable {
    case overview, customers, segments, models, journeys, campaigns

    public var title: String {
        switch self {
        case .overview: return "Overview"
        case .customers: return "Customers"
        case .segments: return "Segments"
        case .models: return "Models"
        case .journeys: return "Journeys"
        case .campaigns: return "Campaigns"
        }
    }
}

/// What fills the screen below the tab bar.
public enum Screen: Equatable, Sendable {
    case tab(DashboardTab)
    /// One customer's profile and journey timeline.
    case customer(UInt32)
    /// The rejected lines, drilled into from the Overview.
    case rejects
}

/// The customers table: sort, search, selection and scroll.
public struct CustomersTableState: Equatable, Sendable {
    public var sortColumn: CustomerColumn = .revenue
    public var descending = true
    /// The applied search (customer ids containing it, ignoring case).
    public var search = ""
    /// Only the members of this segment (drilled into from the Segments view); nil for everyone.
    public var segment: String?
    /// Text being typed after `/`; nil when not editing.
    public var searchDraft: String?
    public var selected = 0
    public var offset = 0
    /// Customer indices in display order, as last computed for the current sort and search.
    public var order: [UInt32] = []
    /// The sort and search `order` was computed for (the screen says when it is being recomputed).
    public var orderSpec: CustomerOrderSpec?

    /// Only the customers who dropped at a funnel step (drilled into from the Journeys view); nil for everyone.
    public var funnelDrop: FunnelDrop?

    public init() {}

    public var spec: CustomerOrderSpec {
        CustomerOrderSpec(column: sortColumn, descending: descending, search: search, segment: segment, funnelDrop: funnelDrop)
    }
}

/// The customers of a funnel who did the steps before `step` but not `step` itself.
public struct FunnelDrop: Equatable, Sendable {
    public var steps: FunnelSteps
    /// 0-based step index.
    public var step: Int

    public init(steps: FunnelSteps, step: Int) {
        self.steps = steps
        self.step = step
    }

    /// How the table names the subset.
    public var label: String { "dropped at step \(step + 1) (\(steps.label(step)))" }
}

/// The Journeys view: the funnel's steps, the selected step and the step editor.
public struct JourneysViewState: Equatable, Sendable {
    public var steps: FunnelSteps
    public var selected = 0
    /// Text being edited after `e`; nil when not editing.
    public var draft: String?

    public init(steps: FunnelSteps = JourneysConfiguration.standardFunnel) { self.steps = steps }
}

/// The two feeds of the Campaigns view: the messages sent, and the ones held out or suppressed.
public enum CampaignFeed: Sendable {
    case sent, suppressed

    /// The other feed (the `f` key).
    public var other: CampaignFeed { self == .sent ? .suppressed : .sent }
}

/// The Campaigns view: which feed has the selection (at 80 columns: which one is shown) and each feed's
/// selected line (newest first; Enter opens its customer).
public struct CampaignsViewState: Equatable, Sendable {
    public var feed: CampaignFeed = .sent
    public var sent = ListState()
    public var suppressed = ListState()

    public init() {}
}

/// What a customer order was computed for.
public struct CustomerOrderSpec: Equatable, Sendable {
    public var column: CustomerColumn
    public var descending: Bool
    public var search: String
    /// Only this segment's members.
    public var segment: String?
    /// Only the customers who dropped at this funnel step.
    public var funnelDrop: FunnelDrop?

    public init(column: CustomerColumn, descending: Bool, search: String, segment: String? = nil, funnelDrop: FunnelDrop? = nil) {
        self.column = column
        self.descending = descending
        self.search = search
        self.segment = segment
        self.funnelDrop = funnelDrop
    }
}

/// A scrollable list's selection and offset.
public struct ListState: Equatable, Sendable {
    public var selected = 0
    public var offset = 0
    public init() {}
}

/// The timeline of the customer detail screen.
public struct DetailState: Equatable, Sendable {
    /// Index of the first timeline row shown; nil to follow the newest events.
    public var offset: Int?
    public init() {}
}

/// Everything the dashboard's screen depends on besides the engine's data: a value the reducer changes.
public struct DashboardState: Equatable, Sendable {
    public var screen: Screen = .tab(.overview)
    /// Screens to return to with Esc.
    public var backStack: [Screen] = []
    public var showHelp = false
    /// First line of the help shown (it scrolls on small terminals).
    public var helpOffset = 0
    public var size: Size
    public var paused = false
    public var customers = CustomersTableState()
    /// The live tail on the Overview: a selected event opens its customer.
    public var tail = ListState()
    public var rejects = ListState()
    /// The segments table.
    public var segments = ListState()
    /// Segment names in table order, as last shown (Enter opens the selected one's members).
    public var segmentNames: [String] = []
    public var detail = DetailState()
    /// The Journeys view.
    public var journeys = JourneysViewState()
    /// The Campaigns view, and the customers of its feeds' lines as last shown (newest first).
    public var campaigns = CampaignsViewState()
    public var campaignsShown = CampaignsShown(sentCustomers: [], suppressedCustomers: [], triggers: 0)
    /// Rows the customer screen gives to her messages (below the timeline at 80 columns), as last shown.
    public var detailMessageRows = 0
    /// Customer indices of the live tail as last shown (the reducer resolves Enter with it).
    public var tailCustomers: [UInt32] = []
    /// Events ever added to the live tail when it was last shown.
    public var tailTotal: Int?
    /// Rows of the last shown timeline and of its window (for scrolling limits).
    public var timelineCount = 0
    public var rejectCount = 0
    /// A one-line message in the status bar (cleared by the next key).
    public var message: String?
    public var shouldQuit = false

    public init(size: Size) { self.size = size }

    /// The tab the current screen belongs to.
    public var activeTab: DashboardTab {
        switch screen {
        case .tab(let tab): return tab
        case .customer, .rejects:
            for s in backStack.reversed() { if case .tab(let t) = s { return t } }
            return .overview
        }
    }

    /// The smallest terminal the dashboard lays out for.
    public static let minimumSize = Size(width: 80, height: 24)
}
