import Foundation
import Synchronization

/// A background thread that runs one loop until asked to stop: the shared start/stop of the live ingestor
/// and the refreshers.
final class WorkerThread: Sendable {
    private let stopFlag = Atomic<Bool>(false)
    private let runningFlag = Atomic<Bool>(false)

    /// True once ``stop(timeout:clock:)`` was called: the loop should return.
    var stopRequested: Bool { stopFlag.load(ordering: .acquiring) }
    /// True from ``start(_:)`` until the loop returned.
    var isRunning: Bool { runningFlag.load(ordering: .acquiring) }

    /// Runs `loop` on a new thread; does nothing when already started.
    func start(_ loop: @escaping @Sendable () -> Void) {
        guard !runningFlag.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Thread.detachNewThread { [self] in
            loop()
            runningFlag.store(false, ordering: .releasing)
        }
    }

    /// Asks the loop to stop and waits up to `timeout` seconds of `clock` for it to return.
    func stop(timeout: Double, clock: () -> Double) {
        stopFlag.store(true, ordering: .releasing)
        let deadline = clock() + timeout
        while isRunning && clock() < deadline { usleep(5_000) }
    }
}
