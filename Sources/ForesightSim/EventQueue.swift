/// Encoded event lines waiting to be written, released in timestamp order.
///
/// Sessions are generated customer by customer, and some events lie days ahead (a refund, a review),
/// so lines are encoded into one byte arena and indexed by a binary min-heap on (time, sequence).
/// `drain(before:)` releases every line older than a cut-off, which keeps the output in global time
/// order while memory holds only what is still in the future.
struct EventQueue {
    struct Record {
        var time: Int64
        var sequence: Int
        var start: Int
        var length: Int
    }

    /// The encoded lines; writers append one line between `begin` and `commit`.
    var arena: [UInt8] = []
    private var heap: [Record] = []
    private var sequence = 0
    private var lineStart = 0
    private var lineTime: Int64 = 0
    /// The other half of a double buffer that `compact()` copies live lines into.
    private var spare: [UInt8] = []
    private var pushedSinceDrain = 0
    /// Bytes of the arena that belong to lines already released.
    private var deadBytes = 0

    /// The number of lines waiting.
    var count: Int { heap.count }

    /// The number of lines committed since the queue was made.
    var committed: Int { sequence }
    /// Lines committed with a time before `nearLimit`, counted for pacing the simulator.
    private(set) var committedNear = 0
    /// See `committedNear`.
    var nearLimit: Int64 = .max

    init() {
        arena.reserveCapacity(1 << 20)
    }

    /// Starts a line with the given event time; the caller then appends its bytes to `arena`.
    @inline(__always)
    mutating func begin(time: Int64) {
        lineStart = arena.count
        lineTime = time
    }

    /// Ends the line started by `begin`, appending the newline.
    @inline(__always)
    mutating func commit() {
        arena.append(0x0A)
        let record = Record(time: lineTime, sequence: sequence, start: lineStart, length: arena.count - lineStart)
        Self.push(record, onto: &heap)
        sequence += 1
        pushedSinceDrain += 1
        if lineTime < nearLimit { committedNear += 1 }
    }

    /// Throws away a line started by `begin` without committing it.
    mutating func discard() {
        arena.removeSubrange(lineStart...)
    }

    /// Passes every line with a time before `cutoff` to `stage`, oldest first, appending to `out`;
    /// whenever `out` reaches `limit` bytes it is handed to `flush`, which is expected to empty it.
    ///
    /// - Returns: the number of lines released.
    /// - Complexity: O(k log n) for k lines released out of n waiting, plus an occasional compaction.
    @discardableResult
    mutating func drain(
        before cutoff: Int64, through stage: inout OutputStage, into out: inout [UInt8],
        flushingAt limit: Int = .max, flush: (inout [UInt8]) throws -> Void
    ) rethrows -> Int {
        var released = 0
        var freed = 0
        var waiting: [Record] = []
        swap(&waiting, &heap)
        defer {
            swap(&waiting, &heap)
            deadBytes += freed
            pushedSinceDrain = 0
            if heap.isEmpty {
                arena.removeAll(keepingCapacity: true)
                deadBytes = 0
            } else if deadBytes > (1 << 22) && deadBytes * 2 > arena.count {
                compact()
            }
        }
        // When most lines are new since the last drain (the generator's day), one sort beats popping
        // each line; a sorted array is still a valid heap.
        let sortWhole = waiting.count > 4_096 && waiting.count < 4 * pushedSinceDrain
        if sortWhole { waiting.sort(by: Self.precedes) }
        try arena.withUnsafeBufferPointer { bytes in
            if sortWhole {
                defer { waiting.removeFirst(released) }
                while released < waiting.count && waiting[released].time < cutoff {
                    let top = waiting[released]
                    stage.emit(line: UnsafeBufferPointer(rebasing: bytes[top.start..<(top.start + top.length)]), into: &out)
                    freed += top.length
                    released += 1
                    if out.count >= limit { try flush(&out) }
                }
            } else {
                while let top = waiting.first, top.time < cutoff {
                    stage.emit(line: UnsafeBufferPointer(rebasing: bytes[top.start..<(top.start + top.length)]), into: &out)
                    freed += top.length
                    Self.popTop(&waiting)
                    released += 1
                    if out.count >= limit { try flush(&out) }
                }
            }
        }
        return released
    }

    /// Drops the lines with a time before `cutoff` without writing them.
    mutating func discard(before cutoff: Int64) {
        while let top = heap.first, top.time < cutoff {
            deadBytes += top.length
            Self.popTop(&heap)
        }
        if heap.isEmpty {
            removeAll()
        } else if deadBytes * 2 > arena.count {
            compact()
        }
    }

    /// Drops every waiting line (those beyond the end of a generated period).
    mutating func removeAll() {
        heap.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
        deadBytes = 0
    }

    /// Copies the live lines to the spare arena and swaps the two, so released bytes are reclaimed
    /// while both arenas keep their capacity.
    private mutating func compact() {
        spare.removeAll(keepingCapacity: true)
        spare.reserveCapacity(arena.count - deadBytes)
        for i in heap.indices {
            let start = heap[i].start
            heap[i].start = spare.count
            spare.append(contentsOf: arena[start..<(start + heap[i].length)])
        }
        swap(&arena, &spare)
        deadBytes = 0
    }

    @inline(__always)
    private static func precedes(_ a: Record, _ b: Record) -> Bool {
        a.time < b.time || (a.time == b.time && a.sequence < b.sequence)
    }

    private static func push(_ record: Record, onto heap: inout [Record]) {
        heap.append(record)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(record, heap[parent]) else { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = record
    }

    private static func popTop(_ heap: inout [Record]) {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        let count = heap.count
        var parent = 0
        while true {
            var child = 2 * parent + 1
            if child >= count { break }
            if child + 1 < count && precedes(heap[child + 1], heap[child]) { child += 1 }
            guard precedes(heap[child], last) else { break }
            heap[parent] = heap[child]
            parent = child
        }
        heap[parent] = last
    }
}
