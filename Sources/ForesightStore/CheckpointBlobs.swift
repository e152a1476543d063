import ForesightCore

/// The whole-log structures of a checkpoint as blobs (the `blobs` table); formats in docs/STATE.md.
/// Each blob starts with a format number, so that a later version can read an older blob or refuse it.
enum CheckpointBlobs {
    static let format: UInt8 = 1

    static func stats(_ s: IngestStats) -> [UInt8] {
        var w = ByteWriter()
        w.put(format)
        for v in [s.lines, s.accepted, s.duplicates, s.suppressed, s.orders, s.outOfOrder] { w.put(Int64(v)) }
        w.put(s.revenue)
        w.put(s.refunds)
        w.put(s.firstTimestamp)
        w.put(s.lastTimestamp)
        w.putArray(s.rejectedByReason.map(Int64.init))
        w.putArray(s.eventsByName.map(Int64.init))
        return w.bytes
    }

    static func stats(_ bytes: [UInt8]) throws(StoreError) -> IngestStats {
        var r = ByteReader(bytes, what: "the counters")
        try checkFormat(&r)
        var s = IngestStats()
        s.lines = Int(try r.get(Int64.self))
        s.accepted = Int(try r.get(Int64.self))
        s.duplicates = Int(try r.get(Int64.self))
        s.suppressed = Int(try r.get(Int64.self))
        s.orders = Int(try r.get(Int64.self))
        s.outOfOrder = Int(try r.get(Int64.self))
        s.revenue = try r.getDouble()
        s.refunds = try r.getDouble()
        s.firstTimestamp = try r.get(Int64.self)
        s.lastTimestamp = try r.get(Int64.self)
        s.rejectedByReason = try r.getArray(Int64.self).map(Int.init)
        s.eventsByName = try r.getArray(Int64.self).map(Int.init)
        return s
    }

    static func activity(_ a: DailyActivityState) -> [UInt8] {
        var w = ByteWriter(capacity: a.hourlyRevenue.count * 40 + 64)
        w.put(format)
        w.put(Int64(a.firstDay))
        w.put(UInt32(a.hourly.count))
        for series in a.hourly { w.putArray(series) }
        w.putArray(a.hourlyRevenue)
        w.put(UInt32(a.latest.count))
        for series in a.latest { w.putArray(series) }
        return w.bytes
    }

    static func activity(_ bytes: [UInt8]) throws(StoreError) -> DailyActivityState {
        var r = ByteReader(bytes, what: "the activity counters")
        try checkFormat(&r)
        let firstDay = Int(try r.get(Int64.self))
        var hourly: [[Int32]] = []
        for _ in 0..<min(Int(try r.get(UInt32.self)), 64) { hourly.append(try r.getArray(Int32.self)) }
        let revenue = try r.getArray(Double.self)
        var latest: [[Int32]] = []
        for _ in 0..<min(Int(try r.get(UInt32.self)), 64) { latest.append(try r.getArray(Int32.self)) }
        return DailyActivityState(firstDay: firstDay, hourly: hourly, hourlyRevenue: revenue, latest: latest)
    }

    static func dedup(_ d: DedupWindowState) -> [UInt8] {
        var w = ByteWriter(capacity: (d.current.slots.count + d.previous.slots.count + d.previousFilter.count) * 8 + 64)
        w.put(format)
        w.put(UInt8(d.window == nil ? 0 : 1))
        w.put(d.window ?? 0)
        w.put(d.currentStart)
        w.putArray(d.current.slots)
        w.putArray(d.previous.slots)
        w.putArray(d.previousFilter)
        return w.bytes
    }

    static func dedup(_ bytes: [UInt8]) throws(StoreError) -> DedupWindowState {
        var r = ByteReader(bytes, what: "the duplicate window")
        try checkFormat(&r)
        let hasWindow = try r.get(UInt8.self) != 0
        let window = try r.get(Int64.self)
        let start = try r.get(Int64.self)
        let current = try r.getArray(UInt64.self)
        let previous = try r.getArray(UInt64.self)
        let filter = try r.getArray(UInt64.self)
        return DedupWindowState(window: hasWindow ? window : nil, currentStart: start, current: FingerprintTable(slots: current),
                                previous: FingerprintTable(slots: previous), previousFilter: filter)
    }

    /// The live tail: total appended, then (customer u32, 16-byte timeline entry) oldest first.
    static func recentEvents(_ events: [RecentEvent], total: Int) -> [UInt8] {
        var w = ByteWriter(capacity: events.count * 20 + 16)
        w.put(format)
        w.put(Int64(total))
        w.putArray(events.map(\.customer))
        w.putArray(events.map(\.entry))
        return w.bytes
    }

    static func recentEvents(_ bytes: [UInt8]) throws(StoreError) -> (events: [RecentEvent], total: Int) {
        var r = ByteReader(bytes, what: "the live tail")
        try checkFormat(&r)
        let total = Int(try r.get(Int64.self))
        let customers = try r.getArray(UInt32.self)
        let entries = try r.getArray(TimelineEntry.self)
        guard customers.count == entries.count else { throw StoreError.damaged("the live tail is inconsistent") }
        return (zip(customers, entries).map { RecentEvent(customer: $0, entry: $1) }, total)
    }

    /// A customer's orders, 40 bytes each: key u64, time i64, revenue f64, refunded f64, product start u32,
    /// product count u16, cancelled u8, a zero byte.
    static func orders(_ orders: [OrderRecord], into w: inout ByteWriter) {
        for o in orders {
            w.put(o.key)
            w.put(o.time)
            w.put(o.revenue)
            w.put(o.refunded)
            w.put(o.productStart)
            w.put(o.productCount)
            w.put(UInt8(o.cancelled ? 1 : 0))
            w.put(UInt8(0))
        }
    }

    static let orderBytes = 40

    static func orders(_ raw: UnsafeRawBufferPointer) throws(StoreError) -> [OrderRecord] {
        guard raw.count % orderBytes == 0 else { throw StoreError.damaged("a customer's order list has a partial record") }
        var out: [OrderRecord] = []
        out.reserveCapacity(raw.count / orderBytes)
        var r = ByteReader(Array(raw), what: "an order list")
        while !r.isAtEnd {
            var o = OrderRecord(key: try r.get(UInt64.self), time: try r.get(Int64.self), revenue: try r.getDouble(),
                                productStart: 0, productCount: 0)
            o.refunded = try r.getDouble()
            o.productStart = try r.get(UInt32.self)
            o.productCount = try r.get(UInt16.self)
            o.cancelled = try r.get(UInt8.self) != 0
            _ = try r.get(UInt8.self)
            out.append(o)
        }
        return out
    }

    static func uint32s(_ a: [UInt32]) -> [UInt8] {
        var w = ByteWriter(capacity: a.count * 4 + 8)
        w.put(format)
        w.putArray(a)
        return w.bytes
    }

    static func uint32s(_ bytes: [UInt8], what: String) throws(StoreError) -> [UInt32] {
        var r = ByteReader(bytes, what: what)
        try checkFormat(&r)
        return try r.getArray(UInt32.self)
    }

    private static func checkFormat(_ r: inout ByteReader) throws(StoreError) {
        let f = try r.get(UInt8.self)
        guard f == format else { throw StoreError.damaged("\(r.what) has format \(f), this version reads \(format)") }
    }
}
