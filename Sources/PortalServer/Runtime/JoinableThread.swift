import Dispatch
import Foundation

/// A named OS thread that can be waited for. Broker and workers each need a thread of their own
/// because a ZeroMQ socket must stay on the thread that created it.
final class JoinableThread: Sendable {
    private let finished = DispatchSemaphore(value: 0)

    init(name: String, body: @escaping @Sendable () -> Void) {
        let thread = Thread { [finished] in
            body()
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Blocks until the thread's body has returned.
    func join() {
        finished.wait()
        finished.signal()
    }

    /// Blocks until the thread's body has returned or `seconds` have passed; whether it returned.
    func join(timeout seconds: Double) -> Bool {
        guard finished.wait(timeout: .now() + seconds) == .success else { return false }
        finished.signal()
        return true
    }
}
