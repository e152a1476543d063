/// The outcome of a rule for one customer at one time.
public struct RuleResult: Sendable, Equatable {
    /// Whether the customer matches.
    public var value: Bool
    /// The earliest event time (ms) at which the result could change with no new event of the
    /// customer; `Int64.max` when it cannot (only a new event or new scores can change it).
    public var nextChange: Int64

    public init(value: Bool, nextChange: Int64 = .max) {
        self.value = value
        self.nextChange = nextChange
    }
}

/// The traits a rule reads: label ids, age and consents (all trivial values).
public struct RuleTraits: Sendable, Equatable {
    public var country: UInt32
    public var city: UInt32
    public var plan: UInt32
    /// 0 when unknown.
    public var age: UInt8
    public var emailOptIn: Consent
    public var smsOptIn: Consent

    public init(_ t: Traits) {
        country = t.country
        city = t.city
        plan = t.plan
        age = t.age
        emailOptIn = t.emailOptIn
        smsOptIn = t.smsOptIn
    }

    /// Field by field from a buffer, so the e-mail and name strings are not retained.
    @inline(__always)
    init(_ all: UnsafeBufferPointer<Traits>, _ i: Int) {
        country = all[i].country
        city = all[i].city
        plan = all[i].plan
        age = all[i].age
        emailOptIn = all[i].emailOptIn
        smsOptIn = all[i].smsOptIn
    }
}

/// What a rule reads about one customer.
///
/// It refers to the customer's profile where it lies (the engine's array, or a caller's value) instead of
/// holding a copy: copying a `Profile` retains and releases its timeline and orders, which was a tenth of
/// the ingest thread's time with 20 segments kept. Make one with ``with(profile:traits:scores:now:stageRules:sessionGapMs:_:)``
/// (or, inside the segments, from a buffer of the engine's profiles) and do not keep it past that scope.
public struct RuleInput {
    private let profilePointer: UnsafePointer<Profile>
    /// The customer's profile, read in place.
    public var profile: Profile { unsafeAddress { profilePointer } }
    /// Where the profile lies (``RuleField/profileValue(_:)`` reads its counts from there).
    var profileAddress: UnsafePointer<Profile> { profilePointer }
    /// The traits rules read (no e-mail or name: copying those strings would cost a retain each).
    public var traits: RuleTraits?
    public var scores: SegmentScores
    /// The evaluation time (event time, ms): the engine's watermark, or a timer's due time.
    public var now: Int64
    public var stageRules: StageRules
    public var sessionGapMs: Int64
    /// The base stage the customer's events reached by `now`, when known (the membership caches it per
    /// customer: it changes only with her events); nil: `stage` tests scan her timeline.
    public var reachedStage: LifecycleStage?

    /// An input reading the profile at `profile`, which must stay valid and unchanged while the input is used.
    @inline(__always)
    init(profile: UnsafePointer<Profile>, traits: RuleTraits?, scores: SegmentScores, now: Int64,
         stageRules: StageRules, sessionGapMs: Int64) {
        profilePointer = profile
        self.traits = traits
        self.scores = scores
        self.now = now
        self.stageRules = stageRules
        self.sessionGapMs = sessionGapMs
    }

    /// Calls `body` with the input of `profile` (tests, explanations, single evaluations).
    public static func with<R>(profile: Profile, traits: RuleTraits?, scores: SegmentScores = .unknown, now: Int64,
                               stageRules: StageRules = StageRules(), sessionGapMs: Int64 = 30 * 60_000,
                               _ body: (RuleInput) throws -> R) rethrows -> R {
        try withUnsafePointer(to: profile) { pointer in
            try body(RuleInput(profile: pointer, traits: traits, scores: scores, now: now, stageRules: stageRules,
                               sessionGapMs: sessionGapMs))
        }
    }
}

private let dayMs = 86_400_000.0

extension CompiledRule {
    /// Evaluates the rule for one customer.
    /// - Parameters:
    ///   - bindings: the rule's literals resolved in the customer's engine.
    ///   - reference: the result of the i-th referenced segment (``references``) for this customer.
    /// - Complexity: O(atoms) plus, for windowed counts and `sessions_30d`, O(events in the window).
    public func evaluate(_ input: RuleInput, bindings: RuleBindings,
                         reference: (Int) -> RuleResult = { _ in RuleResult(value: false) }) -> RuleResult {
        bindings.withIDs { program.evaluate(program.root, input, $0, reference) }
    }
}

