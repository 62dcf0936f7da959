import Foundation
import PortalCore
import PortalStore
import Testing

@Suite struct LoginThrottleStoreTests {
    let fixture: StoreFixture

    init() throws {
        fixture = try StoreFixture()
    }

    func throttle(_ email: String) throws -> LoginThrottle? {
        try fixture.store.read { reader in try reader.loginThrottle(email: email) }
    }

    @Test func noThrottleUntilOneIsSaved() throws {
        #expect(try throttle("jane@printing.example") == nil)
    }

    @Test func aSavedThrottleReadsBackWithOrWithoutBlock() throws {
        let unblocked = LoginThrottle(email: "jane@printing.example", failures: 2, blockedUntil: nil)
        let blocked = LoginThrottle(email: "nobody@printing.example", failures: 5, blockedUntil: StoreFixture.start)
        try fixture.store.write { writer in
            try writer.save(unblocked)
            try writer.save(blocked)
        }
        #expect(try throttle("jane@printing.example") == unblocked)
        #expect(try throttle("nobody@printing.example") == blocked)
    }

    @Test func savingAgainReplaces() throws {
        try fixture.store.write { writer in
            try writer.save(LoginThrottle(email: "jane@printing.example", failures: 5, blockedUntil: StoreFixture.start))
        }
        let replaced = LoginThrottle(email: "jane@printing.example", failures: 6, blockedUntil: nil)
        try fixture.store.write { writer in try writer.save(replaced) }
        #expect(try throttle("jane@printing.example") == replaced)
    }

    @Test func theAddressIsComparedLowerCased() throws {
        try fixture.store.write { writer in
            try writer.save(LoginThrottle(email: "Jane@Printing.example", failures: 1, blockedUntil: nil))
            try writer.save(LoginThrottle(email: "JANE@printing.EXAMPLE", failures: 3, blockedUntil: nil))
        }
        #expect(try throttle("jane@printing.example") == LoginThrottle(email: "jane@printing.example", failures: 3, blockedUntil: nil))
    }

    @Test func deleteForgetsOnlyThatAddress() throws {
        try fixture.store.write { writer in
            try writer.save(LoginThrottle(email: "jane@printing.example", failures: 5, blockedUntil: StoreFixture.start))
            try writer.save(LoginThrottle(email: "bob@printing.example", failures: 1, blockedUntil: nil))
        }
        try fixture.store.write { writer in try writer.deleteLoginThrottle(email: "JANE@printing.example") }
        #expect(try throttle("jane@printing.example") == nil)
        #expect(try throttle("bob@printing.example")?.failures == 1)
    }
}
