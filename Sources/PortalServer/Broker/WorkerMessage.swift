/// The broker ⇄ worker messages on the in-process socket pair; the first frame of every message
/// says which one it is.
enum WorkerMessage {
    /// worker → broker: `[ready]`, the worker is idle and wants a job.
    static let ready: [UInt8] = [UInt8(ascii: "R")]
    /// broker → worker: `[job, request frame, ...]`, one or more frames to run in order.
    static let job: [UInt8] = [UInt8(ascii: "J")]
    /// broker → worker: `[stop]`, close the socket and end the thread.
    static let stop: [UInt8] = [UInt8(ascii: "S")]

    private static let doneTag = UInt8(ascii: "D")

    /// worker → broker: `[done, reply frame, ...]`, one reply per request frame of the job, in
    /// its order; the worker is idle again. The done frame carries the count of commits the
    /// replies may have seen (`CommitCountFrame`) after its tag: one frame fewer to pass per job.
    static func done(commitsSeen: UInt64) -> [UInt8] {
        var frame = [doneTag]
        frame.append(contentsOf: CommitCountFrame.encode(commitsSeen))
        return frame
    }

    /// The commits seen that a done frame carries; nil for any other frame.
    static func commitsSeen(done frame: [UInt8]) -> UInt64? {
        guard frame.first == doneTag else { return nil }
        return CommitCountFrame.decode(frame.dropFirst())
    }
}
