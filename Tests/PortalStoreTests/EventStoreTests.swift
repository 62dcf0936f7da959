import Foundation
import PortalCore
import PortalProtocol
import PortalStore
import Testing

/// The outbox: gapless numbering with the transaction, filtered replay, the license history,
/// pruning and the publishers' progress.
@Suite struct EventStoreTests {
    struct Abort: Error {}

    let fixture: StoreFixture

    init() throws {
        fixture = try StoreFixture()
    }

    private func event(_ type: EventType = .companyUpdated, company: String = "co_a", license: String? = nil, minutes: Double = 0) -> PortalEvent {
        PortalEvent(
            type: type, at: StoreFixture.start.addingTimeInterval(minutes * 60), company: company, licenseID: license,
            data: ["cause": "schedule"])
    }

    private func all() throws -> [StoredEvent] {
        try fixture.store.read { reader in try reader.events(after: 0, through: .max, types: [], company: nil, limit: 1_000) }
    }

    @Test func eventsAreNumberedWithoutGapsAcrossTransactionsEvenWhenOneRollsBack() throws {
        try fixture.store.write { writer in try writer.append([event(), event()]) }
        #expect(throws: Abort.self) {
            try fixture.store.write { writer in
                try writer.append([event(), event(), event()])
                throw Abort()
            }
        }
        try fixture.store.write { writer in try writer.append([event(.userAdded)]) }
        let events = try all()
        #expect(events.map(\.seq) == [1, 2, 3])
        #expect(events.map(\.type) == ["company.updated", "company.updated", "user.added"])
        #expect(try fixture.store.read { try $0.eventRange() } == EventRange(lastSeq: 3, oldestSeq: 1))
    }

    @Test func theStoredBodyIsThePublishedEventWithItsNumber() throws {
        let appended = PortalEvent(
            type: .licenseCreated, at: StoreFixture.start, company: "co_owner", parties: ["co_seller", "co_owner", "co_seller"],
            licenseID: "li_1", data: ["cause": "command", "command": "license.import"])
        try fixture.store.write { writer in try writer.append([appended]) }
        let stored = try #require(try all().first)
        let body = try JSONParser.parse(Array(stored.body.utf8), maxDepth: 16)
        #expect(body == appended.json(seq: 1))
        #expect(body["parties"] == ["co_owner", "co_seller"], "sorted, without duplicates, the company included")
        #expect(stored.company == "co_owner")
    }

    @Test func replayFiltersByTypeAndCompanyWithinTheRangeAsked() throws {
        try fixture.store.write { writer in
            try writer.append([
                event(.companyUpdated, company: "co_a"), event(.userAdded, company: "co_a"),
                event(.companyUpdated, company: "co_b"), event(.companyUpdated, company: "co_a"),
            ])
        }
        let picked = try fixture.store.read { reader in
            try reader.events(after: 0, through: 3, types: [.companyUpdated], company: "co_a", limit: 10).map(\.seq)
        }
        #expect(picked == [1], "seq 4 matches too, but lies beyond `through`")
        let limited = try fixture.store.read { reader in
            try reader.events(after: 1, through: .max, types: [], company: nil, limit: 2).map(\.seq)
        }
        #expect(limited == [2, 3])
    }

    @Test func pruningKeepsOneUnbrokenRangeAndTheLicenseHistory() throws {
        try fixture.store.write { writer in
            try writer.append([
                event(.licenseCreated, license: "li_1", minutes: 0), event(minutes: 10),
                // Out of time order (a clock step back): pruning stops at the first event to keep.
                event(minutes: 100), event(minutes: 5), event(.licenseRenewed, license: "li_1", minutes: 200),
            ])
        }
        let pruned = try fixture.store.write { writer in
            try writer.pruneEvents(before: StoreFixture.start.addingTimeInterval(60 * 60), limit: 100)
        }
        #expect(pruned == 2)
        #expect(try all().map(\.seq) == [3, 4, 5])
        #expect(try fixture.store.read { try $0.eventRange() } == EventRange(lastSeq: 5, oldestSeq: 3))
        let history = try fixture.store.read { reader in try reader.licenseHistory(licenseID: "li_1", limit: 10) }
        #expect(history.map(\.seq) == [1, 5])
        #expect(history.map(\.type) == ["license.created", "license.renewed"])
    }

    @Test func pruningEverythingKeepsTheNumbering() throws {
        try fixture.store.write { writer in try writer.append([event(), event()]) }
        _ = try fixture.store.write { writer in try writer.pruneEvents(before: StoreFixture.start.addingTimeInterval(60), limit: 1) }
        #expect(try all().map(\.seq) == [2], "at most `limit` per call")
        _ = try fixture.store.write { writer in try writer.pruneEvents(before: StoreFixture.start.addingTimeInterval(60), limit: 10) }
        #expect(try fixture.store.read { try $0.eventRange() } == EventRange(lastSeq: 2, oldestSeq: 3))
        try fixture.store.write { writer in try writer.append([event()]) }
        #expect(try all().map(\.seq) == [3])
    }

    @Test func theHistoryShowsTheLatestChangesOldestFirst() throws {
        try fixture.store.write { writer in
            try writer.append((0..<5).map { _ in event(.licenseStatus, license: "li_1") } + [event(license: "li_2")])
        }
        let history = try fixture.store.read { reader in try reader.licenseHistory(licenseID: "li_1", limit: 3) }
        #expect(history.map(\.seq) == [3, 4, 5])
        #expect(history.first?.data == #"{"cause":"schedule"}"#)
    }

    @Test func eachNodeKeepsItsOwnPublishingProgress() throws {
        #expect(try fixture.store.read { try $0.publishedSeq(node: "a") } == nil)
        try fixture.store.write { writer in
            try writer.savePublishedSeq(7, node: "a")
            try writer.savePublishedSeq(3, node: "b")
            try writer.savePublishedSeq(9, node: "a")
        }
        #expect(try fixture.store.read { try $0.publishedSeq(node: "a") } == 9)
        #expect(try fixture.store.read { try $0.publishedSeq(node: "b") } == 3)
    }
}
