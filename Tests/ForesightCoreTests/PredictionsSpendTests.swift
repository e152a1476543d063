import Testing
import ForesightCore

/// Gamma-Gamma closed forms, CLV and the batch scorer.
///
/// Expected values from Python 3.11 + scipy 1.17: the Gamma-Gamma density of a mean value
/// (`gammaln`), E[M | x, m̄] = p(γ + x m̄)/(px + q − 1), and CLV summed month by month from eq. 10
/// (`hyp2f1`) with months of 365.25/12 days and (1 + 0.01)^k discounting.
@Suite struct PredictionsSpendTests {
    static let spend = GammaGammaModel(p: 6.25, q: 3.74, gamma: 15.44)
    static let cdnow = BGNBDModel(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
    static let other = BGNBDModel(r: 1.5, alpha: 10, a: 2.5, b: 4)

    static func close(_ value: Double, _ expected: Double, _ relative: Double = 1e-9) -> Bool {
        abs(value - expected) <= relative * abs(expected)
    }

    @Test func gammaGammaMatchesScipy() {
        let cases: [(x: Double, m: Double, logLikelihood: Double, expected: Double)] = [
            (1, 20.0, -3.5941964929492016, 24.638487208008897),
            (4, 35.5, -4.074347772994599, 35.47224224945926),
            (10, 12.25, -4.043711820973613, 13.214668914776212),
        ]
        for c in cases {
            #expect(Self.close(Self.spend.logLikelihood(x: c.x, meanValue: c.m), c.logLikelihood))
            #expect(Self.close(Self.spend.expectedSpend(x: c.x, meanValue: c.m), c.expected))
        }
        #expect(Self.spend.logLikelihood(x: 0, meanValue: 10) == -.infinity)
        #expect(Self.close(Self.spend.expectedSpend(x: 0, meanValue: 0), 6.25 * 15.44 / 2.74, 1e-14))
        #expect(GammaGammaModel(p: 1, q: 0.9, gamma: 1).meanTransactionValue.isNaN)
    }

    @Test func expectedSpendShrinksTowardsThePopulationMean() {
        let population = Self.spend.meanTransactionValue
        let spends = (1...50).map { Self.spend.expectedSpend(x: Double($0), meanValue: 100) }
        // Between the population mean and the customer's own mean, nearer her own with more purchases.
        #expect(spends.allSatisfy { $0 > population && $0 < 100 })
        #expect(zip(spends, spends.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func lifetimeValueMatchesScipy() {
        // CDNOW model: x = 2, t_x = 30.43, T = 38.86 weeks, m̄ = 30: 45.55224191525028.
        let v1 = Self.cdnow.customerLifetimeValue(
            x: 2, tx: 30.428571428571427, age: 38.857142857142854, meanValue: 30, spend: Self.spend, unit: .week)
        #expect(Self.close(v1, 45.55224191525028))
        // A one-time buyer of the same age: 8.374946288144796.
        let v0 = Self.cdnow.customerLifetimeValue(x: 0, tx: 0, age: 38.857142857142854, meanValue: 0, spend: Self.spend, unit: .week)
        #expect(Self.close(v0, 8.374946288144796))
        // The second model, x = 5, t_x = 10, T = 38, m̄ = 25: 0.9728978025195479.
        let v2 = Self.other.customerLifetimeValue(x: 5, tx: 10, age: 38, meanValue: 25, spend: Self.spend, unit: .week)
        #expect(Self.close(v2, 0.9728978025195479))
    }

    @Test func lifetimeValueDependsOnHorizonAndDiscount() {
        func value(_ options: CLVOptions) -> Double {
            Self.cdnow.customerLifetimeValue(x: 3, tx: 30, age: 35, meanValue: 40, spend: Self.spend, unit: .week, options: options)
        }
        #expect(value(CLVOptions(months: 24)) > value(CLVOptions(months: 12)))
        #expect(value(CLVOptions(months: 12, monthlyDiscountRate: 0.05)) < value(CLVOptions(months: 12, monthlyDiscountRate: 0.01)))
        #expect(value(CLVOptions(months: 0)) == 0)
        // Undiscounted, the sum telescopes to spend × E[Y(12 months)].
        let plain = value(CLVOptions(months: 12, monthlyDiscountRate: 0))
        let direct = Self.spend.expectedSpend(x: 3, meanValue: 40)
            * Self.cdnow.expectedTransactions(in: 12 * ModelTimeUnit.week.perMonth, x: 3, tx: 30, age: 35)
        #expect(Self.close(plain, direct, 1e-12))
    }

    @Test func scorerAgreesWithTheOneCustomerFunctions() {
        let customers = [
            CustomerSummary(customer: 0, frequency: 2, recencyDays: 213, ageDays: 272, monetaryValue: 30),
            CustomerSummary(customer: 1, frequency: 0, recencyDays: 0, ageDays: 272),
            CustomerSummary(customer: 2, frequency: 2, recencyDays: 100, ageDays: 272, monetaryValue: 55),
            CustomerSummary(customer: 3, frequency: 7, recencyDays: 20, ageDays: 200, monetaryValue: 12),
        ]
        let data = CalibrationData(customers: customers, calibrationEndDay: 10_000, unit: .week)
        let scores = CustomerScorer(transactions: Self.cdnow, spend: Self.spend, horizon: 26).score(data)
        #expect(scores.map(\.customer) == [0, 1, 2, 3])
        for (s, c) in zip(scores, customers) {
            let x = Double(c.frequency), tx = data.recency(c), age = data.age(c)
            #expect(Self.close(s.probabilityAlive, Self.cdnow.probabilityAlive(x: x, tx: tx, age: age), 1e-14))
            #expect(Self.close(s.expectedTransactions, Self.cdnow.expectedTransactions(in: 26, x: x, tx: tx, age: age), 1e-14))
            #expect(Self.close(s.expectedSpend, Self.spend.expectedSpend(x: x, meanValue: c.monetaryValue), 1e-14))
            let clv = Self.cdnow.customerLifetimeValue(x: x, tx: tx, age: age, meanValue: c.monetaryValue, spend: Self.spend, unit: .week)
            #expect(Self.close(s.lifetimeValue, clv, 1e-12))
        }
        // Same x and T, older last purchase: less likely alive, fewer expected purchases.
        #expect(scores[2].probabilityAlive < scores[0].probabilityAlive)
        #expect(scores[2].expectedTransactions < scores[0].expectedTransactions)
        let noSpend = CustomerScorer(transactions: Self.cdnow, horizon: 26).score(data)
        #expect(noSpend.allSatisfy { $0.expectedSpend.isNaN && $0.lifetimeValue.isNaN })
        #expect(noSpend.map(\.probabilityAlive) == scores.map(\.probabilityAlive))
    }
}
