import CZeroMQ
import Glibc
import Synchronization

/// A libzmq context: owns the I/O threads that every socket of it shares.
///
/// libzmq contexts are thread-safe, which is why this type is `Sendable` where sockets are not.
/// Each socket keeps its context alive, so the context is terminated only after the last socket
/// has been closed and `zmq_ctx_term` cannot hang on a forgotten socket of ours.
public final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    private let terminated = Mutex(false)

    /// Creates a context with `ioThreads` background I/O threads (libzmq's default is one).
    public init(ioThreads: Int32 = 1) throws {
        guard let handle = zmq_ctx_new() else { throw ZMQError.last("zmq_ctx_new") }
        self.handle = handle
        if zmq_ctx_set(handle, ZMQ_IO_THREADS, ioThreads) != 0 {
            let error = ZMQError.last("set ZMQ_IO_THREADS")
            zmq_ctx_term(handle)
            throw error
        }
    }

    deinit { terminate() }

    /// Whether `terminate()` has been called; no socket may be created after it.
    var isTerminated: Bool { terminated.withLock { $0 } }

    /// Terminates the context: blocks until every socket of it is closed and their unsent
    /// messages are sent or their linger period is over. Call it before the process exits, or
    /// replies queued just before the sockets closed may never leave. Later calls do nothing.
    public func terminate() {
        let alreadyTerminated = terminated.withLock { done in
            defer { done = true }
            return done
        }
        guard !alreadyTerminated else { return }
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }

    /// The libzmq version linked at run time, e.g. "4.3.4".
    public static var libraryVersion: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}
