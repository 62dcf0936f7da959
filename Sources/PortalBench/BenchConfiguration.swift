/// How a bench run offers its load.
public struct BenchConfiguration: Sendable, Equatable {
    /// DEALER sockets, each its own connection to the server.
    public var connections = 4
    /// Requests in flight per connection: exactly this many in a closed loop; at most this many
    /// in an open loop, where a request due while the window is full waits (and its latency
    /// includes the wait).
    public var window = 16
    /// Measured seconds of a closed-loop run (an open-loop run takes its profile's).
    public var durationSeconds = 10.0
    /// Seconds of load before measuring, not reported: connections, caches and the page cache warm up.
    public var warmupSeconds = 2.0
    /// Set: an open-loop run at these rates. Nil: a closed loop.
    public var rate: RateProfile?
    /// Seconds to wait for outstanding replies after the last request; those still missing then
    /// count as unanswered.
    public var drainSeconds = 5.0

    public init() {}

    /// The measured seconds.
    public var measuredSeconds: Double { rate?.totalSeconds ?? durationSeconds }
}
