#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
import Synchronization

/// The wall clock the simulator runner reads and sleeps on; tests inject a manual one.
public protocol SimulationClock: Sendable {
    /// The current wall time in milliseconds since the epoch.
    func now() -> Int64
    /// Returns once the wall time has reached `deadline` (milliseconds since the epoch).
    func sleep(until deadline: Int64)
}

/// The real clock: `clock_gettime(CLOCK_REALTIME)` and `nanosleep`.
public struct SystemClock: SimulationClock {
    /// Creates the system clock.
    public init() {}

    /// The current wall time in milliseconds since the epoch.
    public func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    /// Sleeps until `deadline`; returns at once when it has passed.
    public func sleep(until deadline: Int64) {
        let remaining = deadline - now()
        guard remaining > 0 else { return }
        var request = timespec(tv_sec: Int(remaining / 1000), tv_nsec: Int(remaining % 1000) * 1_000_000)
        var left = timespec()
        while nanosleep(&request, &left) != 0 && errno == EINTR {
            request = left
        }
    }
}

/// A flag another thread (or a signal handler's queue) sets to stop a running simulator.
public final class StopFlag: Sendable {
    private let stopped = Atomic<Bool>(false)

    /// Creates a flag that is not set.
    public init() {}

    /// Asks the runner to stop after its current batch.
    public func stop() {
        stopped.store(true, ordering: .releasing)
    }

    /// Whether `stop()` was called.
    public var isStopped: Bool {
        stopped.load(ordering: .acquiring)
    }
}
