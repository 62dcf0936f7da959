import PortalProtocol
import Testing

@Suite struct EventSequencerTests {
    typealias Event = EventSequencer.Event

    private func event(_ seq: Int64, type: String = "license.status", company: String = "co_x") -> Event {
        Event(["seq": .int(seq), "type": .string(type), "company": .string(company), "data": [:]])!
    }

    private func seqs(_ events: [Event]) -> [Int64] { events.map(\.seq) }

    // MARK: Live stream

    @Test func anUnbrokenLiveStreamIsPutOutAtOnce() {
        var sequencer = EventSequencer(next: 5)
        for seq in Int64(5)...9 {
            #expect(seqs(sequencer.live(event(seq))) == [seq])
            #expect(sequencer.needsReplay == nil)
        }
        #expect(sequencer.next == 10)
    }

    @Test func duplicatesAndEventsBeforeTheStartAreDropped() {
        var sequencer = EventSequencer(next: 5)
        #expect(sequencer.live(event(3)).isEmpty)
        #expect(seqs(sequencer.live(event(5))) == [5])
        #expect(sequencer.live(event(5)).isEmpty)
        #expect(sequencer.needsReplay == nil)
    }

    @Test func eventsBeyondAGapWaitForTheReplay() {
        var sequencer = EventSequencer(next: 1)
        #expect(seqs(sequencer.live(event(1))) == [1])
        #expect(sequencer.live(event(4)).isEmpty)
        #expect(sequencer.live(event(5)).isEmpty)
        #expect(sequencer.needsReplay == 1)

        let ready = sequencer.replayed([event(2), event(3)], after: 1, nextAfter: 3, lastSeq: 5)
        #expect(seqs(ready) == [2, 3, 4, 5])
        #expect(sequencer.needsReplay == nil)
        #expect(seqs(sequencer.live(event(6))) == [6])
    }

    @Test func aLateEventThatClosesTheGapReleasesTheHeldOnes() {
        var sequencer = EventSequencer(next: 1)
        _ = sequencer.live(event(2))
        _ = sequencer.live(event(3))
        #expect(seqs(sequencer.live(event(1))) == [1, 2, 3])
        #expect(sequencer.needsReplay == nil)
    }

    // MARK: Heartbeats

    @Test func aHeartbeatAheadRevealsEventsLostAtTheTail() {
        var sequencer = EventSequencer(next: 8)
        sequencer.heartbeat(lastSeq: 7)
        #expect(sequencer.needsReplay == nil)
        sequencer.heartbeat(lastSeq: 9)
        #expect(sequencer.needsReplay == 7)

        #expect(seqs(sequencer.replayed([event(8), event(9)], after: 7, nextAfter: 9, lastSeq: 9)) == [8, 9])
        #expect(sequencer.needsReplay == nil)
    }

    @Test func anOlderHeartbeatChangesNothing() {
        var sequencer = EventSequencer(next: 1, lastSeq: 4)
        sequencer.heartbeat(lastSeq: 2)
        #expect(sequencer.lastSeq == 4)
        #expect(sequencer.needsReplay == 0)
    }

    @Test func aKnownLastSeqAsksForTheReplayAtOnce() {
        #expect(EventSequencer(next: 1, lastSeq: 3).needsReplay == 0)
        #expect(EventSequencer(next: 4, lastSeq: 3).needsReplay == nil)
        #expect(EventSequencer(next: 10, lastSeq: 3).needsReplay == nil)
    }

    // MARK: Replay pages

    @Test func pagesContinueFromNextAfterUntilLastSeq() {
        var sequencer = EventSequencer(next: 1, lastSeq: 5)
        #expect(seqs(sequencer.replayed([event(1), event(2)], after: 0, nextAfter: 2, lastSeq: 5)) == [1, 2])
        #expect(sequencer.needsReplay == 2)
        #expect(seqs(sequencer.replayed([event(3), event(4), event(5)], after: 2, nextAfter: 5, lastSeq: 5)) == [3, 4, 5])
        #expect(sequencer.needsReplay == nil)
    }

    @Test func aPageOverlappingHeldLiveEventsPutsOutEachOnce() {
        var sequencer = EventSequencer(next: 5)
        for seq in Int64(7)...9 { _ = sequencer.live(event(seq)) }
        #expect(sequencer.needsReplay == 4)

        let page = (Int64(5)...8).map { event($0) }
        #expect(seqs(sequencer.replayed(page, after: 4, nextAfter: 8, lastSeq: 9)) == [5, 6, 7, 8, 9])
        #expect(sequencer.next == 10)
        #expect(sequencer.needsReplay == nil)
    }

    @Test func aPageOverlappingWhatWasPutOutRepeatsNothing() {
        var sequencer = EventSequencer(next: 1)
        _ = sequencer.live(event(1))
        _ = sequencer.live(event(2))
        _ = sequencer.live(event(4))
        let page = (Int64(1)...4).map { event($0) }
        #expect(seqs(sequencer.replayed(page, after: 0, nextAfter: 4, lastSeq: 4)) == [3, 4])
    }

