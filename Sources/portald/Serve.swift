import ArgumentParser
import CommandLineSupport
import Foundation
import Logging
import PortalCore
import PortalServer

/// `portald serve`: runs the worker until SIGINT or SIGTERM.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve commands until stopped by SIGINT or SIGTERM.",
        discussion: """
            Every setting can also come from an environment variable (PORTAL_ plus the setting's \
            name in capitals, e.g. PORTAL_WORKERS) or from the configuration file (the setting's \
            name as key, e.g. workers = 4). Flags win over the environment, which wins over the file. \
            An annotated example file is deploy/portald.conf.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Configuration file of 'key = value' lines (env: PORTAL_CONFIG).", valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp("SQLite database file, created when missing. Default: var/portal.sqlite", valueName: "path"))
    var database: String?

    @Option(help: ArgumentHelp("Folder of the signing keys (portald keys generate). Default: var/keys", valueName: "path"))
    var keysDir: String?

    @Option(help: ArgumentHelp("ZeroMQ endpoint the command socket (ROUTER) binds. Default: tcp://127.0.0.1:5555; port * picks a free one.", valueName: "endpoint"))
    var commandEndpoint: String?

    @Option(help: ArgumentHelp("ZeroMQ endpoint the event socket (PUB) binds. Default: tcp://127.0.0.1:5556.", valueName: "endpoint"))
    var eventEndpoint: String?

    @Option(help: ArgumentHelp("Worker threads executing commands. Default: one per core.", valueName: "n"))
    var workers: Int?

    @Option(help: ArgumentHelp("Request lines admitted and not yet answered, at most; beyond it new lines get 'busy'. Default: 20000.", valueName: "lines"))
    var backlog: Int?

    @Option(help: ArgumentHelp("Bytes of admitted request frames not yet answered, at most. Default: 67108864 (64 MiB).", valueName: "bytes"))
    var backlogBytes: Int?

    @Option(help: ArgumentHelp("Seconds a request may wait for a worker; one that would wait longer gets 'busy'. Default: 0.05.", valueName: "seconds"))
    var backlogWait: Double?

    @Option(help: ArgumentHelp("Largest request frame; larger gets one 'too_large' reply. Default: 1048576 (1 MiB).", valueName: "bytes"))
    var maxFrameBytes: Int?

    @Option(help: ArgumentHelp("Most request lines in one frame; more gets one 'too_large' reply. Default: 1000.", valueName: "n"))
    var maxLines: Int?

    @Option(help: ArgumentHelp("Deepest JSON nesting in a request line. Default: 64.", valueName: "n"))
    var maxDepth: Int?

    @Option(help: ArgumentHelp("Messages above this size make libzmq disconnect the sender (ZMQ_MAXMSGSIZE). Default: 16777216 (16 MiB).", valueName: "bytes"))
    var hardMaxMessageBytes: Int?

    @Option(help: ArgumentHelp("Seconds that in-flight requests get to finish after SIGINT/SIGTERM. Default: 5.", valueName: "seconds"))
    var shutdownGrace: Double?

    @Option(help: ArgumentHelp("Seconds a reply is kept for a connected client that does not read it. Default: 30.", valueName: "seconds"))
    var replyHold: Double?

    @Option(help: ArgumentHelp("trace, debug, info, notice, warning, error or critical. Default: info.", valueName: "level"))
    var logLevel: String?

    @Option(help: ArgumentHelp("Seconds after which an unused session expires. Default: 1800.", valueName: "seconds"))
    var sessionIdle: Double?

    @Option(help: ArgumentHelp("Seconds after login at which every session ends. Default: 43200.", valueName: "seconds"))
    var sessionAbsolute: Double?

    @Option(help: ArgumentHelp(
        "Seconds a session read for a request is served from memory; another node's logout takes this long to reach this one, this node's own at once. 0: read for every request. Default: 10.",
        valueName: "seconds"))
    var sessionCache: Double?

    @Option(help: ArgumentHelp(
        "MiB of license.get results kept in memory and sent again while no change to what licenses show (by this process, or within 10 ms by another process or node on the same database) and no turn of the clock has changed them. 0: read for every request. Default: 32.",
        valueName: "MiB"))
    var licenseCache: Int?

    @Option(help: ArgumentHelp("This node's name; nodes sharing a database need different ones. Default: the host name.", valueName: "name"))
    var node: String?

    @Option(help: ArgumentHelp("Seconds between heartbeats (last committed seq) on the event socket. Default: 1.", valueName: "seconds"))
    var eventHeartbeat: Double?

    @Option(help: ArgumentHelp("Days events stay available for replay (events.since). Default: 30.", valueName: "days"))
    var eventRetentionDays: Int?

    @Option(help: ArgumentHelp("Events queued per subscriber before a slow one loses events (and replays them). Default: 10000.", valueName: "n"))
    var eventHwm: Int?

    @Option(help: ArgumentHelp("Self-service reactivations per license within 365 days; beyond, the activation team decides. Default: 3.", valueName: "n"))
    var reactivationLimit: Int?

    @Option(help: ArgumentHelp("Days a superseded activation keeps working after a reactivation. Default: 30.", valueName: "days"))
    var reactivationGraceDays: Int?

    @Option(help: ArgumentHelp("Hours to a support ticket's first response by service level, '*' for any other. Default: Premium=4,Standard=8,Basic=24,*=24.", valueName: "level=hours,…"))
    var ticketResponseHours: String?

    @Option(help: ArgumentHelp("Seconds between scheduler passes, which announce runtime and service ends as events; it also runs at start-up. Default: 60.", valueName: "seconds"))
    var scheduleInterval: Double?

    @Flag(help: "Let staff admins move the clock forward (system.clock.advance), to test expiry end to end. Never in production.")
    var testClock = false

    @Option(help: ArgumentHelp("true: the workers' writes share commits, one fsync makes them durable while the workers go on, replies wait for it; false: each write commits and syncs on its own, for comparison. Default: true.", valueName: "bool"))
    var groupCommit: String?

    /// The flags that were given, keyed by setting name as the loader expects them.
    private var flagValues: [String: String] {
        let values: [String: CustomStringConvertible?] = [
            "database": database, "keys_dir": keysDir, "command_endpoint": commandEndpoint, "event_endpoint": eventEndpoint,
            "workers": workers, "backlog": backlog, "backlog_bytes": backlogBytes, "backlog_wait": backlogWait,
            "max_frame_bytes": maxFrameBytes, "max_lines": maxLines, "max_depth": maxDepth,
            "hard_max_message_bytes": hardMaxMessageBytes, "shutdown_grace": shutdownGrace,
            "reply_hold": replyHold, "log_level": logLevel, "session_idle": sessionIdle,
            "session_absolute": sessionAbsolute, "session_cache": sessionCache,
            "license_cache": licenseCache, "node": node, "event_heartbeat": eventHeartbeat,
            "event_retention_days": eventRetentionDays, "event_hwm": eventHwm,
            "schedule_interval": scheduleInterval, "reactivation_limit": reactivationLimit,
            "reactivation_grace_days": reactivationGraceDays, "ticket_response_hours": ticketResponseHours, "test_clock": testClock ? true : nil,
            "group_commit": groupCommit,
        ]
        return values.compactMapValues { $0?.description }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration: ServerConfiguration
        do {
            let path = config ?? environment["PORTAL_CONFIG"]
            let file = try path.map { path in
                do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
                    throw ConfigurationError(setting: "config", message: "cannot read \(path)")
                }
            }
            configuration = try ConfigurationLoader.load(flags: flagValues, environment: environment, file: file)
        } catch let error as ConfigurationError {
            throw CommandFailure("configuration: \(error)")
        }

        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info
            return handler
        }
        let logger = Logger(label: "portald")

        let signals = ShutdownSignals()
        let server: PortalServer
        do {
            server = try PortalServer(configuration: configuration, logger: logger)
        } catch {
            throw CommandFailure("\(error)")
        }
        signals.attach(server)

        // One line on stdout, unbuffered, so supervisors and tests learn the resolved endpoints.
        FileHandle.standardOutput.write(Data((
            "portald \(PortalVersion.current) listening on commands=\(server.endpoints.command) "
            + "events=\(server.endpoints.events) database=\(configuration.databasePath) "
            + "workers=\(configuration.workerCount)\n").utf8))
        logger.info("started", metadata: [
            "zmq.command_endpoint": "\(server.endpoints.command)", "zmq.event_endpoint": "\(server.endpoints.events)",
        ])
        server.wait()
        signals.cancel()
        logger.info("stopped")
    }
}
