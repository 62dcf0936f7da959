import Foundation
import PortalCore
import Testing

@Suite struct SessionPolicyTests {
    let policy = SessionPolicy()
    let login = Date(timeIntervalSince1970: 1_795_940_100)

    func session(lastUsedAfter used: TimeInterval) -> Session {
        Session(
            tokenHash: "h", userID: "us_1", createdAt: login, lastUsedAt: login.addingTimeInterval(used),
            absoluteExpiry: login.addingTimeInterval(policy.absoluteTimeout))
    }

    @Test func defaultsAreThoseOfTheProtocol() {
        #expect(policy.idleTimeout == 30 * 60)
        #expect(policy.absoluteTimeout == 12 * 60 * 60)
        #expect(policy.touchInterval == 60)
        #expect(policy.freeFailures == 5)
        #expect(policy.firstPause == 1)
        #expect(policy.longestPause == 15 * 60)
    }

    @Test func expiryIsIdleExpiryWhileThatComesFirst() {
        #expect(policy.expiry(of: session(lastUsedAfter: 0)) == login.addingTimeInterval(30 * 60))
        #expect(policy.expiry(of: session(lastUsedAfter: 3_600)) == login.addingTimeInterval(3_600 + 30 * 60))
    }

    @Test func expiryIsTheAbsoluteLimitOnceIdleExpiryWouldPassIt() {
        let absolute = login.addingTimeInterval(12 * 3_600)
        #expect(policy.expiry(of: session(lastUsedAfter: 11.5 * 3_600)) == absolute)
        #expect(policy.expiry(of: session(lastUsedAfter: 11.9 * 3_600)) == absolute)
    }

    @Test func validUpToButNotIncludingTheExpiry() {
        let used = session(lastUsedAfter: 0)
        let expiry = policy.expiry(of: used)
        #expect(policy.isValid(used, at: login))
        #expect(policy.isValid(used, at: expiry.addingTimeInterval(-1)))
        #expect(policy.isValid(used, at: expiry.addingTimeInterval(-0.001)))
        #expect(!policy.isValid(used, at: expiry))
        #expect(!policy.isValid(used, at: expiry.addingTimeInterval(1)))
    }

    @Test func invalidAtTheAbsoluteLimitHoweverRecentlyUsed() {
        let busy = session(lastUsedAfter: 12 * 3_600 - 1)
        #expect(policy.isValid(busy, at: login.addingTimeInterval(12 * 3_600 - 1)))
        #expect(!policy.isValid(busy, at: login.addingTimeInterval(12 * 3_600)))
    }

    @Test func needsTouchOncePerTouchInterval() {
        let used = session(lastUsedAfter: 0)
        #expect(!policy.needsTouch(used, at: login))
        #expect(!policy.needsTouch(used, at: login.addingTimeInterval(59.9)))
        #expect(policy.needsTouch(used, at: login.addingTimeInterval(60)))
        #expect(policy.needsTouch(used, at: login.addingTimeInterval(3_600)))
    }

    @Test(arguments: [-1, 0, 1, 4])
    func noPauseBelowFiveFailures(failures: Int) {
        #expect(policy.pause(afterFailures: failures) == nil)
    }

    @Test func pauseStartsAtOneSecondAndDoubles() {
        let pauses = (5...14).map { policy.pause(afterFailures: $0) }
        #expect(pauses == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512])
    }

    @Test(arguments: [15, 16, 40, 1_000, Int.max])
    func pauseIsCappedAtFifteenMinutes(failures: Int) {
        #expect(policy.pause(afterFailures: failures) == TimeInterval(15 * 60))
    }

    @Test func pauseFollowsAChangedPolicy() {
        var strict = SessionPolicy()
        strict.freeFailures = 3
        strict.firstPause = 10
        strict.longestPause = 25
        #expect(strict.pause(afterFailures: 2) == nil)
        #expect((3...6).map { strict.pause(afterFailures: $0) } == [10, 20, 25, 25])
    }
}