    @Test func aStalePageChangesNothing() {
        var sequencer = EventSequencer(next: 6)
        #expect(sequencer.replayed([event(4), event(5)], after: 3, nextAfter: 5, lastSeq: 5).isEmpty)
        #expect(sequencer.next == 6)
        #expect(sequencer.needsReplay == nil)
    }

    @Test func aPageStartingBeyondNextIsIgnored() {
        var sequencer = EventSequencer(next: 1, lastSeq: 9)
        #expect(sequencer.replayed([event(6)], after: 5, nextAfter: 6, lastSeq: 9).isEmpty)
        #expect(sequencer.next == 1)
        #expect(sequencer.needsReplay == 0)
    }

    @Test func eventsOutsideThePageRangeAreNotTrusted() {
        var sequencer = EventSequencer(next: 1, lastSeq: 5)
        #expect(seqs(sequencer.replayed([event(1), event(2), event(3)], after: 0, nextAfter: 2, lastSeq: 5)) == [1, 2])
        #expect(sequencer.needsReplay == 2)
    }

    @Test func anEmptyPageMovesPastItsRange() {
        var sequencer = EventSequencer(next: 3, lastSeq: 7)
        #expect(sequencer.replayed([], after: 2, nextAfter: 7, lastSeq: 7).isEmpty)
        #expect(sequencer.next == 8)
        #expect(sequencer.needsReplay == nil)
    }

    // MARK: Topics

    @Test func filteredTopicsLeaveNaturalGapsThatPagesClose() {
        var sequencer = EventSequencer(next: 1, topics: ["event/license.status/"])
        #expect(seqs(sequencer.live(event(1))) == [1])
        // 2 and 3 were of other types, so the subscription never saw them.
        #expect(sequencer.live(event(4)).isEmpty)
        #expect(sequencer.needsReplay == 1)

        let page = [event(2, type: "license.created"), event(3, type: "user.added"), event(4)]
        #expect(seqs(sequencer.replayed(page, after: 1, nextAfter: 4, lastSeq: 4)) == [4])
        #expect(sequencer.next == 5)
        #expect(sequencer.needsReplay == nil)
    }

    @Test func aServerFilteredPageClosesTheGapWithoutTheUnwantedEvents() {
        var sequencer = EventSequencer(next: 1, topics: ["event/license.status/"])
        sequencer.heartbeat(lastSeq: 10)
        #expect(seqs(sequencer.replayed([event(4), event(9)], after: 0, nextAfter: 10, lastSeq: 10)) == [4, 9])
        #expect(sequencer.next == 11)
    }

    @Test func topicsArePrefixesAndSeveralMayBeGiven() {
        var sequencer = EventSequencer(next: 1, topics: ["event/license.status/co_1/", "event/user."])
        let page = [
            event(1, company: "co_1"), event(2, company: "co_10"), event(3, type: "user.added"),
            event(4, type: "license.created", company: "co_1"), event(5, type: "user.removed", company: "co_2"),
        ]
        #expect(seqs(sequencer.replayed(page, after: 0, nextAfter: 5, lastSeq: 5)) == [1, 3, 5])
    }

    @Test func liveEventsOfOtherTopicsAreNotPutOut() {
        var sequencer = EventSequencer(next: 1, topics: ["event/license.status/"])
        #expect(sequencer.live(event(1, type: "user.added")).isEmpty)
        #expect(sequencer.needsReplay == 0)
    }

    @Test(arguments: [
        (["event/license.status/"], EventSequencer.ReplayFilter(type: "license.status", company: nil)),
        (["event/license.status/co_x/"], EventSequencer.ReplayFilter(type: "license.status", company: "co_x")),
    ])
    func anExactTopicBecomesTheReplayFilter(topics: [String], filter: EventSequencer.ReplayFilter) {
        #expect(EventSequencer(next: 1, topics: topics).replayFilter == filter)
    }

    @Test(arguments: [
        [], ["event/"], ["event/license."], ["event/license.status"], ["event//"], ["event/license.status//"],
        ["event/license.status/co_x/more/"], ["heartbeat/"], ["event/license.status/", "event/user.added/"],
    ])
    func otherTopicsAreReplayedUnfiltered(topics: [String]) {
        #expect(EventSequencer(next: 1, topics: topics).replayFilter == nil)
    }

    // MARK: Buffer bound

