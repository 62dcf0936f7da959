@testable import PortalServer
import Testing

@Suite struct BacklogPaceTests {
    @Test func withoutAFinishedBatchEveryFrameMayWait() {
        let pace = BacklogPace(maxWait: .milliseconds(50), workers: 2)
        #expect(pace.perLine == .zero)
        #expect(!pace.isMeasured, "the broker hands out one frame at a time until a batch is timed")
        #expect(!pace.wouldWaitTooLong(behind: 1_000_000))
    }

    @Test func oneTimedBatchMeasuresThePace() {
        var pace = BacklogPace(maxWait: .milliseconds(50), workers: 2)
        pace.record(lines: 0, elapsed: .milliseconds(1))
        #expect(!pace.isMeasured, "a batch of no lines says nothing")
        pace.record(lines: 4, elapsed: .microseconds(20))
        #expect(pace.isMeasured)
    }

    @Test func framesAreAdmittedWhileTheExpectedWaitIsWithinHalfTheAllowance() {
        var pace = BacklogPace(maxWait: .milliseconds(100), workers: 2)
        pace.record(lines: 10, elapsed: .milliseconds(10))
        #expect(pace.perLine == .milliseconds(1))
        #expect(!pace.wouldWaitTooLong(behind: 100), "100 lines at 1 ms on 2 workers: 50 ms, half of 100 ms")
        #expect(pace.wouldWaitTooLong(behind: 102))
    }

    @Test func thePaceFollowsTheWorkloadAsAMovingAverage() {
        var pace = BacklogPace(maxWait: .milliseconds(100), workers: 1)
        pace.record(lines: 1, elapsed: .milliseconds(1))
        pace.record(lines: 1, elapsed: .milliseconds(6))
        #expect(pace.perLine == .milliseconds(2), "0.8 × 1 ms + 0.2 × 6 ms")
        pace.record(lines: 0, elapsed: .seconds(10))
        #expect(pace.perLine == .milliseconds(2), "an empty batch says nothing about the pace")
    }

    @Test func aBatchRunsWithinATimeByThePace() {
        var pace = BacklogPace(maxWait: .milliseconds(50), workers: 2)
        #expect(pace.runs(lines: 1_000, within: .milliseconds(2)), "no pace yet: anything fits")
        pace.record(lines: 4, elapsed: .microseconds(1_000))
        #expect(pace.perLine == .microseconds(250))
        #expect(pace.runs(lines: 7, within: .milliseconds(2)))
        #expect(!pace.runs(lines: 8, within: .milliseconds(2)), "8 × 250 µs is 2 ms, not less")
    }

    @Test func aFrameMayNotStartAfterWaitingLongerThanAllowed() {
        let pace = BacklogPace(maxWait: .milliseconds(50), workers: 1)
        let admitted = ContinuousClock.now
        #expect(!pace.waitedTooLong(since: admitted, now: admitted + .milliseconds(50)))
        #expect(pace.waitedTooLong(since: admitted, now: admitted + .milliseconds(51)))
    }
}
