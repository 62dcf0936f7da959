import Foundation
import Synchronization

/// Runs `body(0)`, …, `body(count - 1)` at the same time, each on an OS thread of its own, and
/// returns the results in that order; rethrows the first error.
///
/// Not `DispatchQueue.concurrentPerform`: it runs only as many bodies at once as there are cores,
/// and ZeroMQ sockets are bound to the thread that made them.
func onSeparateThreads<T: Sendable>(
    _ count: Int, timeout: Duration = .seconds(60), _ body: @escaping @Sendable (Int) throws -> T
) throws -> [T] {
    let outcomes = ThreadOutcomes<T>()
    let finished = DispatchSemaphore(value: 0)
    for index in 0..<count {
        let thread = Thread {
            let outcome = Result { try body(index) }
            outcomes.storage.withLock { $0[index] = outcome }
            finished.signal()
        }
        thread.name = "e2e-client-\(index)"
        thread.start()
    }
    let deadline = DispatchTime.now() + .milliseconds(Int(timeout / .milliseconds(1)))
    for _ in 0..<count {
        if finished.wait(timeout: deadline) == .timedOut {
            throw HarnessError("\(count) threads did not all finish within \(timeout)")
        }
    }
    let results = outcomes.storage.withLock { $0 }
    return try (0..<count).map { try results[$0]!.get() }
}

private final class ThreadOutcomes<T: Sendable>: Sendable {
    let storage = Mutex<[Int: Result<T, any Error>]>([:])
}
