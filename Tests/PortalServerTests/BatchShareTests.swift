@testable import PortalServer
import Testing

@Suite struct BatchShareTests {
    @Test func nothingWaitingGivesNothing() {
        #expect(BatchShare.frames(waiting: 0, workers: 2) == 0)
    }

    @Test(arguments: [(1, 2, 1), (2, 2, 1), (3, 2, 2), (16, 2, 8), (16, 1, 16), (5, 4, 2)])
    func waitingFramesAreSplitEvenly(waiting: Int, workers: Int, share: Int) {
        #expect(BatchShare.frames(waiting: waiting, workers: workers) == share)
    }

    @Test func aShareIsCapped() {
        #expect(BatchShare.frames(waiting: 1_000, workers: 2) == BatchShare.mostFrames)
    }

    @Test func noWorkersCountsAsOne() {
        #expect(BatchShare.frames(waiting: 3, workers: 0) == 3)
    }
}
