import PortalBench
import Testing

@Suite struct BenchTimelineTests {
    private let millisecond: Int64 = 1_000_000

    @Test func repliesCountWhereTheyArriveAndRequestsWhereTheyStarted() {
        var timeline = BenchTimeline()
        timeline.record(start: 50 * millisecond, end: 120 * millisecond, outcome: "ok")
        timeline.record(start: 60 * millisecond, end: 260 * millisecond, outcome: "not_found")
        timeline.record(start: 70 * millisecond, end: 71 * millisecond, outcome: "busy")
        timeline.recordUnanswered(start: 310 * millisecond)
        #expect(timeline.offered == [3, 0, 0, 1])
        #expect(timeline.prompt == [1])
        #expect(timeline.ok == [0, 1, 0])
        #expect(timeline.busy == [1, 0, 0])
        #expect(timeline.failed == [0, 0, 1])
    }

    @Test func recoveryIsTheStartOfTheLastRunOfPromptIntervals() {
        var timeline = BenchTimeline()
        // A segment from 1 s to 2 s at 100 requests per interval: slow until 1.3 s, then prompt,
        // with one slow interval at 1.5 s that restarts the count.
        for interval in 10..<20 {
            let slow = interval < 13 || interval == 15
            for request in 0..<100 {
                let start = Int64(interval) * 100 * millisecond + Int64(request) * millisecond
                timeline.record(start: start, end: start + (slow ? 300 : 2) * millisecond, outcome: "ok")
            }
        }
        let recovered = timeline.recoveryTime(of: 1_000 * millisecond..<2_000 * millisecond)
        #expect(recovered.map { abs($0 - 0.6) < 1e-9 } == true)
        #expect(timeline.recoveryTime(of: 1_000 * millisecond..<1_250 * millisecond) == nil)
    }

    @Test func okRateCountsRepliesArrivingInTheRange() {
        var timeline = BenchTimeline()
        for request in 0..<30 {
            let start = Int64(request) * 10 * millisecond
            timeline.record(start: start, end: start + 150 * millisecond, outcome: request == 0 ? "busy" : "ok")
        }
        // Replies arrive from 150 ms to 440 ms: 24 of the ok ones before 400 ms.
        #expect(timeline.okRate(during: 0..<400 * millisecond) == 24 / 0.4)
        #expect(timeline.okRate(during: 1_000 * millisecond..<2_000 * millisecond) == 0)
    }

    @Test func oneRequestInAHundredMayBeSlow() {
        var timeline = BenchTimeline()
        for request in 0..<100 {
            timeline.record(start: Int64(request) * millisecond, end: Int64(request + (request == 7 ? 500 : 1)) * millisecond, outcome: "ok")
        }
        #expect(timeline.recoveryTime(of: 0..<100 * millisecond) == 0)
    }
}
