import CForesightSupport

extension Engine {
    /// Entries a timeline has room for at its first event.
    static let initialTimelineCapacity = 8

    /// Applies the parsed event in `parser.event` to a customer.
    mutating func apply(customer c: Int, line: UnsafeRawBufferPointer, timelinePrefetched: Bool = false) {
        let time = parser.event.timestamp
        // The event name first: it does not need the profile, whose load (prefetched in `ingest`) is in flight.
        let name = nameID(line: line)
        lastEventName = name
        // Then start loading the end of the timeline, where the entry goes: the timeline's address is in the
        // profile, so this waits for the profile, but the rest of the decoding below overlaps the load.
        if !timelinePrefetched { prefetchTimelineEnd(of: c) }
        stats.accepted += 1
        stats.eventsByName[Int(name)] += 1
        if time < stats.firstTimestamp { stats.firstTimestamp = time }
        if time > stats.lastTimestamp { stats.lastTimestamp = time }

        let channel = parser.event.channel.isPresent ? parser.withBytes(parser.event.channel, in: line) { Channel.match($0) } : Channel.none
        var kind = ItemKind.none
        var item: UInt32 = 0
        var value = Float32.nan

        switch KnownEvent(rawValue: name) {
        case .orderCompleted?, .orderUpdated?, .orderCancelled?, .orderRefunded?:
            let (index, amount) = applyOrder(customer: c, name: name, time: time, line: line)
            if let index { kind = .order; item = UInt32(index) }
            value = Float32(amount)
        case .pageViewed?, .screenViewed?:
            if parser.event.name.isNonEmpty {
                kind = .label
                item = parser.withBytes(parser.event.name, in: line) { labels.intern($0) }
            }
        case .emailDelivered?, .emailOpened?, .emailLinkClicked?, .emailBounced?, .unsubscribed?:
            if parser.event.campaignName.isNonEmpty {
                kind = .campaign
                item = parser.withBytes(parser.event.campaignName, in: line) { labels.intern($0) }
            }
        case .identify?:
            applyTraits(customer: c, line: line)
        case .supportTicketOpened?:
            value = Float32(parser.event.sentiment)
        case .productReviewed?:
            // The rating, for the stage rules (also without a product).
            value = Float32(parser.event.rating)
        default:
            break
        }
        if kind == .none {
            let product = parser.event.product.id.isNonEmpty ? parser.event.product : parser.event.products.first ?? RawProduct()
            if product.id.isNonEmpty {
                kind = .product
                item = internProduct(product, line: line)
                value = Float32(name == KnownEvent.productReviewed.id ? parser.event.rating : product.price)
            } else if product.category.isNonEmpty {
                kind = .category
                item = parser.withBytes(product.category, in: line) { categories.intern($0) }
            }
        }

        updateProfile(customer: c, name: name, time: time, channel: channel,
                      entry: TimelineEntry(time: time, name: name, channel: channel, kind: kind, item: item, value: value))
    }

