/// How long frames wait in the backlog, and whether one may wait at all.
///
/// A backlog bounded only by lines lets admitted requests wait for as long as the workers need
/// to work it off: under three times the capacity, 20,000 lines meant 24 s. Waiting that long
/// helps nobody (the client has timed out or the user left), so a frame may wait at most
/// `maxWait` for a worker. The pace (how long a line takes, a moving average over the workers'
/// finished batches) turns the lines waiting ahead into an expected wait, so the excess gets
/// `busy` at once; a frame that waited past `maxWait` anyway is answered `busy` instead of run.
/// Frames are admitted only while the expected wait is within half of `maxWait`: the other half
/// is the estimate's margin of error, so that admitted frames rarely run out of time after
/// waiting (a `busy` then comes late, and the wait was wasted).
///
/// The arithmetic runs on nanoseconds as `Double`: the broker asks for every frame it receives
/// and every batch it hands out, and `Duration`'s 128-bit products and quotients were a
/// twentieth of its work per request.
struct BacklogPace {
    let maxWait: Duration
    let workers: Int
    private let maxWaitNanoseconds: Double
    /// Average time a worker spends per request line, in nanoseconds; zero until the first batch is done.
    private var perLineNanoseconds = 0.0

    /// Weight of the newest batch in the moving average: recent enough to follow a change of
    /// workload within a few dozen batches, steady enough that one slow command does not swing it.
    static let newestWeight = 0.2

    init(maxWait: Duration, workers: Int) {
        self.maxWait = maxWait
        self.workers = max(1, workers)
        self.maxWaitNanoseconds = Self.nanoseconds(maxWait)
    }

    /// Average time a worker spends per request line; zero until the first batch is done.
    var perLine: Duration { .nanoseconds(Int64(perLineNanoseconds.rounded())) }

    /// Whether a batch has been timed (a batch of no time at all leaves it unmeasured).
    var isMeasured: Bool { perLineNanoseconds > 0 }

    /// Records a batch of `lines` that took `elapsed` on one worker.
    mutating func record(lines: Int, elapsed: Duration) {
        guard lines > 0 else { return }
        let latest = Self.nanoseconds(elapsed) / Double(lines)
        perLineNanoseconds = perLineNanoseconds == 0
            ? latest : perLineNanoseconds * (1 - Self.newestWeight) + latest * Self.newestWeight
    }

    /// Whether a frame arriving behind `waitingLines` lines is expected to wait longer than
    /// half of `maxWait`.
    func wouldWaitTooLong(behind waitingLines: Int) -> Bool {
        perLineNanoseconds * Double(waitingLines) / Double(workers) > maxWaitNanoseconds / 2
    }

    /// Whether one worker is expected to run `lines` lines within `limit`.
    func runs(lines: Int, within limit: Duration) -> Bool {
        perLineNanoseconds * Double(lines) < Self.nanoseconds(limit)
    }

    /// Whether a frame admitted at `admittedAt` has waited too long to be started at `now`.
    func waitedTooLong(since admittedAt: ContinuousClock.Instant, now: ContinuousClock.Instant) -> Bool {
        now - admittedAt > maxWait
    }

    private static func nanoseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
    }
}