    @Test func liveEventsBeyondTheBoundAreLeftToTheReplay() {
        var sequencer = EventSequencer(next: 1, bufferLimit: 2)
        for seq in Int64(2)...5 { #expect(sequencer.live(event(seq)).isEmpty) }
        #expect(sequencer.lastSeq == 5)
        #expect(sequencer.needsReplay == 0)

        #expect(seqs(sequencer.replayed([event(1)], after: 0, nextAfter: 1, lastSeq: 5)) == [1, 2, 3])
        #expect(sequencer.needsReplay == 3)
        #expect(seqs(sequencer.replayed([event(4), event(5)], after: 3, nextAfter: 5, lastSeq: 5)) == [4, 5])
        #expect(sequencer.needsReplay == nil)
    }

    // MARK: Without replay

    @Test func skippingAGapReleasesTheHeldEventsAndNamesTheMissedSeqs() throws {
        var sequencer = EventSequencer(next: 1)
        _ = sequencer.live(event(1))
        _ = sequencer.live(event(4))
        _ = sequencer.live(event(5))
        let gap = sequencer.skipGap()
        let skipped = try #require(gap)
        #expect(skipped.missed == 2...3)
        #expect(seqs(skipped.ready) == [4, 5])
        #expect(sequencer.skipGap() == nil)
    }

    @Test func skippingATailGapMovesPastLastSeq() throws {
        var sequencer = EventSequencer(next: 3)
        sequencer.heartbeat(lastSeq: 6)
        let gap = sequencer.skipGap()
        let skipped = try #require(gap)
        #expect(skipped.missed == 3...6)
        #expect(skipped.ready.isEmpty)
        #expect(seqs(sequencer.live(event(7))) == [7])
    }

    // MARK: Events

    @Test func anEventKeepsItsTextAndKnowsItsTopic() throws {
        let json: JSONValue = ["seq": 3, "type": "license.status", "company": "co_x", "data": ["a": 1]]
        let received = bytes(#"{"seq":3, "type":"license.status","company":"co_x","data":{"a":1}}"#)
        let live = try #require(Event(json, text: received))
        #expect(live.seq == 3)
        #expect(live.topic == EventTopic.event(type: "license.status", company: "co_x"))
        #expect(live.text == received)
        #expect(Event(json)?.text == json.serialized())
    }

    @Test(arguments: [
        ["type": "license.status", "company": "co_x"], ["seq": 1, "company": "co_x"], ["seq": 1, "type": "license.status"],
        ["seq": "1", "type": "license.status", "company": "co_x"], [1, 2] as JSONValue,
    ] as [JSONValue])
    func anEventWithoutItsNumberTypeOrCompanyIsRefused(json: JSONValue) {
        #expect(Event(json) == nil)
    }

    // MARK: Whole streams

    /// A lossy live stream, heartbeats and short replay pages, mixed at random, against a server
    /// of 300 events: whatever the mix, each wanted event comes out once and in order.
    @Test(arguments: [
        ([String](), false), (["event/license.status/"], true), (["event/license.status/"], false),
        (["event/license.status/co_1/"], true), (["event/user.", "event/license.status/co_2/"], false),
    ])
    func everyWantedEventComesOutOnceInOrder(topics: [String], serverFilters: Bool) {
        for seed in UInt64(1)...30 {
            var random = SplitMix64(seed: seed)
            let types = ["license.status", "license.created", "user.added"]
            let server = (Int64(1)...300).map { event($0, type: types[random.next(3)], company: "co_\(random.next(3))") }
            let start = Int64(random.next(50) + 1)
            var sequencer = EventSequencer(next: start, topics: topics, bufferLimit: 5)
            let filter = serverFilters ? sequencer.replayFilter : nil
            var output: [Event] = []

            func replay(committed: Int) {
                guard let after = sequencer.needsReplay else { return }
                let candidates = server[Int(after)..<committed].filter { event in
                    guard let filter else { return true }
                    return event.topic.hasPrefix(EventTopic.prefix(type: filter.type, company: filter.company))
                }
                let page = Array(candidates.prefix(random.next(4)))
                let nextAfter = candidates.count > page.count ? page.last?.seq ?? after : Int64(committed)
                output += sequencer.replayed(page, after: after, nextAfter: nextAfter, lastSeq: Int64(committed))
            }

            for committed in 1...server.count {
                if random.next(4) > 0 { output += sequencer.live(server[committed - 1]) }
                if random.next(10) == 0 { sequencer.heartbeat(lastSeq: Int64(committed)) }
                if random.next(3) == 0 { replay(committed: committed) }
            }
            sequencer.heartbeat(lastSeq: Int64(server.count))
            for _ in 0..<1_000 where sequencer.needsReplay != nil { replay(committed: server.count) }
            #expect(sequencer.needsReplay == nil, "seed \(seed): the replays never caught up")

            let expected = server.filter { event in
                event.seq >= start && (topics.isEmpty || topics.contains { event.topic.hasPrefix($0) })
            }
            #expect(seqs(output) == seqs(expected), "seed \(seed)")
            #expect(output.map(\.text) == expected.map(\.text), "seed \(seed): the events were changed")
        }
    }
}

/// A small seeded generator, so a failing mix can be run again from its seed.
private struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A number in `0..<bound`.
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
