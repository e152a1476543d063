/// An accepted event with its customer, as the live tail shows it.
public struct RecentEvent: Sendable, Equatable {
    public var customer: UInt32
    public var entry: TimelineEntry

    public init(customer: UInt32, entry: TimelineEntry) {
        self.customer = customer
        self.entry = entry
    }
}

/// The latest accepted events in arrival order, in a fixed ring.
public struct RecentEvents: Sendable {
    public let capacity: Int
    private var ring: [RecentEvent] = []
    private var next = 0
    /// Events ever appended.
    public internal(set) var total = 0

    public init(capacity: Int = 256) { self.capacity = capacity }

    @inline(__always)
    public mutating func append(_ event: RecentEvent) {
        total &+= 1
        if ring.count < capacity { ring.append(event) } else {
            ring[next] = event
            next = next + 1 == capacity ? 0 : next + 1
        }
    }

    /// The newest `limit` events, newest first.
    public func newest(_ limit: Int) -> [RecentEvent] {
        var out: [RecentEvent] = []
        out.reserveCapacity(min(limit, ring.count))
        var i = ring.count < capacity ? ring.count - 1 : (next - 1 + capacity) % capacity
        while out.count < min(limit, ring.count) {
            out.append(ring[i])
            i = i == 0 ? ring.count - 1 : i - 1
        }
        return out
    }

    /// Drops the events of one customer (erasure).
    public mutating func remove(customer: UInt32) {
        let kept = newest(ring.count).reversed().filter { $0.customer != customer }
        ring = Array(kept)
        next = ring.count == capacity ? 0 : ring.count
    }
}