extension RuleProgram {
    func evaluate(_ index: Int32, _ input: RuleInput, _ b: BoundIDs, _ ref: (Int) -> RuleResult) -> RuleResult {
        let node = nodes[Int(index)]
        switch node.kind {
        case .atom: return evaluateAtom(atoms[Int(node.first)], input, b, ref)
        case .not:
            let r = evaluate(node.first, input, b, ref)
            return RuleResult(value: !r.value, nextChange: r.nextChange)
        case .and:
            // True: any child turning false ends it (earliest change). False: every false child must turn.
            var allTrue = true, earliest = Int64.max, latestFalse = Int64.min
            for k in Int(node.first)..<Int(node.first + node.count) {
                let r = evaluate(children[k], input, b, ref)
                if r.value { earliest = min(earliest, r.nextChange) } else {
                    allTrue = false
                    latestFalse = max(latestFalse, r.nextChange)
                    if r.nextChange == .max { return RuleResult(value: false) }
                }
            }
            return allTrue ? RuleResult(value: true, nextChange: earliest) : RuleResult(value: false, nextChange: latestFalse)
        case .or:
            var anyTrue = false, earliest = Int64.max, latestTrue = Int64.min
            for k in Int(node.first)..<Int(node.first + node.count) {
                let r = evaluate(children[k], input, b, ref)
                if r.value {
                    anyTrue = true
                    latestTrue = max(latestTrue, r.nextChange)
                    if r.nextChange == .max { return RuleResult(value: true) }
                } else { earliest = min(earliest, r.nextChange) }
            }
            return anyTrue ? RuleResult(value: true, nextChange: latestTrue) : RuleResult(value: false, nextChange: earliest)
        }
    }

    private func evaluateAtom(_ atom: RuleAtom, _ input: RuleInput, _ b: BoundIDs, _ ref: (Int) -> RuleResult) -> RuleResult {
        // Fields are read through `input.profile` (not a local copy) so that no array is retained.
        switch atom.test {
        case .number(let field, let test):
            switch field {
            case .recencyDays:
                let t = input.profile.lastSeen
                return elapsed(since: t == .min ? nil : t, test, input.now)
            case .daysSinceOrder:
                let t = input.profile.lastOrder
                return elapsed(since: t == .min ? nil : t, test, input.now)
            case .tenureDays:
                let t = input.profile.firstSeen
                return elapsed(since: t == .max ? nil : t, test, input.now)
            case .sessions30d:
                let gap = input.sessionGapMs
                return windowCount(input.profile.timeline, windowMs: 30 * 86_400_000, now: input.now, test) { t, i in
                    i == 0 || t[i].time - t[i - 1].time > gap
                }
            default:
                guard let v = CompiledRule.value(field, input) else { return RuleResult(value: false) }
                return RuleResult(value: test.holds(v, numbers))
            }
        case .text(let field, let start, let count, let negated):
            guard let t = input.traits else { return RuleResult(value: false) }
            let id: UInt32
            switch field {
            case .country: id = t.country
            case .city: id = t.city
            default: id = t.plan
            }
            guard id != UInt32.max else { return RuleResult(value: false) }
            var found = false
            for k in Int(start)..<Int(start + count) where b.labels[Int(labelRefs[k])] == id { found = true; break }
            return RuleResult(value: found != negated)
        case .bool(let field, let expected):
            let consent = field == .emailOptIn ? input.traits?.emailOptIn : input.traits?.smsOptIn
            switch consent ?? .unknown {
            case .unknown: return RuleResult(value: false)
            case .granted: return RuleResult(value: expected)
            case .denied: return RuleResult(value: !expected)
            }
        case .stage(let mask):
            // Read in place (`input.profile`), never copied into a local: a copy retains its arrays.
            let lastSeen = input.profile.lastSeen
            guard lastSeen != .min else { return RuleResult(value: false) }
            let rules = input.stageRules
            // The events are the same at every time asked about (none after now): scan them once, or not at
            // all when the membership knows the stage reached (``RuleInput/reachedStage``).
            let reached = input.reachedStage ?? rules.reachedStage(input.profile, asOf: input.now)
            func holds(_ t: Int64) -> Bool {
                mask & (1 << UInt8(rules.stage(reached: reached, lastSeen: lastSeen, now: t).rawValue)) != 0
            }
            let now = holds(input.now)
            // The stage moves with the clock only at the At Risk and Lapsed thresholds.
            let day = Int64(86_400_000)
            let a = Int64(rules.atRiskAfterDays), l = Int64(rules.lapsedAfterDays)
            var next = Int64.max
            if lastSeen + min(a, l) * day > input.now && holds(lastSeen + min(a, l) * day) != now {
                next = lastSeen + min(a, l) * day
            } else if lastSeen + max(a, l) * day > input.now && holds(lastSeen + max(a, l) * day) != now {
                next = lastSeen + max(a, l) * day
            }
            return RuleResult(value: now, nextChange: next)
        case .count(let event, let window, let test):
            let name = b.events[event]
            guard name != UInt16.max else { return RuleResult(value: test.holds(0, numbers)) }
            return windowCount(input.profile.timeline, windowMs: window, now: input.now, test) { t, i in t[i].name == name }
        case .segment(let index, let expected):
            let r = ref(index)
            return RuleResult(value: r.value == expected, nextChange: r.nextChange)
        }
    }

}

