/// Bytes held by the engine's state, by part: the figure behind "bytes per customer".
public struct MemoryFootprint: Sendable, Equatable, Codable {
    public var profiles: Int
    public var timelines: Int
    public var orders: Int
    public var traits: Int
    public var interners: Int
    public var deduplication: Int

    public var total: Int { profiles + timelines + orders + traits + interners + deduplication }
}

extension Engine {
    /// Bytes allocated for the state (array capacities, not just counts).
    /// - Complexity: O(customers).
    public func memoryFootprint() -> MemoryFootprint {
        // Each heap array also carries a 32-byte header plus allocator overhead (~16 bytes).
        let arrayOverhead = 48
        var timelines = 0, orders = 0
        for p in profiles {
            if p.timeline.capacity > 0 { timelines += p.timeline.capacity * MemoryLayout<TimelineEntry>.stride + arrayOverhead }
            if p.orders.capacity > 0 { orders += p.orders.capacity * MemoryLayout<OrderRecord>.stride + arrayOverhead }
        }
        orders += orderProducts.capacity * 4
        var traitBytes = traits.capacity * MemoryLayout<Traits>.stride
        for t in traits { traitBytes += (t.email?.utf8.count ?? 0) + (t.name?.utf8.count ?? 0) }
        return MemoryFootprint(
            profiles: profiles.capacity * MemoryLayout<Profile>.stride,
            timelines: timelines,
            orders: orders,
            traits: traitBytes,
            interners: customers.byteSize + eventNames.byteSize + products.byteSize + categories.byteSize + labels.byteSize + productCategory.capacity * 4,
            deduplication: seenMessages.byteSize
        )
    }
}

extension Engine {
    /// A copy whose customers' timelines are buffers of its own, for a job that reads the engine for seconds on
    /// another thread (a model fit, a score run). A plain copy shares every array with the ingest thread's
    /// engine: the first event after it copies the profiles array once, and then each customer's next event
    /// copies her whole timeline, for as long as the job holds the copy (in the 10M-event dry run, some 2,500 of
    /// the ingest thread's 25,000 samples). Made on the job's thread from a plain copy that it drops at once, it
    /// leaves the ingest thread only the copies of the moment it takes.
    /// - Complexity: O(customers + timeline entries), on the calling thread.
    public func detachingTimelines() -> Engine {
        var copy = self
        copy.profiles = profiles.map { shared in
            var p = shared
            p.timeline = p.timeline.withUnsafeBufferPointer { Array($0) }
            return p
        }
        return copy
    }
}
