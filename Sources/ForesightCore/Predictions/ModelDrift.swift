/// How the fitted BG/NBD model's expectation compares with what its buyers did after the fit: the
/// drift of predicted against actual repeat transactions, as outcomes arrive.
public struct ModelDrift: Sendable, Equatable {
    /// Whole UTC days from the fit's day to the watermark's (0 on the day of the fit).
    public var days: Int
    /// Customers with an order up to the fit: the cohort the model predicted for.
    public var buyers: Int
    /// Their expected repeat transactions from the fit to now, summed (capped at the horizon).
    public var predicted: Double
    /// Their transactions (distinct order days) after the fit's day, up to now.
    public var actual: Int
    /// Cumulative predicted and actual transactions by day after the fit, index 0 the fit's day; at most
    /// the horizon long.
    public var predictedByDay: [Double]
    public var actualByDay: [Int]

    /// Actual over predicted (nil before anything was predicted).
    public var ratio: Double? { predicted > 0 ? Double(actual) / predicted : nil }
}

extension Engine {
    /// Predicted against actual transactions of the fit's buyers since `models` were fitted.
    /// - Returns: nil without a BG/NBD fit.
    /// - Complexity: O(orders).
    public func drift(models: PredictionModels, now: Int64) -> ModelDrift? {
        guard models.transactions != nil, !models.expectedByDay.isEmpty else { return nil }
        let fitDay = Timestamp.day(models.fittedAt)
        let horizon = models.expectedByDay.count - 1
        let days = max(0, min(horizon, Timestamp.day(now) - fitDay))
        var perDay = [Int](repeating: 0, count: days + 1)
        var buyers = 0
        var orderDays: [Int] = []
        for profile in profiles where profile.orderCount > 0 && profile.firstOrder <= models.fittedAt {
            orderDays.removeAll(keepingCapacity: true)
            var boughtBefore = false
            for order in profile.orders where !order.cancelled {
                let day = Timestamp.day(order.time)
                if day <= fitDay { boughtBefore = true } else if day - fitDay <= days { orderDays.append(day) }
            }
            guard boughtBefore else { continue }
            buyers += 1
            guard !orderDays.isEmpty else { continue }
            orderDays.sort()
            var previous = Int.min
            for day in orderDays where day != previous {
                perDay[day - fitDay] += 1
                previous = day
            }
        }
        var cumulative = perDay
        for d in cumulative.indices.dropFirst() { cumulative[d] += cumulative[d - 1] }
        let predicted = Array(models.expectedByDay.prefix(days + 1))
        return ModelDrift(days: days, buyers: buyers, predicted: predicted.last ?? 0, actual: cumulative.last ?? 0,
                          predictedByDay: predicted, actualByDay: cumulative)
    }
}
