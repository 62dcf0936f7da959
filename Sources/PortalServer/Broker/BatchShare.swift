/// How many waiting frames a worker takes from the backlog at once.
///
/// Its share if the waiting frames were split evenly over the workers: one worker taking
/// everything would leave the others idle, and small batches cost a hand-off each and send
/// their replies in small bursts, which the I/O thread and the client then move a few per
/// system call.
enum BatchShare {
    /// Most frames one worker takes at once, whatever waits.
    static let mostFrames = 32

    /// Frames out of `waiting` for one worker when `workers` share them; at least one while any
    /// wait, at most `mostFrames`.
    static func frames(waiting: Int, workers: Int) -> Int {
        guard waiting > 0 else { return 0 }
        let evenShare = (waiting + max(1, workers) - 1) / max(1, workers)
        return min(evenShare, mostFrames)
    }
}
