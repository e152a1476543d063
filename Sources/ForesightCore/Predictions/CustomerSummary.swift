/// The time unit the customer-base models count in. Times are whole UTC days underneath; the unit only
/// scales them (a rate per week is seven times a rate per day).
public enum ModelTimeUnit: String, Sendable, Equatable, CaseIterable, Codable {
    case day
    case week

    /// Days in one unit.
    public var days: Double {
        switch self {
        case .day: 1
        case .week: 7
        }
    }

    /// Converts a count of days to this unit.
    @inlinable
    public func fromDays(_ days: Int32) -> Double { Double(days) / self.days }

    /// Units in an average calendar month (365.25 / 12 days).
    public var perMonth: Double { 365.25 / 12 / days }
}

/// One customer's purchase history in the form the BG/NBD and Gamma-Gamma models read (RFM-T).
///
/// A *transaction* is a distinct UTC calendar day with at least one completed, not cancelled order;
/// the first transaction starts the customer's clock and is not counted as a repeat. Day counts are
/// stored as integers so that customers with the same history compress exactly.
public struct CustomerSummary: Sendable, Equatable {
    /// Dense customer id (index into ``Engine/profiles``).
    public var customer: UInt32
    /// Repeat transactions up to the calibration end (`x`: transactions − 1).
    public var frequency: Int32
    /// Days from the first to the last transaction in calibration (`t_x` in days).
    public var recencyDays: Int32
    /// Days from the first transaction to the calibration end day (`T` in days).
    public var ageDays: Int32
    /// Mean revenue of the repeat transactions (the sum of each repeat transaction-day's orders,
    /// averaged over those days); 0 when there is no repeat transaction.
    public var monetaryValue: Double
    /// Revenue of the first transaction day.
    public var firstValue: Double
    /// Transactions after the calibration end, up to and including the hold-out end day.
    public var holdoutTransactions: Int32

    /// Creates a summary.
    public init(
        customer: UInt32, frequency: Int32, recencyDays: Int32, ageDays: Int32,
        monetaryValue: Double = 0, firstValue: Double = 0, holdoutTransactions: Int32 = 0
    ) {
        self.customer = customer
        self.frequency = frequency
        self.recencyDays = recencyDays
        self.ageDays = ageDays
        self.monetaryValue = monetaryValue
        self.firstValue = firstValue
        self.holdoutTransactions = holdoutTransactions
    }
}
