import Dispatch
import Synchronization

/// A value handed from one thread to another exactly once; the receiver blocks until it arrives.
final class OneShot<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)
    private let arrived = DispatchSemaphore(value: 0)

    func send(_ newValue: Value) {
        value.withLock { $0 = newValue }
        arrived.signal()
    }

    func wait() -> Value {
        arrived.wait()
        return value.withLock { $0! }
    }
}
