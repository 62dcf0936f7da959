@testable import PortalServer
import Testing

@Suite struct WorkerMessageTests {
    @Test(arguments: [UInt64(0), 1, 255, 256, 1 << 40, .max])
    func doneCarriesTheCommitsSeen(commits: UInt64) {
        let frame = WorkerMessage.done(commitsSeen: commits)
        #expect(frame.count == 9)
        #expect(WorkerMessage.commitsSeen(done: frame) == commits)
    }

    @Test func otherFramesAreNotDone() {
        for frame in [WorkerMessage.ready, WorkerMessage.job, WorkerMessage.stop, [], CommitCountFrame.encode(7)] {
            #expect(WorkerMessage.commitsSeen(done: frame) == nil)
        }
        // The tag with a count of the wrong length is no done frame either.
        #expect(WorkerMessage.commitsSeen(done: Array(WorkerMessage.done(commitsSeen: 7).dropLast())) == nil)
    }
}
