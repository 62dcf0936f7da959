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

        // Seventy days on, the service ending in 90 days (the integrator's license) is in its last 28.
        #expect(try Self.advance(days: 70, on: server).result != nil)
        var early: [JSONValue] = []
        let earlyDeadline = Date().addingTimeInterval(20)
        while Date() < earlyDeadline, !early.contains(where: { $0["type"] == "license.expiring" }) {
            Thread.sleep(forTimeInterval: 0.2)
            early = try DemoWorld.events(after: before, on: server).filter { $0["data"]?["cause"] == "schedule" }
        }
        #expect(early.contains { $0["type"] == "license.expiring" }, "no license.expiring")
        #expect(early.contains { $0["type"] == "license.service" && $0["data"]?["to"] == "expiring" })

        // Three years on, every end has passed.
        let moved = try Self.advance(days: 3 * 366, on: server)
        let now = try #require(moved.result?["now"]?.stringValue.flatMap(RFC3339.date(from:)), "\(moved)")
        #expect(now.timeIntervalSince(startTime) >= (70 + 3 * 366) * 86_400)

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
        // Every change once: per license, event type and new state.
        let changes = scheduled.map { event in
            [event["data"]?["license"]?["id"], event["type"], event["data"]?["to"]].map { $0?.stringValue ?? "" }.joined(separator: " ")
        }
        #expect(Set(changes).count == changes.count, "announced twice: \(changes.sorted())")
        #expect(scheduled.contains { $0["type"] == "license.service" && $0["data"]?["to"] == "expired" })

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

    /// The two grace periods that end with time: an ALM license imported today and never
    /// activated ends its test phase after 30 days, and an activation superseded by a
    /// reactivation stops working 30 days later. Each is announced once.
    @Test func gracePeriodsEndAndAreAnnouncedOnce() throws {
        let world = try DemoWorld()
        let keys = world.folder.path("keys")
        let generated = try ChildProcess.run(try TestExecutables.portald(), ["keys", "generate", "--keys-dir", keys])
        try #require(generated.status == 0, "portald keys generate: \(generated.standardError)")
        let server = try world.start(["--test-clock", "--schedule-interval", "1", "--keys-dir", keys])
        let client = try server.client()
        func ok(_ line: String) throws -> JSONValue {
            let reply = try client.request(line)
            return try #require(reply.result, "\(line): \(reply)")
        }

        // A customer moves a license to a new server: the first activation is superseded.
        let customer = try DemoWorld.token("customer@demo.example", on: server)
        let waiting = try ok(RequestLine.line(
            id: 1, command: "license.list", auth: customer, view: "customer",
            arguments: ["filter": ["status": "not_activated"], "limit": 1]))
        let license = try #require(waiting["items"]?.arrayValue?.first?["id"])
        for key in ["8F3KQ-2M9XD-7TQ4R-ZP6WN-H1C5B", "1A2B3-C4D5E-F6G7H-J8K9M-N0PQR"] {
            _ = try ok(RequestLine.line(
                id: 2, command: "license.activate", auth: customer, view: "customer",
                arguments: ["license": license, "registration_key": .string(key)]))
        }

        // The order team imports an ALM license bought today.
        let today = try #require(try ok(RequestLine.line(id: 3, command: "system.ping"))["time"])
        let order = try DemoWorld.token("order@demo.example", on: server)
        let imported = try ok(RequestLine.line(id: 4, command: "license.import", auth: order, arguments: ["rows": [
            ["type": "company", "ref": "C-TEST", "name": "Test Phase GmbH", "views": ["customer"]],
            ["type": "product", "ref": "TP-TEST", "name": "Test Engine", "line": "ThinPrint"],
            ["type": "license", "order_reference": "SO-TEST", "order_date": today, "product": "TP-TEST", "owner": "C-TEST",
             "model": "alm", "runtime_end": "2099-01-01T00:00:00Z"],
        ]]))
        #expect(imported["errors"] == [])
        // The scheduler has passed the import before time moves (it runs every second).
        Thread.sleep(forTimeInterval: 1.5)
        let before = try DemoWorld.lastSeq(on: server)

        func ended() throws -> [String: [JSONValue]] {
            Dictionary(grouping: try DemoWorld.events(after: before, on: server).filter {
                ["license.test_phase_ended", "license.reactivation_grace_ended"].contains($0["type"]?.stringValue)
            }) { $0["type"]?.stringValue ?? "" }
        }
        #expect(try Self.advance(days: 29, on: server).result != nil)
        Thread.sleep(forTimeInterval: 2)
        #expect(try ended().isEmpty, "a day of both periods is left")

        #expect(try Self.advance(days: 2, on: server).result != nil)
        var seen: [String: [JSONValue]] = [:]
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, seen.count < 2 {
            Thread.sleep(forTimeInterval: 0.2)
            seen = try ended()
        }
        #expect(seen["license.test_phase_ended"]?.map { $0["data"]?["license"]?["id"] } == ["li_ext_SO-TEST_1"])
        #expect(seen["license.reactivation_grace_ended"]?.map { $0["data"]?["license"]?["id"] } == [license])
        #expect(seen["license.reactivation_grace_ended"]?.first?["data"]?["activation"]?["registration_key"] == "8F3KQ-2M9XD-7TQ4R-ZP6WN-H1C5B")

        // Later passes announce neither again.
        #expect(try Self.advance(days: 1, on: server).result != nil)
        Thread.sleep(forTimeInterval: 2)
        #expect(try ended().mapValues(\.count) == ["license.test_phase_ended": 1, "license.reactivation_grace_ended": 1])
    }
}