extension CompiledRule {
    static func value(_ field: RuleField, _ input: RuleInput) -> Double? {
        if field.isProfileCount { return field.profileValue(input.profileAddress) }
        switch field {
        case .age:
            guard let age = input.traits?.age, age > 0 else { return nil }
            return Double(age)
        case .churnRisk, .pAlive, .clv, .expectedOrders: return input.scores.value(field)
        default:
            return nil
        }
    }
}

extension RuleProgram {
    /// A test on the days elapsed since `anchor`, which grows with the clock: the next change is the
    /// first millisecond after `now` where the answer differs, found among the times the value crosses
    /// one of the test's boundaries.
    func elapsed(since anchor: Int64?, _ test: NumberTest, _ now: Int64) -> RuleResult {
        guard let anchor else { return RuleResult(value: false) }
        let pool = numbers
        func holds(_ t: Int64) -> Bool { test.holds(Double(t - anchor) / dayMs, pool) }
        let current = holds(now)
        var next = Int64.max
        test.forEachBoundary(pool) { boundary in
            let exact = Double(anchor) + boundary * dayMs
            guard exact.isFinite, abs(exact) < 9e15 else { return }
            // The answer is constant between boundaries: look at the milliseconds around each crossing.
            let base = Int64(exact.rounded(.down))
            for t in base - 1...base + 2 where t > now && t < next && holds(t) != current {
                next = t
                break
            }
        }
        return RuleResult(value: current, nextChange: next)
    }

    /// A test on the number of timeline entries accepted by `counts` in `(now − window, now]`. The count
    /// only falls as the clock moves (entries leave the window), so the next change is the first exit
    /// after which the answer differs.
    func windowCount(_ timeline: [TimelineEntry], windowMs: Int64, now: Int64, _ test: NumberTest,
                            _ counts: ([TimelineEntry], Int) -> Bool) -> RuleResult {
        var hi = timeline.count
        while hi > 0 && timeline[hi - 1].time > now { hi -= 1 }
        var lo = hi
        while lo > 0 && timeline[lo - 1].time > now - windowMs { lo -= 1 }
        var n = 0
        for i in lo..<hi where counts(timeline, i) { n += 1 }
        let current = test.holds(Double(n), numbers)
        var left = 0
        for i in lo..<hi {
            if counts(timeline, i) { left += 1 }
            // Entries at the same time leave together: check at the end of each run of equal times.
            let endOfRun = i + 1 == hi || timeline[i + 1].time != timeline[i].time
            if endOfRun && left > 0 && test.holds(Double(n - left), numbers) != current {
                return RuleResult(value: current, nextChange: timeline[i].time + windowMs)
            }
        }
        return RuleResult(value: current)
    }
}

extension NumberTest {
    /// Whether `v` is above the test's upper bound (`= a`, `<= a`, `< a`, `between _ and b`, `in [...]`): for a
    /// count that only grows, the test fails now and for good. Tests without an upper bound: false.
    func exceedsUpperBound(_ v: Double, _ pool: [Double]) -> Bool {
        switch kind {
        case .compare:
            switch op {
            case .equal, .lessOrEqual: return v > a
            case .less: return v >= a
            case .notEqual, .greater, .greaterOrEqual: return false
            }
        case .between: return v > b
        case .member:
            var highest = -Double.infinity
            for i in Int(start)..<Int(start + count) { highest = Swift.max(highest, pool[i]) }
            return v > highest
        case .notMember: return false
        }
    }
}

