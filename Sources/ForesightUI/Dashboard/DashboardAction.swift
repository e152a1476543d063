import ForesightCore

/// Something that happened to the dashboard, named for what happened.
public enum DashboardAction: Sendable {
    case keyPressed(Key)
    case terminalResized(Size)
    /// A new customer order is ready for the sort and search it was computed for.
    case customerOrderComputed([UInt32], CustomerOrderSpec)
    /// The data shown changed size (rows of the current lists), after a frame was built. `tailTotal` counts
    /// every event ever added to the live tail, so a selection below the top can stay on its event.
    /// `campaigns`: what the Campaigns view showed; `messageRows`: the rows the customer screen gives to her
    /// messages (nil: not shown in this frame).
    case dataShown(tailCustomers: [UInt32], tailTotal: Int? = nil, timelineCount: Int, rejectCount: Int, segmentNames: [String]? = nil,
                   campaigns: CampaignsShown? = nil, messageRows: Int? = nil)
}

/// What the reducer asks the runtime to do.
public enum DashboardEffect: Equatable, Sendable {
    /// Recompute the customer order (off the UI thread) for this sort and search.
    case computeCustomerOrder(CustomerOrderSpec)
    /// Pause or resume reading the log.
    case setPaused(Bool)
    case quit
}

/// What a frame of the Campaigns view showed: the customers of its feeds' lines (newest first) and the
/// number of triggers (the feeds get what the triggers panel leaves).
public struct CampaignsShown: Equatable, Sendable {
    public var sentCustomers: [UInt32]
    public var suppressedCustomers: [UInt32]
    public var triggers: Int

    public init(sentCustomers: [UInt32], suppressedCustomers: [UInt32], triggers: Int) {
        self.sentCustomers = sentCustomers
        self.suppressedCustomers = suppressedCustomers
        self.triggers = triggers
    }

    /// From a snapshot's campaigns data.
    public init(_ data: CampaignsData) {
        self.init(sentCustomers: data.sent.map(\.customerIndex), suppressedCustomers: data.suppressed.map(\.customerIndex),
                  triggers: data.triggerCount)
    }
}
