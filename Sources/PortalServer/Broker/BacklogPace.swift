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
struct BacklogPace {
    let maxWait: Duration
    let workers: Int
    /// Average time a worker spends per request line; zero until the first batch is done.
    private(set) var perLine: Duration = .zero

    /// Weight of the newest batch in the moving average: recent enough to follow a change of
    /// workload within a few dozen batches, steady enough that one slow command does not swing it.
    static let newestWeight = 0.2

    init(maxWait: Duration, workers: Int) {
        self.maxWait = maxWait
        self.workers = max(1, workers)
    }

    /// Records a batch of `lines` that took `elapsed` on one worker.
    mutating func record(lines: Int, elapsed: Duration) {
        guard lines > 0 else { return }
        let latest = elapsed / lines
        perLine = perLine == .zero ? latest : perLine * (1 - Self.newestWeight) + latest * Self.newestWeight
    }

    /// Whether a frame arriving behind `waitingLines` lines is expected to wait longer than
    /// half of `maxWait`.
    func wouldWaitTooLong(behind waitingLines: Int) -> Bool {
        perLine * waitingLines / workers > maxWait / 2
    }

    /// Whether a frame admitted at `admittedAt` has waited too long to be started at `now`.
    func waitedTooLong(since admittedAt: ContinuousClock.Instant, now: ContinuousClock.Instant) -> Bool {
        now - admittedAt > maxWait
    }
}
