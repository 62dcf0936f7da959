import Foundation
import PortalCore
@testable import PortalService
import PortalStore
import Testing

/// What `CallerCache` keeps and when it stops trusting it.
@Suite struct CallerCacheTests {
    static let start = Date(timeIntervalSince1970: 1_795_940_100)
    let changes = AccessChangeCounter()

    func caller(_ tokenHash: String = SecureToken.hash(SecureToken.generate())) -> Caller {
        let user = User(
            id: "us_1", companyID: "co_1", email: "jane@printing.example", name: "Jane", passwordHash: "!",
            companyRole: .admin, staffRoles: [], status: .active, createdAt: Self.start)
        let session = Session(
            tokenHash: tokenHash, userID: user.id, createdAt: Self.start, lastUsedAt: Self.start,
            absoluteExpiry: Self.start.addingTimeInterval(3_600))
        let company = Company(id: "co_1", name: "Printing Ltd", views: [.customer], createdAt: Self.start)
        return Caller(user: user, session: session, company: company, view: .customer)
    }

    @Test func aCallerIsServedWithinItsLifetimeWithoutItsView() {
        let cache = CallerCache(changes: changes)
        let kept = caller()
        cache.remember(kept, readAt: Self.start, changeCount: changes.count, lifetime: 10)

        let served = cache.caller(tokenHash: kept.session.tokenHash, at: Self.start.addingTimeInterval(9.9), lifetime: 10)

        #expect(served?.user.id == kept.user.id)
        #expect(served?.session == kept.session)
        #expect(served?.view == nil, "the view is the request's, not the session's")
        #expect(cache.caller(tokenHash: "another", at: Self.start, lifetime: 10) == nil)
    }

    @Test func aCallerIsReadAgainOnceItsLifetimeIsOver() {
        let cache = CallerCache(changes: changes)
        let kept = caller()
        cache.remember(kept, readAt: Self.start, changeCount: changes.count, lifetime: 10)
        #expect(cache.caller(tokenHash: kept.session.tokenHash, at: Self.start.addingTimeInterval(10), lifetime: 10) == nil)
        #expect(cache.count == 0, "an entry past its lifetime is dropped")
    }

    @Test func aClockThatWentBackDoesNotStretchTheLifetime() {
        let cache = CallerCache(changes: changes)
        let kept = caller()
        cache.remember(kept, readAt: Self.start, changeCount: changes.count, lifetime: 10)
        #expect(cache.caller(tokenHash: kept.session.tokenHash, at: Self.start.addingTimeInterval(-1), lifetime: 10) == nil)
    }

    @Test func anyCommittedAccessChangeEndsTrustInEveryCaller() {
        let cache = CallerCache(changes: changes)
        let first = caller()
        let second = caller()
        for kept in [first, second] { cache.remember(kept, readAt: Self.start, changeCount: changes.count, lifetime: 10) }

        changes.recordCommittedChange()

        #expect(cache.caller(tokenHash: first.session.tokenHash, at: Self.start, lifetime: 10) == nil)
        #expect(cache.caller(tokenHash: second.session.tokenHash, at: Self.start, lifetime: 10) == nil)
    }

    @Test func aCallerReadBeforeAChangeIsNotTrustedAfterIt() {
        let cache = CallerCache(changes: changes)
        let kept = caller()
        let countBeforeReading = changes.count
        changes.recordCommittedChange()  // committed while the caller was being read
        cache.remember(kept, readAt: Self.start, changeCount: countBeforeReading, lifetime: 10)
        #expect(cache.caller(tokenHash: kept.session.tokenHash, at: Self.start, lifetime: 10) == nil)
    }

    @Test func nothingIsKeptWithoutACounterOrALifetime() {
        let kept = caller()
        let uncounted = CallerCache(changes: nil)
        uncounted.remember(kept, readAt: Self.start, changeCount: 0, lifetime: 10)
        #expect(uncounted.count == 0)
        #expect(uncounted.changeCount == nil)

        let unkept = CallerCache(changes: changes)
        unkept.remember(kept, readAt: Self.start, changeCount: changes.count, lifetime: 0)
        #expect(unkept.count == 0)
    }

    @Test func aTouchedSessionIsServedWithItsNewLastUse() {
        let cache = CallerCache(changes: changes)
        let kept = caller()
        cache.remember(kept, readAt: Self.start, changeCount: changes.count, lifetime: 10)
        var session = kept.session
        session.lastUsedAt = Self.start.addingTimeInterval(5)

        cache.touched(session)

        #expect(cache.caller(tokenHash: session.tokenHash, at: Self.start, lifetime: 10)?.session.lastUsedAt == session.lastUsedAt)
    }

    @Test func aFullCacheDropsOldEntriesFirstThenEverything() {
        let cache = CallerCache(changes: changes, capacity: 3)
        let old = caller()
        cache.remember(old, readAt: Self.start, changeCount: changes.count, lifetime: 10)
        let later = Self.start.addingTimeInterval(20)
        for _ in 0..<2 { cache.remember(caller(), readAt: later, changeCount: changes.count, lifetime: 10) }
        #expect(cache.count == 3)

        cache.remember(caller(), readAt: later, changeCount: changes.count, lifetime: 10)
        #expect(cache.count == 3, "the entry past its lifetime made room")

        let newest = caller()
        cache.remember(newest, readAt: later, changeCount: changes.count, lifetime: 10)
        #expect(cache.count == 1, "none was old enough: all went")
        #expect(cache.caller(tokenHash: newest.session.tokenHash, at: later, lifetime: 10) != nil)
    }
}
