import Synchronization

/// Counters the server keeps while it runs, read by `system.info`.
///
/// Atomics rather than a lock: the broker bumps them on every frame and must never wait for a
/// worker that is reading them.
public final class ServerStatistics: Sendable {
    /// Request lines admitted for execution.
    public let admittedLines = Atomic<Int>(0)
    /// Request lines answered `busy` because the backlog was full or the server was stopping.
    public let busyLines = Atomic<Int>(0)
    /// Frames answered with a single `too_large` line.
    public let tooLargeFrames = Atomic<Int>(0)
    /// Reply frames that could not be delivered: the peer had gone, or stopped reading for too long.
    public let undeliverableReplies = Atomic<Int>(0)
    /// Request lines admitted and not yet answered (the backlog's current fill).
    public let backlogLines = Atomic<Int>(0)
    /// The last event `seq` sent on the event socket.
    public let publishedSeq = Atomic<Int64>(0)

    public init() {}
}
