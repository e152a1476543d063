/// The keys of an ``Interner`` as plain arrays, for checkpoints: every key's bytes back to back in id
/// order, and where each starts. The lookup table is not part of it: it is rebuilt on restore.
public struct InternerKeys: Sendable, Equatable {
    /// The bytes of all keys, in id order.
    public var arena: [UInt8]
    /// `starts[id]..<starts[id + 1]` is the key of `id` in ``arena``; `starts[0] == 0`.
    public var starts: [UInt32]

    /// Keys as they are stored.
    public init(arena: [UInt8], starts: [UInt32]) {
        self.arena = arena
        self.starts = starts
    }

    /// The number of keys.
    public var count: Int { max(0, starts.count - 1) }

    /// Why these arrays cannot be an interner's keys, or nil when they can.
    public var problem: String? {
        guard starts.first == 0 else { return "the first key does not start at 0" }
        var previous: UInt32 = 0
        for s in starts.dropFirst() {
            if s < previous { return "key offsets go backwards" }
            previous = s
        }
        if Int(previous) != arena.count { return "the keys end at byte \(previous) of \(arena.count)" }
        return nil
    }
}

extension Interner {
    /// Every key with its id (its position), to write in a checkpoint.
    /// - Complexity: O(1): the arrays are shared copy-on-write.
    public var keys: InternerKeys { InternerKeys(arena: arena, starts: starts) }

    /// An interner holding `keys` with the same ids, its table rebuilt.
    /// - Parameter capacity: the table is sized for at least this many keys (as ``init(capacity:)``).
    /// - Returns: nil when the arrays are inconsistent (``InternerKeys/problem``).
    /// - Complexity: O(total key bytes).
    public init?(restoring keys: InternerKeys, capacity: Int = 1024) {
        guard keys.problem == nil else { return nil }
        self.init(capacity: max(capacity, keys.count))
        arena = keys.arena
        starts = keys.starts
        let all = arena
        all.withUnsafeBytes { bytes in
            for id in 0..<count {
                let key = UnsafeRawBufferPointer(rebasing: bytes[Int(starts[id])..<Int(starts[id + 1])])
                place(id: UInt32(id), key: key, hash: hashBytes(key))
            }
        }
    }

    /// A copy without the keys of `removed`; the ids of the keys after each removed one move down.
    /// - Complexity: O(total key bytes).
    func removing(_ removed: Set<UInt32>) -> Interner {
        var arena: [UInt8] = []
        var starts: [UInt32] = [0]
        arena.reserveCapacity(self.arena.count)
        starts.reserveCapacity(self.starts.count)
        for id in 0..<count where !removed.contains(UInt32(id)) {
            arena.append(contentsOf: self.arena[Int(self.starts[id])..<Int(self.starts[id + 1])])
            starts.append(UInt32(truncatingIfNeeded: arena.count))
        }
        return Interner(restoring: InternerKeys(arena: arena, starts: starts), capacity: slots.count / 2) ?? Interner(capacity: 16)
    }
}
