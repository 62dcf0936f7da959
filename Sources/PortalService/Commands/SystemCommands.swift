import Foundation
import PortalCore
import PortalProtocol

/// `system.*`: liveness, facts about the running server and its public keys; no session needed.
enum SystemCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        registry.register("system.ping", access: .anyone, ping)
        registry.register("system.info", access: .anyone, info)
        registry.register("system.keys", access: .anyone, keys)
        registry.register("system.clock.advance", access: .staff([.admin]), advanceClock)
    }

    /// Moves a test server's clock forward by `days` and `seconds` (both optional, not negative):
    /// how end-to-end tests reach expiry without waiting. `forbidden` on the machine's clock.
    static func advanceClock(_ context: CommandContext) throws -> any Encodable & Sendable {
        guard let clock = context.environment.clock as? MovableWallClock else {
            throw PortalError(.forbidden, "this server runs on the machine's clock; start it with --test-clock to move time")
        }
        let arguments = context.arguments
        let days = try arguments.optionalInt("days", in: 0...36_500) ?? 0
        let seconds = try arguments.optionalInt("seconds", in: 0...3_153_600_000) ?? 0
        clock.advance(by: TimeInterval(days) * 86_400 + TimeInterval(seconds))
        return JSONValue.object(["now": .string(RFC3339.string(from: clock.now))])
    }

    /// The public keys that verify activation certificates and download tokens, as a JWK Set.
    static func keys(_ context: CommandContext) throws -> any Encodable & Sendable {
        try context.environment.signer.publicKeySet()
    }

    static func ping(_ context: CommandContext) throws -> any Encodable & Sendable {
        // Written directly: ping measures the transport and the server's own overhead, which a
        // tree of two members would add to.
        var writer = JSONWriter(capacity: 48)
        writer.object { object in
            object.member("pong", JSONValue.bool(true))
            object.member("time", context.environment.clock.now)
        }
        return JSONText(writer)
    }

    static func info(_ context: CommandContext) throws -> any Encodable & Sendable {
        let environment = context.environment
        let store = try environment.store.metadata()
        let statistics = environment.statistics
        let uptime = environment.clock.now.timeIntervalSince(environment.runtime.startedAt)
        let memory = ProcessMemory.current()
        return JSONValue.object([
            "version": .string(PortalVersion.current),
            "protocol": .int(Request.protocolVersion),
            "store": .string(store.kind),
            "store_id": .string(store.storeID),
            "schema_version": .string(store.schemaVersion),
            "workers": .int(Int64(environment.runtime.workerCount)),
            "started_at": .string(RFC3339.string(from: environment.runtime.startedAt)),
            "uptime_s": .int(Int64(max(0, uptime.rounded(.down)))),
            "libzmq": .string(environment.runtime.transportVersion),
            "rss_bytes": memory.map { .int($0.residentBytes) } ?? .null,
            "rss_peak_bytes": memory.map { .int($0.peakResidentBytes) } ?? .null,
            "stats": .object([
                "admitted_lines": .int(Int64(statistics.admittedLines.load(ordering: .relaxed))),
                "busy_lines": .int(Int64(statistics.busyLines.load(ordering: .relaxed))),
                "too_large_frames": .int(Int64(statistics.tooLargeFrames.load(ordering: .relaxed))),
                "undeliverable_replies": .int(Int64(statistics.undeliverableReplies.load(ordering: .relaxed))),
                "backlog_lines": .int(Int64(statistics.backlogLines.load(ordering: .relaxed))),
                "published_seq": .int(statistics.publishedSeq.load(ordering: .relaxed)),
                "commits": .int(Int64(environment.store.deferredSync?.committed ?? 0)),
                "durable_commits": .int(Int64(environment.store.deferredSync?.synced ?? 0)),
                "syncs": .int(Int64(environment.store.deferredSync?.syncCount ?? 0)),
            ]),
        ])
    }
}
