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