    private mutating func updateProfile(customer c: Int, name: UInt16, time: Int64, channel: Channel, entry: TimelineEntry) {
        let gap = config.sessionGapMs
        let sentiment = parser.event.sentiment
        let rating = parser.event.rating
        var outOfOrder = false
        activity.add(.events, at: time)
        let (first, last) = (profiles[c].firstSeen, profiles[c].lastSeen)
        if time > last { activity.move(.lastSeen, from: last == Int64.min ? nil : last, to: time) }
        if time < first { activity.moveNewCustomer(from: first == Int64.max ? nil : first, to: time) }
        recentEvents.append(RecentEvent(customer: UInt32(c), entry: entry))
        lastEntry = entry
        lastEntrySeenBefore = last
        // First event of the customer that day? In order, the latest event tells; out of order, the timeline.
        let seenThatDay = last == Int64.min ? false
            : time >= last ? Timestamp.day(last) == Timestamp.day(time)
            : Self.hasEvent(onDayOf: time, in: profiles[c].timeline)
        if !seenThatDay { activity.add(.activeCustomers, at: time) }
        profiles.withUnsafeMutableBufferPointer { all in
            // In place: no copy of the profile or its timeline.
            all[c].events &+= 1
            if time < all[c].firstSeen { all[c].firstSeen = time }
            if time > all[c].lastSeen { all[c].lastSeen = time }
            if channel != .none { all[c].channels |= channel.bit }
            switch KnownEvent(rawValue: name) {
            case .pageViewed?, .screenViewed?: all[c].pageViews &+= 1
            case .productViewed?: all[c].productViews &+= 1
            case .productAdded?: all[c].cartAdds &+= 1
            case .productRemoved?: all[c].cartRemoves &+= 1
            case .checkoutStarted?: all[c].checkouts &+= 1
            case .emailDelivered?: all[c].emailsDelivered &+= 1
            case .emailOpened?: all[c].emailOpens &+= 1
            case .emailLinkClicked?: all[c].emailClicks &+= 1
            case .supportTicketOpened?: all[c].supportTickets &+= 1
            case .productShared?, .referralSent?: all[c].advocacy &+= 1
            case .productReviewed?: if rating >= 4 { all[c].advocacy &+= 1 }
            default: break
            }
            if !sentiment.isNaN {
                all[c].sentimentSum += Float(max(-1, min(1, sentiment)))
                all[c].sentimentCount &+= 1
            }
            // Timeline in time order, with the session count kept exact under out-of-order inserts.
            if let last = all[c].timeline.last {
                if time >= last.time {
                    if time - last.time > gap { all[c].sessions &+= 1 }
                    all[c].timeline.append(entry)
                } else {
                    outOfOrder = true
                    let index = Self.insertionIndex(all[c].timeline, time)
                    let next = all[c].timeline[index].time
                    var delta = next - time > gap ? 1 : 0
                    if index > 0 {
                        let prev = all[c].timeline[index - 1].time
                        delta += (time - prev > gap ? 1 : 0) - (next - prev > gap ? 1 : 0)
                    }
                    all[c].sessions = UInt32(Int(all[c].sessions) + delta)
                    all[c].timeline.insert(entry, at: index)
                }
            } else {
                all[c].sessions = 1
                // Room for 8 entries at once: an array growing from empty reallocates (and copies) at 1, 2, 4
                // and 8 entries; those reallocations were ~200 instructions per event, and a customer's
                // old timeline is a cache miss to copy. Capacities from 16 on are those doubling gives anyway.
                all[c].timeline.reserveCapacity(Self.initialTimelineCapacity)
                all[c].timeline.append(entry)
            }
        }
        if outOfOrder { stats.outOfOrder += 1 }
    }

    /// Whether a time-ordered timeline holds an event on the UTC day of `time` (checks the neighbours of
    /// where `time` would go).
    static func hasEvent(onDayOf time: Int64, in timeline: [TimelineEntry]) -> Bool {
        guard let last = timeline.last else { return false }
        let day = Timestamp.day(time)
        if time >= last.time { return Timestamp.day(last.time) == day }
        let i = insertionIndex(timeline, time)
        if Timestamp.day(timeline[i].time) == day { return true }
        return i > 0 && Timestamp.day(timeline[i - 1].time) == day
    }

    /// First index whose time is greater than `time` (so equal times keep arrival order).
    static func insertionIndex(_ timeline: [TimelineEntry], _ time: Int64) -> Int {
        var lo = 0, hi = timeline.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if timeline[mid].time <= time { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// ``insertionIndex(_:_:)`` found by walking back from the end first: a campaign timer asks about a time
    /// a little before the latest events (the end of the timeline is likely in cache, its middle is not).
    static func insertionIndexFromEnd(_ timeline: [TimelineEntry], _ time: Int64) -> Int {
        var i = timeline.count
        var steps = 0
        while i > 0 && timeline[i - 1].time > time {
            i -= 1
            steps += 1
            if steps == 16 { return insertionIndex(timeline, time) }
        }
        return i
    }

    mutating func internProduct(_ product: RawProduct, line: UnsafeRawBufferPointer) -> UInt32 {
        let id = parser.withBytes(product.id, in: line) { products.intern($0) }
        if Int(id) >= productCategory.count { productCategory.append(0) }
        if product.category.isNonEmpty && productCategory[Int(id)] == 0 {
            let category = parser.withBytes(product.category, in: line) { categories.intern($0) }
            productCategory[Int(id)] = category + 1
        }
        return id
    }
}
