/// A list of lists stored as one list and a range per inner list: reading the lists on a hot path retains and
/// releases nothing (an array of arrays retained the inner array for every read).
struct PackedLists<Element: Sendable>: Sendable {
    private var items: [Element] = []
    private var ranges: [(start: Int32, end: Int32)] = []

    init() {}

    init(_ lists: [[Element]]) {
        for list in lists { append(list) }
    }

    /// Adds a list at the end (its number is the count before).
    mutating func append(_ list: [Element]) {
        ranges.append((Int32(items.count), Int32(items.count + list.count)))
        items += list
    }

    /// The number of lists.
    var count: Int { ranges.count }

    /// Where list `i` is (empty for a number past the end): indices of ``subscript(_:)``.
    @inline(__always)
    func range(_ i: Int) -> Range<Int> {
        guard i < ranges.count else { return 0..<0 }
        let r = ranges[i]
        return Int(r.start)..<Int(r.end)
    }

    /// An element of a list, by its index in ``range(_:)``.
    @inline(__always)
    subscript(_ k: Int) -> Element { items[k] }
}
