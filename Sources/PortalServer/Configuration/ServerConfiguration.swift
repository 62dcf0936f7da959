import Foundation
import PortalCore
import PortalProtocol
import PortalService

/// Everything `portald serve` can be told, with the defaults it runs with when told nothing.
///
/// Reading flags, environment variables and the configuration file is `ConfigurationLoader`'s job;
/// this type only holds the values and checks that they fit together.
public struct ServerConfiguration: Sendable, Equatable {
    /// The SQLite database file; created, with its folder, when missing.
    public var databasePath = "var/portal.sqlite"
    /// The folder of signing keys (`portald keys`), kept apart from the database so that its dumps
    /// and backups never hold them. Without keys the server runs, but cannot sign.
    public var keysDirectory = "var/keys"
    /// Where the ROUTER socket for commands binds. `tcp://127.0.0.1:*` picks a free port.
    public var commandEndpoint = "tcp://127.0.0.1:5555"
    /// Where the PUB socket for events binds.
    public var eventEndpoint = "tcp://127.0.0.1:5556"
    /// Threads executing commands; default: one per core.
    public var workerCount = ProcessInfo.processInfo.activeProcessorCount
    /// Request lines admitted and not yet answered, at most; past it new lines get `busy` at once.
    public var backlogLines = 20_000
    /// Bytes of admitted request frames not yet answered, at most; bounds memory as `backlogLines` does.
    public var backlogBytes = 64 << 20
    /// Longest a request frame may wait for a worker; a frame that would wait longer gets `busy`
    /// (see `BacklogPace`). Keeps admitted requests fast under overload.
    public var backlogWaitSeconds = 0.05
    /// Frame, line and nesting limits of the protocol.
    public var limits = ProtocolLimits()
    /// libzmq disconnects a peer that sends a larger message (`ZMQ_MAXMSGSIZE`): the last line of
    /// defence against memory exhaustion, above `limits.maxFrameBytes` so that clients normally
    /// get a `too_large` reply instead.
    public var hardMaxMessageBytes = 16 << 20
    /// On SIGINT/SIGTERM, how long in-flight requests may take to finish and be answered.
    public var shutdownGraceSeconds = 5.0
    /// How long a reply is kept for a connected peer that does not read it before it is dropped.
    public var replyHoldSeconds = 30.0
    /// Log level: trace, debug, info, notice, warning, error or critical.
    public var logLevel = "info"
    /// Sessions unused this long expire.
    public var sessionIdleSeconds = 30.0 * 60
    /// Sessions end this long after login, however active.
    public var sessionAbsoluteSeconds = 12.0 * 60 * 60
    /// How long a session read for a request is served from memory (see `SessionPolicy`).
    public var sessionCacheSeconds = 10.0
    /// MiB of `license.get` results kept in memory at most (see `LicenseReplyCache`); 0 keeps none.
    public var licenseCacheMebibytes = LicenseReplyCache.defaultMebibytes
    /// This node's name, under which its event publisher records how far it has published, so
    /// that a restart resumes there; nodes sharing one database need different names.
    public var nodeName = ProcessInfo.processInfo.hostName
    /// Seconds between heartbeats on the event socket.
    public var heartbeatSeconds = 1.0
    /// Days events are kept for replay (`events.since`) before they are pruned.
    public var eventRetentionDays = 30
    /// Events queued per subscriber at most; past it a slow subscriber loses events (and
    /// recovers them by replay) rather than slow anything down.
    public var eventHighWaterMark = 10_000
    /// Seconds between the scheduler's passes, which announce what time changed about licenses
    /// (runtime and service ends, services entering their last 28 days); it also runs at start-up.
    public var scheduleIntervalSeconds = 60.0
    /// Self-service reactivations a license may have within 365 days; beyond, the activation
    /// team decides.
    public var reactivationLimit = 3
    /// Days a superseded activation keeps working after a reactivation.
    public var reactivationGraceDays = 30
    /// Hours to a support ticket's first response by Update & Support level; `*` stands for
    /// every level not listed. A level without a target is still entitled, without a deadline.
    public var ticketResponseHours = TicketPolicy().responseHours
    /// Whether the clock can be moved forward with `system.clock.advance`: for end-to-end tests of
    /// expiry and grace periods; never in production.
    public var testClock = false
    /// Whether the writes of all workers share commits, synced later for many at once while
    /// replies wait (group commit, `CommitSync`); off, each write commits and syncs on its own,
    /// for comparison.
    public var groupCommit = true

    public init() {}

