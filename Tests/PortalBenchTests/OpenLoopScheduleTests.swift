import PortalBench
import Testing

@Suite struct OpenLoopScheduleTests {
    private func slots(_ schedule: OpenLoopSchedule) -> [OpenLoopSchedule.Slot] {
        var schedule = schedule
        var slots: [OpenLoopSchedule.Slot] = []
        while let slot = schedule.next() { slots.append(slot) }
        return slots
    }

    @Test func requestsAreDueAtFixedIntervalsAfterTheWarmUp() {
        let schedule = OpenLoopSchedule(profile: RateProfile(segments: [.init(rate: 1_000, seconds: 1)]), warmupSeconds: 0.5)
        let all = slots(schedule)
        #expect(all.count == 1_500)
        #expect(all.prefix(500).allSatisfy { $0.segment == -1 })
        #expect(all.dropFirst(500).allSatisfy { $0.segment == 0 })
        // The k-th request is due k milliseconds in, whatever happened to the others.
        #expect(all.enumerated().allSatisfy { $1.time == Int64($0) * 1_000_000 })
        #expect(schedule.measurementStart == 500_000_000)
        #expect(schedule.end == 1_500_000_000)
    }

    @Test func segmentsFollowEachOtherAtTheirOwnRates() {
        let profile = RateProfile(segments: [.init(rate: 300, seconds: 1), .init(rate: 100, seconds: 0.5)])
        let schedule = OpenLoopSchedule(profile: profile, warmupSeconds: 0)
        let all = slots(schedule)
        #expect(all.filter { $0.segment == 0 }.count == 300)
        let second: [Int64] = all.filter { $0.segment == 1 }.map(\.time)
        let expected: [Int64] = (0..<50).map { (index: Int) -> Int64 in 1_000_000_000 + Int64(index) * 10_000_000 }
        #expect(second == expected)
        #expect(schedule.bounds(ofSegment: 1) == 1_000_000_000..<1_500_000_000)
        // A third of a millisecond apart, rounded to the nanosecond, never drifting.
        #expect(all[2].time == 6_666_667)
        #expect(all[299].time == 996_666_667)
    }

    @Test func peekDoesNotTake() {
        var schedule = OpenLoopSchedule(profile: RateProfile(segments: [.init(rate: 10, seconds: 1)]), warmupSeconds: 0)
        #expect(schedule.peek() == schedule.peek())
        #expect(schedule.next()?.time == 0)
        #expect(schedule.peek()?.time == 100_000_000)
    }

    @Test func rateProfilesParse() {
        #expect(RateProfile(parsing: "2500", defaultSeconds: 10)?.segments == [.init(rate: 2_500, seconds: 10)])
        #expect(RateProfile(parsing: "30000:30,5000:5", defaultSeconds: 10)?.segments
            == [.init(rate: 30_000, seconds: 30), .init(rate: 5_000, seconds: 5)])
        #expect(RateProfile(parsing: "30000:30,5000:5", defaultSeconds: 10)?.description == "30000:30,5000:5")
        for bad in ["", "0", "-5", "fast", "100,200", "100:0", "100:2:3", "100:x", "inf"] {
            #expect(RateProfile(parsing: bad, defaultSeconds: 10) == nil, "\(bad)")
        }
    }
}
