import PortalProtocol
@testable import PortalServer
import Testing

@Suite struct ConfigurationLoaderTests {
    /// One setting given three different valid values, and how to read it back.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let flag: String
        let environment: String
        let file: String
        let read: @Sendable (ServerConfiguration) -> String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "workers", flag: "3", environment: "5", file: "7") { "\($0.workerCount)" },
        Case(name: "database", flag: "flag.sqlite", environment: "env.sqlite", file: "file.sqlite") { $0.databasePath },
        Case(name: "keys_dir", flag: "/flag/keys", environment: "/env/keys", file: "/file/keys") { $0.keysDirectory },
        Case(name: "command_endpoint", flag: "tcp://127.0.0.1:1", environment: "tcp://127.0.0.1:2",
             file: "tcp://127.0.0.1:3") { $0.commandEndpoint },
        Case(name: "event_endpoint", flag: "ipc:///tmp/f", environment: "ipc:///tmp/e", file: "ipc:///tmp/c") { $0.eventEndpoint },
        Case(name: "backlog", flag: "30000", environment: "40000", file: "50000") { "\($0.backlogLines)" },
        Case(name: "backlog_bytes", flag: "2000000", environment: "3000000", file: "4000000") { "\($0.backlogBytes)" },
        Case(name: "backlog_wait", flag: "0.5", environment: "1.5", file: "2.5") { "\($0.backlogWaitSeconds)" },
        Case(name: "max_frame_bytes", flag: "1000", environment: "2000", file: "3000") { "\($0.limits.maxFrameBytes)" },
        Case(name: "max_lines", flag: "10", environment: "20", file: "30") { "\($0.limits.maxLinesPerFrame)" },
        Case(name: "max_depth", flag: "8", environment: "16", file: "32") { "\($0.limits.maxDepth)" },
        Case(name: "hard_max_message_bytes", flag: "20000000", environment: "30000000", file: "40000000") {
            "\($0.hardMaxMessageBytes)"
        },
        Case(name: "shutdown_grace", flag: "1.5", environment: "2.5", file: "3.5") { "\($0.shutdownGraceSeconds)" },
        Case(name: "reply_hold", flag: "10.0", environment: "20.0", file: "40.0") { "\($0.replyHoldSeconds)" },
        Case(name: "log_level", flag: "debug", environment: "warning", file: "error") { $0.logLevel },
        Case(name: "session_idle", flag: "600.0", environment: "900.0", file: "1200.0") { "\($0.sessionIdleSeconds)" },
        Case(name: "session_absolute", flag: "7200.0", environment: "8000.0", file: "9000.0") { "\($0.sessionAbsoluteSeconds)" },
        Case(name: "session_cache", flag: "0.0", environment: "5.0", file: "30.0") { "\($0.sessionCacheSeconds)" },
        Case(name: "license_cache", flag: "0", environment: "16", file: "512") { "\($0.licenseCacheMebibytes)" },
        Case(name: "node", flag: "node-a", environment: "node-b", file: "node-c") { $0.nodeName },
        Case(name: "event_heartbeat", flag: "0.5", environment: "2.0", file: "3.0") { "\($0.heartbeatSeconds)" },
        Case(name: "event_retention_days", flag: "7", environment: "14", file: "60") { "\($0.eventRetentionDays)" },
        Case(name: "event_hwm", flag: "1000", environment: "2000", file: "3000") { "\($0.eventHighWaterMark)" },
        Case(name: "reactivation_limit", flag: "5", environment: "7", file: "9") { "\($0.reactivationLimit)" },
        Case(name: "reactivation_grace_days", flag: "10", environment: "20", file: "40") { "\($0.reactivationGraceDays)" },
        Case(name: "schedule_interval", flag: "30.0", environment: "120.0", file: "300.0") { "\($0.scheduleIntervalSeconds)" },
        Case(name: "ticket_response_hours", flag: "Gold=2", environment: "Gold=3", file: "Gold=5") {
            $0.ticketResponseHours.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ",")
        },
        // Two values only: the file's differs from the default (false), the environment's from the file's.
        Case(name: "test_clock", flag: "yes", environment: "no", file: "yes") { $0.testClock ? "yes" : "no" },
        // The file's differs from the default (true), the environment's from the file's.
        Case(name: "group_commit", flag: "no", environment: "yes", file: "no") { $0.groupCommit ? "yes" : "no" },
    ]

    private static func environmentName(_ setting: String) -> String { "PORTAL_" + setting.uppercased() }

    @Test func everySettingHasACase() {
        #expect(Set(ConfigurationLoader.settingNames) == Set(Self.cases.map(\.name)))
        #expect(ConfigurationLoader.settingNames.count == Set(ConfigurationLoader.settingNames).count, "no setting twice")
    }

    @Test(arguments: cases)
    func flagWinsOverEnvironmentAndFile(setting: Case) {
        let configuration = loadConfiguration(
            flags: [setting.name: setting.flag],
            environment: [Self.environmentName(setting.name): setting.environment],
            file: "\(setting.name) = \(setting.file)")
        #expect(setting.read(configuration) == setting.flag)
    }

    @Test(arguments: cases)
    func environmentWinsOverFile(setting: Case) {
        let configuration = loadConfiguration(
            environment: [Self.environmentName(setting.name): setting.environment],
            file: "\(setting.name) = \(setting.file)")
        #expect(setting.read(configuration) == setting.environment)
    }

    @Test(arguments: cases)
    func fileWinsOverDefault(setting: Case) {
        let configuration = loadConfiguration(file: "\(setting.name) = \"\(setting.file)\"")
        #expect(setting.read(configuration) == setting.file)
        #expect(setting.read(ServerConfiguration()) != setting.file)
    }

    @Test func precedenceIsDecidedPerSetting() {
        let configuration = loadConfiguration(
            flags: ["workers": "2"],
            environment: ["PORTAL_DATABASE": "/env/portal.sqlite", "PORTAL_WORKERS": "9"],
            file: """
                workers = 6
                database = "/file/portal.sqlite"
                log_level = notice
                """)
        #expect(configuration.workerCount == 2)
        #expect(configuration.databasePath == "/env/portal.sqlite")
        #expect(configuration.logLevel == "notice")
        #expect(configuration.commandEndpoint == "tcp://127.0.0.1:5555")
    }

    @Test func environmentVariablesAreUpperCaseWithPrefix() {
        #expect(loadConfiguration(environment: ["PORTAL_MAX_FRAME_BYTES": "4096"]).limits.maxFrameBytes == 4_096)
        #expect(loadConfiguration(environment: ["PORTAL_COMMAND_ENDPOINT": "tcp://*:7000"]).commandEndpoint == "tcp://*:7000")
        #expect(loadConfiguration(environment: ["portal_workers": "3", "WORKERS": "3", "workers": "3"])
            == ServerConfiguration())
        #expect(loadConfiguration(environment: ["PORTAL_UNKNOWN": "x", "PORTAL_CONFIG": "/etc/portald.conf"])
            == ServerConfiguration())
    }

    @Test func underscoresInWholeNumbers() {
        let configuration = loadConfiguration(
            environment: ["PORTAL_BACKLOG_BYTES": "128_000_000"],
            file: "backlog = 20_000\nmax_frame_bytes = 1_048_576")
        #expect(configuration.backlogLines == 20_000)
        #expect(configuration.backlogBytes == 128_000_000)
        #expect(configuration.limits.maxFrameBytes == 1_048_576)
    }

    @Test func annotatedFile() {
        let configuration = loadConfiguration(file: """
            # Enterprise Portal worker

            database = "/srv/portal/db#1.sqlite"   # quoted: may hold '#'
            command_endpoint = "tcp://0.0.0.0:5555"
            workers = 4          # one per core
            backlog = 20_000
            shutdown_grace = 2.5
            """)
        #expect(configuration.databasePath == "/srv/portal/db#1.sqlite")
        #expect(configuration.commandEndpoint == "tcp://0.0.0.0:5555")
        #expect(configuration.workerCount == 4)
        #expect(configuration.backlogLines == 20_000)
        #expect(configuration.shutdownGraceSeconds == 2.5)
    }

    @Test func unknownFileKeyIsAnErrorNamingIt() {
        let error = configurationError(file: "workers = 2\nworkerz = 3\n")
        #expect(error?.setting == "workerz")
        #expect(error?.message.contains("unknown setting") == true)
    }

    @Test func fileErrorsAreReported() {
        #expect(configurationError(file: "workers = 2\nworkers = 3")?.setting == "workers")
        #expect(configurationError(file: "# ok\nworkers: 2")?.setting == "line 2")
    }

    @Test func invalidValueNamesTheSettingWhicheverSourceGaveIt() {
        #expect(configurationError(flags: ["workers": "four"])?.setting == "workers")
        #expect(configurationError(environment: ["PORTAL_WORKERS": "four"])?.setting == "workers")
        #expect(configurationError(file: "workers = four")?.setting == "workers")
        #expect(configurationError(file: "workers = 0")?.setting == "workers")
        #expect(configurationError(environment: ["PORTAL_LOG_LEVEL": "loud"])?.setting == "log_level")
        #expect(configurationError(file: "backlog = 10")?.setting == "backlog")
        #expect(configurationError(file: "hard_max_message_bytes = 1_048_576")?.setting == "hard_max_message_bytes")
        #expect(configurationError(file: "session_cache = -1")?.setting == "session_cache")
        #expect(configurationError(file: "session_cache = 301")?.setting == "session_cache")
        #expect(configurationError(file: "license_cache = -1")?.setting == "license_cache")
        #expect(configurationError(file: "license_cache = 4097")?.setting == "license_cache")
    }

    /// A file saved with Windows line endings silently becomes one setting holding the rest of the file.
    @Test
    func crlfFileSetsEverySetting() {
        let configuration = loadConfiguration(file: "database = portal.sqlite\r\nworkers = 3\r\n")
        #expect(configuration.databasePath == "portal.sqlite")
        #expect(configuration.workerCount == 3)
    }

    @Test func overriddenValueIsNeverRead() {
        let configuration = loadConfiguration(
            flags: ["workers": "2"], environment: ["PORTAL_WORKERS": "not a number"], file: "workers = also not")
        #expect(configuration.workerCount == 2)
    }
}
