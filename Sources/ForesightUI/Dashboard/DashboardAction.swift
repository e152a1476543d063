import ForesightCore

/// Something that happened to the dashboard, named for what happened.
public enum DashboardAction: Sendable {
    case keyPressed(Key)
    case terminalResized(Size)
    /// A new customer order is ready for the sort and search it was computed for.
    case customerOrderComputed([UInt32], CustomerOrderSpec)
    /// The data shown changed size (rows of the current lists), after a frame was built. `tailTotal` counts
    /// every event ever added to the live tail, so a selection below the top can stay on its event.
    case dataShown(tailCustomers: [UInt32], tailTotal: Int? = nil, timelineCount: Int, rejectCount: Int, segmentNames: [String]? = nil)
}

/// What the reducer asks the runtime to do.
public enum DashboardEffect: Equatable, Sendable {
    /// Recompute the customer order (off the UI thread) for this sort and search.
    case computeCustomerOrder(CustomerOrderSpec)
    /// Pause or resume reading the log.
    case setPaused(Bool)
    case quit
}
