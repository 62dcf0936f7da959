import Foundation
import PortalCore
import PortalProtocol
import Testing

/// `portald serve --test-clock`: staff admins move the server's time forward with
/// `system.clock.advance`, and what time changes (runtime and service ends) is announced by the
/// scheduler of the real server, as in production, only sooner.
@Suite struct TestClockEndToEndTests {
    private static func advance(days: Int, on server: PortaldProcess) throws -> JSONValue {
        let token = try DemoWorld.token("admin@demo.example", on: server)
        return try server.client().request(RequestLine.line(
            id: 1, command: "system.clock.advance", auth: token, arguments: ["days": .int(Int64(days))]))
    }

    @Test func theMachinesClockCannotBeMoved() throws {
        let world = try DemoWorld()
        let server = try world.start()
        let reply = try Self.advance(days: 1, on: server)
        #expect(reply.errorCode == "forbidden", "\(reply)")
    }

    @Test func onlyStaffAdminsMoveTheClock() throws {
        let world = try DemoWorld()
        let server = try world.start(["--test-clock"])
        for email in ["customer@demo.example", "order@demo.example"] {
            let token = try DemoWorld.token(email, on: server)
            let reply = try server.client().request(RequestLine.line(
                id: 1, command: "system.clock.advance", auth: token, arguments: ["days": 1]))
            #expect(reply.errorCode == "forbidden", "\(email): \(reply)")
        }
        let backwards = try server.client().request(RequestLine.line(
            id: 1, command: "system.clock.advance", auth: try DemoWorld.token("admin@demo.example", on: server),
            arguments: ["days": -1]))
        #expect(backwards.errorCode == "bad_request", "\(backwards)")
    }

    /// Three years on, every demo license with a runtime or service end has passed it: the
    /// scheduler announces each change once, with cause `schedule`, and the overview agrees.
    @Test func theSchedulerAnnouncesWhatTheMovedTimeChanged() throws {
        let world = try DemoWorld()
        let server = try world.start(["--test-clock", "--schedule-interval", "1"])
        let before = try DemoWorld.lastSeq(on: server)
        let ping = try server.client().request(RequestLine.line(id: 1, command: "system.ping"))
        let startTime = try #require(ping.result?["time"]?.stringValue.flatMap(RFC3339.date(from:)))

        let moved = try Self.advance(days: 3 * 366, on: server)
        let now = try #require(moved.result?["now"]?.stringValue.flatMap(RFC3339.date(from:)), "\(moved)")
        #expect(now.timeIntervalSince(startTime) >= 3 * 366 * 86_400)

        // Announced by the next pass, within a few seconds.
        var scheduled: [JSONValue] = []
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            scheduled = try DemoWorld.events(after: before, on: server).filter { $0["data"]?["cause"] == "schedule" }
            if scheduled.contains(where: { $0["type"] == "license.status" }) { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let statusChanges = scheduled.filter { $0["type"] == "license.status" }
        #expect(!statusChanges.isEmpty, "no license.status events with cause schedule")
        #expect(statusChanges.allSatisfy { $0["data"]?["to"] == "expired" }, "\(statusChanges)")
        let changed = statusChanges.compactMap { $0["data"]?["license"]?["id"]?.stringValue }
        #expect(Set(changed).count == changed.count, "a license announced twice: \(changed)")

        // The customer's overview shows its announced licenses expired.
        let login = try server.client().request(RequestLine.line(
            id: 1, command: "auth.login", arguments: ["email": "customer@demo.example", "password": .string(DemoWorld.password)]))
        let token = try #require(login.result?["token"]?.stringValue)
        let company = try #require(login.result?["company"]?["id"])
        let page = try server.client().request(RequestLine.line(
            id: 1, command: "license.list", auth: token, view: "customer",
            arguments: ["filter": ["status": "expired"], "limit": 500]))
        let expired = Set((page.result?["items"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue })
        let announcedToCustomer = statusChanges.filter { $0["company"] == company }.compactMap { $0["data"]?["license"]?["id"]?.stringValue }
        #expect(!announcedToCustomer.isEmpty)
        #expect(Set(announcedToCustomer).isSubset(of: expired), "announced \(announcedToCustomer), listed expired \(expired)")
    }
}
