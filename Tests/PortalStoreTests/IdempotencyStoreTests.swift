import Foundation
import PortalCore
import PortalStore
import Testing

/// The replies kept for idempotency keys: lookup, expiry, replacement, pruning, savepoints.
@Suite struct IdempotencyStoreTests {
    struct Abort: Error {}

    let fixture: StoreFixture
    let user: User

    init() throws {
        fixture = try StoreFixture()
        user = try fixture.insert(fixture.user(email: "order@vendor.example", companyID: nil, role: nil, staffRoles: [.order]))
    }

    func record(_ key: String, at offset: TimeInterval = 0, reply: String = #"{"n":1}"#) -> IdempotencyRecord {
        IdempotencyRecord(
            userID: user.id, key: key, command: "company.create", argumentsHash: String(repeating: "a", count: 64),
            reply: reply, createdAt: StoreFixture.start.addingTimeInterval(offset))
    }

    func lookup(_ key: String, keptAfter cutoff: Date, userID: String? = nil) throws -> IdempotencyRecord? {
        try fixture.store.read { reader in try reader.idempotencyRecord(userID: userID ?? user.id, key: key, keptAfter: cutoff) }
    }

    @Test func aSavedRecordIsFoundByUserAndKeyUntilItExpires() throws {
        let kept = record("k1")
        try fixture.store.write { writer in try writer.save(kept) }
        #expect(try lookup("k1", keptAfter: StoreFixture.start.addingTimeInterval(-1)) == kept)
        #expect(try lookup("k1", keptAfter: StoreFixture.start) == nil, "kept at the cutoff: expired")
        #expect(try lookup("k2", keptAfter: .distantPast) == nil)
        #expect(try lookup("k1", keptAfter: .distantPast, userID: "us_other") == nil)
    }

    @Test func savingAnExpiredKeyAgainReplacesItsRecord() throws {
        try fixture.store.write { writer in try writer.save(record("k1", reply: "old")) }
        let renewed = record("k1", at: 86_400, reply: "new")
        try fixture.store.write { writer in try writer.save(renewed) }
        #expect(try lookup("k1", keptAfter: .distantPast) == renewed)
    }

    @Test func pruningDeletesTheOldestExpiredRecordsUpToTheLimit() throws {
        try fixture.store.write { writer in
            for index in 0..<5 { try writer.save(record("old\(index)", at: TimeInterval(index))) }
            try writer.save(record("live", at: 100))
        }
        let cutoff = StoreFixture.start.addingTimeInterval(50)
        let first = try fixture.store.write { writer in try writer.pruneIdempotencyRecords(keptBefore: cutoff, limit: 3) }
        #expect(first == 3)
        #expect(try lookup("old0", keptAfter: .distantPast) == nil)
        #expect(try lookup("old3", keptAfter: .distantPast) != nil, "beyond the limit: kept for the next prune")
        let second = try fixture.store.write { writer in try writer.pruneIdempotencyRecords(keptBefore: cutoff, limit: 3) }
        #expect(second == 2)
        #expect(try lookup("live", keptAfter: .distantPast) != nil)
    }

    @Test func aThrowingNestedTransactionRollsBackAloneAndTheOuterOneCommits() throws {
        let kept = fixture.company(name: "Kept")
        let undone = fixture.company(name: "Undone")
        try fixture.store.write { writer in
            try writer.nested { try writer.insert(kept) }
            #expect(throws: Abort.self) {
                try writer.nested {
                    try writer.insert(undone)
                    throw Abort()
                }
            }
            #expect(try writer.company(id: undone.id) == nil, "rolled back at once")
        }
        #expect(try fixture.store.read { reader in try reader.company(id: kept.id) } == kept)
        #expect(try fixture.store.read { reader in try reader.company(id: undone.id) } == nil)
    }

    @Test func aNestedTransactionIsUndoneWhenTheOuterOneThrows() throws {
        let company = fixture.company()
        #expect(throws: Abort.self) {
            try fixture.store.write { writer in
                try writer.nested { try writer.insert(company) }
                throw Abort()
            }
        }
        #expect(try fixture.store.read { reader in try reader.company(id: company.id) } == nil)
    }
}