    /// Checks that the values make sense together; the error names the setting to fix.
    public func validate() throws(ConfigurationError) {
        func require(_ condition: Bool, _ setting: String, _ message: String) throws(ConfigurationError) {
            if !condition { throw ConfigurationError(setting: setting, message: message) }
        }
        try require(!databasePath.isEmpty, "database", "must not be empty")
        try require(!keysDirectory.isEmpty, "keys_dir", "must not be empty")
        try require(workerCount >= 1 && workerCount <= 1_024, "workers", "must be between 1 and 1024")
        try require(limits.maxFrameBytes >= 64, "max_frame_bytes", "must be at least 64")
        try require(limits.maxLinesPerFrame >= 1, "max_lines", "must be at least 1")
        try require(limits.maxDepth >= 2, "max_depth", "must be at least 2 (a request is an object holding args)")
        try require(
            backlogLines >= limits.maxLinesPerFrame, "backlog",
            "must be at least max_lines (\(limits.maxLinesPerFrame)), or a full frame could never be admitted")
        try require(
            backlogBytes >= limits.maxFrameBytes, "backlog_bytes",
            "must be at least max_frame_bytes (\(limits.maxFrameBytes)), or a full frame could never be admitted")
        try require(
            hardMaxMessageBytes > limits.maxFrameBytes, "hard_max_message_bytes",
            "must exceed max_frame_bytes (\(limits.maxFrameBytes)) so oversized frames get a too_large reply")
        try require(backlogWaitSeconds >= 0.001 && backlogWaitSeconds <= 3_600, "backlog_wait", "must be between 0.001 and 3600 seconds")
        try require(shutdownGraceSeconds >= 0, "shutdown_grace", "must not be negative")
        try require(replyHoldSeconds > 0, "reply_hold", "must be positive")
        try require(sessionIdleSeconds >= 60, "session_idle", "must be at least 60 seconds")
        try require(
            sessionAbsoluteSeconds >= sessionIdleSeconds, "session_absolute", "must be at least session_idle")
        try require(sessionCacheSeconds >= 0 && sessionCacheSeconds <= 300, "session_cache", "must be between 0 and 300 seconds")
        try require(
            licenseCacheMebibytes >= 0 && licenseCacheMebibytes <= 4_096, "license_cache", "must be between 0 and 4096 MiB")
        try require(!nodeName.isEmpty, "node", "must not be empty")
        try require(reactivationLimit >= 0 && reactivationLimit <= 1_000, "reactivation_limit", "must be between 0 and 1000")
        try require(reactivationGraceDays >= 0 && reactivationGraceDays <= 365, "reactivation_grace_days", "must be between 0 and 365")
        try require(
            ticketResponseHours.values.allSatisfy { (1...8_760).contains($0) }, "ticket_response_hours",
            "every target must be between 1 and 8760 hours")
        try require(heartbeatSeconds >= 0.05 && heartbeatSeconds <= 3_600, "event_heartbeat", "must be between 0.05 and 3600 seconds")
        try require(eventRetentionDays >= 1, "event_retention_days", "must be at least 1 day")
        try require(eventHighWaterMark >= 1 && eventHighWaterMark <= 10_000_000, "event_hwm", "must be between 1 and 10000000")
        try require(
            scheduleIntervalSeconds >= 1 && scheduleIntervalSeconds <= 86_400, "schedule_interval",
            "must be between 1 and 86400 seconds")
        try require(
            ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(logLevel), "log_level",
            "must be one of trace, debug, info, notice, warning, error, critical")
    }
}

extension ServerConfiguration {
    /// The reactivation rules as the activation commands apply them.
    var reactivationPolicy: ReactivationPolicy {
        var policy = ReactivationPolicy()
        policy.limit = reactivationLimit
        policy.grace = TimeInterval(reactivationGraceDays) * 86_400
        return policy
    }

    /// The response targets as the ticket commands apply them.
    var ticketPolicy: TicketPolicy {
        var policy = TicketPolicy()
        policy.responseHours = ticketResponseHours
        return policy
    }

    /// Session lifetimes as the access policy applies them.
    var sessionPolicy: SessionPolicy {
        var policy = SessionPolicy()
        policy.idleTimeout = sessionIdleSeconds
        policy.absoluteTimeout = sessionAbsoluteSeconds
        policy.callerCacheLifetime = sessionCacheSeconds
        return policy
    }
}

/// A setting that is missing its mark: which one, where it came from, what is wrong.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var setting: String
    public var message: String

    public init(setting: String, message: String) {
        self.setting = setting
        self.message = message
    }

    public var description: String { "\(setting): \(message)" }
}
