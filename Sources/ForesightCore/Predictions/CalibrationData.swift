/// Per-customer RFM-T summaries for one calibration end, the input of model fitting and scoring.
///
/// Conventions (those of Fader, Hardie & Lee on CDNOW):
/// - a transaction is a distinct (customer, UTC calendar day) with a completed, not cancelled order;
///   several orders on one day are one transaction whose value is their summed revenue (before refunds);
/// - the calibration period ends with the whole UTC day holding `calibrationEnd`;
/// - times are counted in whole days: a transaction on day `d` happens at `d`, the calibration ends at
///   the end day `E`, so `T = E − first` and `t_x = last − first` (a 1997-01-01 buyer has
///   `T = 272 / 7 = 38.857` weeks for an end of 1997-09-30);
/// - customers without a transaction up to the end day are left out.
public struct CalibrationData: Sendable {
    /// UTC day number (days since 1970-01-01) of the calibration end; that day is included.
    public let calibrationEndDay: Int
    /// UTC day number of the hold-out end (included), or nil without a hold-out period.
    public let holdoutEndDay: Int?
    /// The unit the models count in.
    public let unit: ModelTimeUnit
    /// One summary per customer with a transaction in calibration, in customer-id order.
    public var customers: [CustomerSummary]

    /// Creates calibration data from summaries made elsewhere (tests, simulations).
    public init(customers: [CustomerSummary], calibrationEndDay: Int, holdoutEndDay: Int? = nil, unit: ModelTimeUnit) {
        self.customers = customers
        self.calibrationEndDay = calibrationEndDay
        self.holdoutEndDay = holdoutEndDay
        self.unit = unit
    }

    /// Summarises the orders of each profile.
    /// - Parameters:
    ///   - profiles: the customers, indexed by dense customer id.
    ///   - calibrationEnd: a time (ms since 1970 UTC) on the last day of the calibration period.
    ///   - holdoutEnd: a time on the last day of the hold-out period, or nil for none.
    ///   - unit: the time unit of recency and age.
    /// - Complexity: O(n log n) over each customer's n orders.
    public init(profiles: [Profile], calibrationEnd: Int64, holdoutEnd: Int64? = nil, unit: ModelTimeUnit) {
        let endDay = Timestamp.day(calibrationEnd)
        let holdoutDay = holdoutEnd.map(Timestamp.day)
        var summaries: [CustomerSummary] = []
        summaries.reserveCapacity(profiles.count)
        var days: [(day: Int, revenue: Double)] = []
        for (index, profile) in profiles.enumerated() where profile.orderCount > 0 {
            days.removeAll(keepingCapacity: true)
            for order in profile.orders where !order.cancelled {
                days.append((Timestamp.day(order.time), order.revenue))
            }
            if days.count > 1 { days.sort { $0.day < $1.day } }
            if let summary = Self.summarise(days, customer: UInt32(index), endDay: endDay, holdoutDay: holdoutDay) {
                summaries.append(summary)
            }
        }
        self.init(customers: summaries, calibrationEndDay: endDay, holdoutEndDay: holdoutDay, unit: unit)
    }

    /// The summary of one customer's orders sorted by day, or nil when the first is after the end day.
    static func summarise(_ days: [(day: Int, revenue: Double)], customer: UInt32, endDay: Int, holdoutDay: Int?) -> CustomerSummary? {
        guard let first = days.first, first.day <= endDay else { return nil }
        var summary = CustomerSummary(customer: customer, frequency: 0, recencyDays: 0, ageDays: Int32(clamping: endDay - first.day))
        var current = first.day
        var value = 0.0
        var repeatSum = 0.0
        for (day, revenue) in days {
            if day == current {
                value += revenue
                continue
            }
            // `current` ends here: book its value, then start `day`.
            if current == first.day { summary.firstValue = value } else if current <= endDay { repeatSum += value }
            current = day
            value = revenue
            if day <= endDay {
                summary.frequency += 1
                summary.recencyDays = Int32(clamping: day - first.day)
            } else if let holdoutDay, day <= holdoutDay {
                summary.holdoutTransactions += 1
            }
        }
        if current == first.day { summary.firstValue = value } else if current <= endDay { repeatSum += value }
        if summary.frequency > 0 { summary.monetaryValue = repeatSum / Double(summary.frequency) }
        return summary
    }

    /// Customers with at least one repeat transaction.
    public var repeatBuyers: Int { customers.reduce(0) { $0 + ($1.frequency > 0 ? 1 : 0) } }
    /// Repeat transactions of all customers.
    public var repeatTransactions: Int { customers.reduce(0) { $0 + Int($1.frequency) } }
    /// Hold-out transactions of all customers.
    public var holdoutTransactions: Int { customers.reduce(0) { $0 + Int($1.holdoutTransactions) } }
    /// Length of the hold-out period in model units (0 without one).
    public var holdoutLength: Double { holdoutEndDay.map { Double($0 - calibrationEndDay) / unit.days } ?? 0 }

    /// Recency `t_x` of a customer in model units.
    @inlinable
    public func recency(_ s: CustomerSummary) -> Double { unit.fromDays(s.recencyDays) }
    /// Age `T` of a customer in model units.
    @inlinable
    public func age(_ s: CustomerSummary) -> Double { unit.fromDays(s.ageDays) }
}

extension Engine {
    /// RFM-T summaries of every customer with an order, for a calibration end (see ``CalibrationData``).
    /// - Complexity: O(total orders · log).
    public func calibrationData(end: Int64, holdoutEnd: Int64? = nil, unit: ModelTimeUnit = .week) -> CalibrationData {
        CalibrationData(profiles: profiles, calibrationEnd: end, holdoutEnd: holdoutEnd, unit: unit)
    }
}