extension RuleField {
    /// A count that only grows with a customer's events (no cancellation or merge lowers it): once a test
    /// bounded above fails on it, it fails for good.
    var onlyGrows: Bool {
        switch self {
        case .events, .pageViews, .productViews, .cartAdds, .checkouts, .emailOpens, .emailClicks, .supportTickets: return true
        default: return false
        }
    }
}

extension CompiledRule {
    /// Whether the rule is false for the customer and stays false whatever events she sends later: an `and`
    /// with a test bounded above (`cart_adds = 0`, `checkouts <= 1`) failed on a count that only grows.
    /// Conservative: false whenever that is not certain.
    public func staysFalse(_ input: RuleInput) -> Bool { program.staysFalse(program.root, input) }

    /// Whether ``staysFalse(_:)`` can ever say yes (the rule tests a count that only grows).
    public var canStayFalse: Bool {
        program.atoms.contains { if case .number(let f, _) = $0.test { return f.onlyGrows } else { return false } }
    }
}

extension RuleProgram {
    func staysFalse(_ index: Int32, _ input: RuleInput) -> Bool {
        let node = nodes[Int(index)]
        switch node.kind {
        case .atom:
            guard case .number(let field, let test) = atoms[Int(node.first)].test, field.onlyGrows,
                  let v = CompiledRule.value(field, input) else { return false }
            return test.exceedsUpperBound(v, numbers)
        case .not: return false
        case .and:
            for k in Int(node.first)..<Int(node.first + node.count) where staysFalse(children[k], input) { return true }
            return false
        case .or:
            for k in Int(node.first)..<Int(node.first + node.count) where !staysFalse(children[k], input) { return false }
            return node.count > 0
        }
    }
}

extension CompiledRule {
    /// Whether the rule's answer for a customer changes only with her events: it reads no clock (days since,
    /// windows, sessions of the last 30 days, stage), no score and no segment. Its answer can then be kept per
    /// customer and brought up to date when one of her events changes what it reads (``reads``).
    public var dependsOnlyOnEvents: Bool { !dependsOnTime && !usesScores && references.isEmpty }

    /// The inputs the rule reads.
    public var reads: RuleInputs { program.reads }

    /// Whether more of the counts in `fields` can only make the rule false: every test on one of them bounds
    /// a count that only grows from above (`cart_adds = 0`, `email_clicks < 1`, `checkouts <= 2`) and no
    /// `not` turns one around. (Nothing in `fields` read: true.)
    public func onlyFalls(with fields: RuleInputs) -> Bool {
        let touching = program.atoms.filter { !$0.reads.isDisjoint(with: fields) }
        guard !touching.isEmpty else { return true }
        if program.nodes.contains(where: { $0.kind == .not }) { return false }
        return touching.allSatisfy { atom in
            guard case .number(let field, let test) = atom.test, field.onlyGrows, test.kind == .compare else { return false }
            switch test.op {
            case .less, .lessOrEqual: return true
            case .equal: return test.a <= 0  // a count is never below 0: `= 0` is `<= 0`
            default: return false
            }
        }
    }
}

/// A rule that is one test or an `and` of tests on a profile's counts and sums (`orders >= 2 and
/// product_views >= 20`), as trivial values: evaluated with a few loads and compares, no bindings, no closure
/// and no retain (the campaign triggers' `when` rules on the ingest thread, for millions of events).
public struct FlatRule: Sendable, Equatable {
    struct Test: Sendable, Equatable {
        var field: RuleField
        /// A comparison or a range (no `in` list: it would need the rule's pool of numbers).
        var test: NumberTest
    }
    var tests: [Test]

