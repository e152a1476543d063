import CForesightSupport

/// The customers touched by a batch of events and what the events changed, so that the ingest path
/// evaluates each customer's segments once per batch instead of once per event.
///
/// The ingest thread calls ``mark(customer:changed:)`` for each accepted event (O(1), no hashing) and
/// ``flush(into:engine:scores:now:)`` after the batch, which also runs the clock-driven re-evaluations
/// due by `now`.
public struct SegmentUpdateBatch: Sendable {
    /// Per customer: the inputs changed since the last flush (0: not marked). A customer marked only by
    /// her timer holds exactly ``RuleInputs/clock`` (an event always marks `events` too).
    private var pending: [UInt64] = []
    /// Per customer marked by her timer only: the due time (the moment the clock crossed a boundary).
    private var dueAt: [Int64] = []
    private var touched: [UInt32] = []
    /// ``RuleInputs`` of the `events` field, which every event changes.
    private static let eventBit = RuleInputs(.events).rawValue

    public init() {}

    /// Customers evaluated after their events, and by their timers alone, since the batch was made.
    public private(set) var evaluatedByEvent = 0
    public private(set) var evaluatedByClock = 0
    /// Flushes run.
    public private(set) var flushes = 0
    /// The parts a flush's evaluation is split into, side by side (tests); nil: by the number of
    /// customers and processors (``SegmentMembership/flush(_:parts:engine:scores:into:)``).
    public var parts: Int?

    /// How many customers ahead a flush asks for a profile's lines (and the membership's state), for the
    /// timeline's and orders' headers and the traits (the profile is loaded by then), and for the timeline's
    /// last entries (its count is loaded by then): each stage reads what the one before brought in.
    static let prefetchProfileDistance = 8
    static let prefetchHeaderDistance = 4
    static let prefetchTailDistance = 2

    /// Starts loading every cache line of a profile.
    @inline(__always)
    static func prefetchProfile(_ profile: UnsafePointer<Profile>) {
        let p = UnsafeRawPointer(profile)
        foresight_prefetch_read(p)
        foresight_prefetch_read(p + 64)
        foresight_prefetch_read(p + 128)
        foresight_prefetch_read(p + (MemoryLayout<Profile>.size - 1))
    }

    /// Starts loading the headers (counts) of a customer's timeline and orders and her traits; reads the
    /// profile (``prefetchProfile(_:)`` first).
    @inline(__always)
    static func prefetchHeaders(of profile: UnsafePointer<Profile>, traits: UnsafeBufferPointer<Traits>) {
        // An array's count lies 16 bytes before its first element.
        if let start = profile.pointee.timeline._baseAddressIfContiguous {
            foresight_prefetch_read(UnsafeRawPointer(start) - 16)
        }
        if let start = profile.pointee.orders._baseAddressIfContiguous {
            foresight_prefetch_read(UnsafeRawPointer(start) - 16)
        }
        let t = Int(profile.pointee.traitsIndex)
        if t > 0, t <= traits.count, let base = traits.baseAddress {
            let p = UnsafeRawPointer(base + (t - 1))
            foresight_prefetch_read(p)
            foresight_prefetch_read(p + (MemoryLayout<Traits>.size - 1))
        }
    }

    /// Starts loading the last entries of a customer's timeline (where her stage scan continues and windows
    /// count from); reads its count (``prefetchHeaders(of:traits:)`` first).
    @inline(__always)
    static func prefetchTimelineEnd(of profile: UnsafePointer<Profile>) {
        let count = profile.pointee.timeline.count
        guard count > 0, let start = profile.pointee.timeline._baseAddressIfContiguous else { return }
        let last = UnsafeRawPointer(start + (count - 1))
        foresight_prefetch_read(last)
        foresight_prefetch_read(last - 64)
    }

    /// Customers marked since the last flush.
    public var count: Int { touched.count }

    /// Notes that an event of a customer changed `changed` (``RuleInputs/changed(byEvent:)``).
    @inline(__always)
    public mutating func mark(customer c: UInt32, changed: RuleInputs = .all) {
        let i = Int(c)
        if i >= pending.count { grow(to: i + 1) }
        if pending[i] == 0 { touched.append(c) }
        // An event marks `events` too, so that a customer marked by an event never looks timer-only.
        pending[i] |= changed.rawValue == 0 ? RuleInputs.all.rawValue : changed.rawValue | Self.eventBit
    }

    /// Starts loading a customer's mark (``mark(customer:changed:)`` follows a line later).
    @inline(__always)
    public func prefetchMark(customer c: UInt32) {
        let i = Int(c)
        guard i < pending.count else { return }
        pending.withUnsafeBufferPointer { foresight_prefetch_write($0.baseAddress.map { UnsafeRawPointer($0 + i) }) }
    }

    private mutating func grow(to n: Int) {
        let extra = max(n, pending.count + pending.count / 2) - pending.count
        pending.append(contentsOf: repeatElement(0, count: extra))
        dueAt.append(contentsOf: repeatElement(0, count: extra))
    }

    /// Updates every marked customer once and every customer whose timer is due by `now`, in one pass in
    /// customer order (the profiles, bits and due times are then read in memory order, not at random);
    /// returns all the changes. An event-marked customer's changes are dated at her last event, a timer's
    /// at her due time.
    /// - Complexity: O(marked and due customers × segment evaluation + due customers × log n), plus
    ///   O(customers) to walk the marks when they are many.
    public mutating func flush(into membership: inout SegmentMembership, engine: Engine,
                               scores: some SegmentScoreProvider, now: Int64) -> [SegmentChange] {
        var changes: [SegmentChange] = []
        membership.prepare(for: engine)
        let clockOnly = RuleInputs.clock.rawValue
        membership.popDue(upTo: now) { c, time in
            let i = Int(c)
            if i >= pending.count { grow(to: i + 1) }
            if pending[i] == 0 {
                touched.append(c)
                pending[i] = clockOnly
                dueAt[i] = time
            } else {
                // Marked by her events too: the segments reading the clock are evaluated with the others (her
                // timer was just taken off the queue; skipping them would lose it).
                pending[i] |= clockOnly
            }
        }
        // In customer order: few marks are sorted; many are collected by walking the marks array, which is
        // in customer order already.
        if touched.count * 16 > pending.count {
            touched.removeAll(keepingCapacity: true)
            for i in pending.indices where pending[i] != 0 { touched.append(UInt32(i)) }
        } else {
            touched.sort()
        }
        let customers = engine.profiles.count
        flushes += 1
        var list: [UInt32] = [], marks: [UInt64] = [], due: [Int64] = []
        list.reserveCapacity(touched.count)
        marks.reserveCapacity(touched.count)
        due.reserveCapacity(touched.count)
        var byClock = 0
        pending.withUnsafeMutableBufferPointer { pending in
            for c in touched {
                let i = Int(c), m = pending[i]
                pending[i] = 0
                guard i < customers else { continue }
                list.append(c)
                marks.append(m)
                if m == clockOnly {
                    byClock += 1
                    due.append(dueAt[i])
                } else {
                    due.append(0)
                }
            }
        }
        membership.flush(FlushWork(customers: list, marks: marks, dueAt: due, now: now), parts: parts, engine: engine,
                         scores: scores, into: &changes)
        evaluatedByClock += byClock
        evaluatedByEvent += touched.count - byClock
        touched.removeAll(keepingCapacity: true)
        return changes
    }
}
