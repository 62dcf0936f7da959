import PortalCore
import PortalProtocol

/// `system.*`: liveness, facts about the running server and its public keys; no session needed.
enum SystemCommands: CommandFamily {
    static func register(in registry: inout CommandRegistry) {
        registry.register("system.ping", access: .anyone, ping)
        registry.register("system.info", access: .anyone, info)
        registry.register("system.keys", access: .anyone, keys)
    }

    /// The public keys that verify activation certificates and download tokens, as a JWK Set.
    static func keys(_ context: CommandContext) throws -> any Encodable & Sendable {
        try context.environment.signer.publicKeySet()
    }

    static func ping(_ context: CommandContext) throws -> any Encodable & Sendable {
        JSONValue.object(["pong": true, "time": .string(RFC3339.string(from: context.environment.clock.now))])
    }

    static func info(_ context: CommandContext) throws -> any Encodable & Sendable {
        let environment = context.environment
        let store = try environment.store.metadata()
        let statistics = environment.statistics
        let uptime = environment.clock.now.timeIntervalSince(environment.runtime.startedAt)
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
            "stats": .object([
                "admitted_lines": .int(Int64(statistics.admittedLines.load(ordering: .relaxed))),
                "busy_lines": .int(Int64(statistics.busyLines.load(ordering: .relaxed))),
                "too_large_frames": .int(Int64(statistics.tooLargeFrames.load(ordering: .relaxed))),
                "undeliverable_replies": .int(Int64(statistics.undeliverableReplies.load(ordering: .relaxed))),
                "backlog_lines": .int(Int64(statistics.backlogLines.load(ordering: .relaxed))),
                "published_seq": .int(statistics.publishedSeq.load(ordering: .relaxed)),
            ]),
        ])
    }
}