    /// The flat form of `rule`, when it has one.
    public init?(_ rule: CompiledRule) {
        let p = rule.program
        let root = p.nodes[Int(p.root)]
        let atomIndices: [Int]
        switch root.kind {
        case .atom: atomIndices = [Int(root.first)]
        case .and:
            var list: [Int] = []
            for k in Int(root.first)..<Int(root.first + root.count) {
                let child = p.nodes[Int(p.children[k])]
                guard child.kind == .atom else { return nil }
                list.append(Int(child.first))
            }
            atomIndices = list
        default: return nil
        }
        var tests: [Test] = []
        for i in atomIndices {
            guard case .number(let field, let test) = p.atoms[i].test, field.isProfileCount,
                  test.kind == .compare || test.kind == .between else { return nil }
            tests.append(Test(field: field, test: test))
        }
        self.tests = tests
    }

    /// The rule's answer for `profile` (the same as ``CompiledRule/evaluate(_:bindings:reference:)``'s).
    @inline(__always)
    public func holds(_ profile: UnsafePointer<Profile>) -> Bool {
        for t in tests where !t.test.holds(t.field.profileValue(profile), []) { return false }
        return true
    }

    /// ``CompiledRule/staysFalse(_:)`` for `profile`: a test bounding a count that only grows from above fails.
    @inline(__always)
    public func staysFalse(_ profile: UnsafePointer<Profile>) -> Bool {
        for t in tests where t.field.onlyGrows && t.test.exceedsUpperBound(t.field.profileValue(profile), []) { return true }
        return false
    }
}

/// Several rules' flat forms (``FlatRule``) in one list, each by its number: a test reads the list in place,
/// where a `FlatRule` taken out of an array retained and released its tests for every evaluation.
struct FlatRuleTable: Sendable {
    /// Per rule: its tests (none for a rule without a flat form).
    private let tests: PackedLists<FlatRule.Test>
    /// Per rule: whether it has a flat form.
    private let flat: [Bool]

    init(_ rules: [FlatRule?]) {
        tests = PackedLists(rules.map { $0?.tests ?? [] })
        flat = rules.map { $0 != nil }
    }

    /// Whether rule `i` has a flat form.
    @inline(__always)
    func has(_ i: Int) -> Bool { i < flat.count && flat[i] }

    /// ``FlatRule/holds(_:)`` of rule `i` (which has a flat form).
    @inline(__always)
    func holds(_ i: Int, _ profile: UnsafePointer<Profile>) -> Bool {
        !anyTest(i, profile) { t, v in !t.test.holds(v, []) }
    }

    /// ``FlatRule/staysFalse(_:)`` of rule `i` (which has a flat form).
    @inline(__always)
    func staysFalse(_ i: Int, _ profile: UnsafePointer<Profile>) -> Bool {
        anyTest(i, profile) { t, v in t.field.onlyGrows && t.test.exceedsUpperBound(v, []) }
    }

    /// Whether `body` is true for one of rule `i`'s tests, with the profile's value of its field.
    @inline(__always)
    private func anyTest(_ i: Int, _ profile: UnsafePointer<Profile>, _ body: (FlatRule.Test, Double) -> Bool) -> Bool {
        for k in tests.range(i) {
            let t = tests[k]
            if body(t, t.field.profileValue(profile)) { return true }
        }
        return false
    }
}

extension RuleField {
    /// A count or sum kept in the profile itself (``profileValue(_:)`` reads it).
    var isProfileCount: Bool {
        switch self {
        case .orders, .revenue, .aov, .refunds, .sessions, .events, .pageViews, .productViews, .cartAdds, .checkouts,
             .emailOpens, .emailClicks, .supportTickets: return true
        default: return false
        }
    }

    /// The field's value in the profile (``isProfileCount`` fields; 0 for any other), as ``CompiledRule/value(_:_:)`` reads it.
    @inline(__always)
    func profileValue(_ p: UnsafePointer<Profile>) -> Double {
        switch self {
        case .orders: return Double(p.pointee.orderCount)
        case .revenue: return p.pointee.revenue
        case .aov: return p.pointee.averageOrderValue
        case .refunds: return p.pointee.refunds
        case .sessions: return Double(p.pointee.sessions)
        case .events: return Double(p.pointee.events)
        case .pageViews: return Double(p.pointee.pageViews)
        case .productViews: return Double(p.pointee.productViews)
        case .cartAdds: return Double(p.pointee.cartAdds)
        case .checkouts: return Double(p.pointee.checkouts)
        case .emailOpens: return Double(p.pointee.emailOpens)
        case .emailClicks: return Double(p.pointee.emailClicks)
        case .supportTickets: return Double(p.pointee.supportTickets)
        default: return 0
        }
    }
}
