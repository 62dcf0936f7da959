/// What became of the measured requests of a run, a segment or an operation: how many went out,
/// the replies by outcome (`ok` or the error code), those never answered, and their latencies.
public struct BenchTally: Sendable, Equatable {
    /// The outcome of a reply that was not a JSON object with a boolean `ok`.
    public static let malformed = "malformed_reply"
    public static let ok = "ok"
    public static let busy = "busy"

    public var sent: Int64 = 0
    /// Replies by outcome: `ok`, an error code, or `malformed_reply`.
    public var outcomes: [String: Int64] = [:]
    /// Requests without a reply when the run ended (after its drain time).
    public var unanswered: Int64 = 0
    /// Every reply's latency, in nanoseconds.
    public var latency = HdrHistogram()
    /// The latencies of replies other than `busy`: the requests the server admitted.
    public var admittedLatency = HdrHistogram()
    /// The latencies of `busy` replies: how fast excess load is turned away.
    public var busyLatency = HdrHistogram()

    public init() {}

    public var replies: Int64 { outcomes.values.reduce(0, +) }
    public var okReplies: Int64 { outcomes[Self.ok] ?? 0 }
    public var busyReplies: Int64 { outcomes[Self.busy] ?? 0 }
    /// Replies that are neither `ok` nor `busy`.
    public var failedReplies: Int64 { replies - okReplies - busyReplies }

    public mutating func record(outcome: String, latency nanoseconds: Int64) {
        outcomes[outcome, default: 0] += 1
        latency.record(nanoseconds)
        if outcome == Self.busy { busyLatency.record(nanoseconds) } else { admittedLatency.record(nanoseconds) }
    }
}
