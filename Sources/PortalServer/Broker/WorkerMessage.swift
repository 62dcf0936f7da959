/// The tags of the broker ⇄ worker messages on the in-process socket pair; the first frame of
/// every message is one of them.
enum WorkerMessage {
    /// worker → broker: `[ready]`, the worker is idle and wants a job.
    static let ready: [UInt8] = [UInt8(ascii: "R")]
    /// worker → broker: `[done, commits seen, reply frame, ...]`, one reply per request frame of
    /// the job, in its order, after the count of commits they may have seen (`CommitCountFrame`);
    /// the worker is idle again.
    static let done: [UInt8] = [UInt8(ascii: "D")]
    /// broker → worker: `[job, request frame, ...]`, one or more frames to run in order.
    static let job: [UInt8] = [UInt8(ascii: "J")]
    /// broker → worker: `[stop]`, close the socket and end the thread.
    static let stop: [UInt8] = [UInt8(ascii: "S")]
}
