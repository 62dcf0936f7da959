import Foundation
import PortalCore
import PortalProtocol
@testable import PortalService
import Testing

@Suite struct SystemCommandsTests {
    @Test func pingTellsTheClocksTime() throws {
        let fixture = try ExecutorFixture()
        let reply = try fixture.execute(#"{"id":1,"cmd":"system.ping"}"#)
        #expect(reply == ["id": 1, "ok": true, "result": ["pong": true, "time": "2026-11-29T08:15:00Z"]])

        fixture.clock.advance(by: 90)
        #expect(try fixture.execute(#"{"id":2,"cmd":"system.ping"}"#)["result"]?["time"] == "2026-11-29T08:16:30Z")
    }

    @Test func infoReportsTheRuntimeAndUptimeFollowsTheClock() throws {
        let fixture = try ExecutorFixture(workers: 3)
        let first = try #require(try fixture.execute(#"{"id":1,"cmd":"system.info"}"#)["result"])

        #expect(first["workers"] == 3)
        #expect(first["protocol"] == 1)
        #expect(first["store"] == "sqlite")
        #expect(first["version"] == .string(PortalVersion.current))
        #expect(first["libzmq"] == "4.3.4")
        #expect(first["started_at"] == "2026-11-29T08:15:00Z")
        #expect(first["uptime_s"] == 0)
        #expect(first["store_id"]?.stringValue?.isEmpty == false)
        #expect(first["schema_version"]?.stringValue?.isEmpty == false)
        #expect(first["stats"]?.objectValue?.keys.sorted() == [
            "admitted_lines", "backlog_lines", "busy_lines", "commits", "durable_commits", "published_seq", "syncs", "too_large_frames",
            "undeliverable_replies",
        ])

        fixture.clock.advance(by: 3_661.7)
        let later = try #require(try fixture.execute(#"{"id":2,"cmd":"system.info"}"#)["result"])
        #expect(later["uptime_s"] == 3_661)
        #expect(later["started_at"] == "2026-11-29T08:15:00Z")
    }

    @Test func infoReadsTheServersCounters() throws {
        let fixture = try ExecutorFixture()
        let statistics = fixture.executor.environment.statistics
        statistics.busyLines.add(7, ordering: .relaxed)
        statistics.tooLargeFrames.add(2, ordering: .relaxed)
        let stats = try fixture.execute(#"{"id":1,"cmd":"system.info"}"#)["result"]?["stats"]
        #expect(stats?["busy_lines"] == 7)
        #expect(stats?["too_large_frames"] == 2)
    }

    @Test func theStandardRegistryHasTheSystemCommands() {
        let commands = CommandRegistry.standard.commands
        #expect(commands.contains("system.ping"))
        #expect(commands.contains("system.info"))
        #expect(commands == commands.sorted())
    }
}
