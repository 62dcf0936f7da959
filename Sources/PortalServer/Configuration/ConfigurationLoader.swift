import Foundation

/// Builds a `ServerConfiguration` from its three sources: command-line flags win over environment
/// variables, which win over the configuration file, which wins over the defaults.
///
/// Every setting has one name used everywhere: `workers` is the flag `--workers`, the variable
/// `PORTAL_WORKERS` and the file key `workers`.
public struct ConfigurationLoader {
    /// One setting: its name and how a text value is applied.
    struct Setting {
        let name: String
        let apply: (inout ServerConfiguration, String) throws(ConfigurationError) -> Void

        var environmentVariable: String { "PORTAL_" + name.uppercased() }
    }

    static var settings: [Setting] { [
        Setting(name: "database") { config, value throws(ConfigurationError) in config.databasePath = value },
        Setting(name: "keys_dir") { config, value throws(ConfigurationError) in config.keysDirectory = value },
        Setting(name: "command_endpoint") { config, value throws(ConfigurationError) in config.commandEndpoint = value },
        Setting(name: "event_endpoint") { config, value throws(ConfigurationError) in config.eventEndpoint = value },
        Setting(name: "workers") { config, value throws(ConfigurationError) in
            config.workerCount = try integer(value, "workers")
        },
        Setting(name: "backlog") { config, value throws(ConfigurationError) in
            config.backlogLines = try integer(value, "backlog")
        },
        Setting(name: "backlog_bytes") { config, value throws(ConfigurationError) in
            config.backlogBytes = try integer(value, "backlog_bytes")
        },
        Setting(name: "backlog_wait") { config, value throws(ConfigurationError) in
            config.backlogWaitSeconds = try seconds(value, "backlog_wait")
        },
        Setting(name: "max_frame_bytes") { config, value throws(ConfigurationError) in
            config.limits.maxFrameBytes = try integer(value, "max_frame_bytes")
        },
        Setting(name: "max_lines") { config, value throws(ConfigurationError) in
            config.limits.maxLinesPerFrame = try integer(value, "max_lines")
        },
        Setting(name: "max_depth") { config, value throws(ConfigurationError) in
            config.limits.maxDepth = try integer(value, "max_depth")
        },
        Setting(name: "hard_max_message_bytes") { config, value throws(ConfigurationError) in
            config.hardMaxMessageBytes = try integer(value, "hard_max_message_bytes")
        },
        Setting(name: "shutdown_grace") { config, value throws(ConfigurationError) in
            config.shutdownGraceSeconds = try seconds(value, "shutdown_grace")
        },
        Setting(name: "reply_hold") { config, value throws(ConfigurationError) in
            config.replyHoldSeconds = try seconds(value, "reply_hold")
        },
        Setting(name: "log_level") { config, value throws(ConfigurationError) in config.logLevel = value },
        Setting(name: "session_idle") { config, value throws(ConfigurationError) in
            config.sessionIdleSeconds = try seconds(value, "session_idle")
        },
        Setting(name: "session_absolute") { config, value throws(ConfigurationError) in
            config.sessionAbsoluteSeconds = try seconds(value, "session_absolute")
        },
        Setting(name: "session_cache") { config, value throws(ConfigurationError) in
            config.sessionCacheSeconds = try seconds(value, "session_cache")
        },
        Setting(name: "license_cache") { config, value throws(ConfigurationError) in
            config.licenseCacheMebibytes = try integer(value, "license_cache")
        },
        Setting(name: "node") { config, value throws(ConfigurationError) in config.nodeName = value },
        Setting(name: "event_heartbeat") { config, value throws(ConfigurationError) in
            config.heartbeatSeconds = try seconds(value, "event_heartbeat")
        },
        Setting(name: "event_retention_days") { config, value throws(ConfigurationError) in
            config.eventRetentionDays = try integer(value, "event_retention_days")
        },
        Setting(name: "event_hwm") { config, value throws(ConfigurationError) in
            config.eventHighWaterMark = try integer(value, "event_hwm")
        },
        Setting(name: "reactivation_limit") { config, value throws(ConfigurationError) in
            config.reactivationLimit = try integer(value, "reactivation_limit")
        },
        Setting(name: "reactivation_grace_days") { config, value throws(ConfigurationError) in
            config.reactivationGraceDays = try integer(value, "reactivation_grace_days")
        },
        Setting(name: "ticket_response_hours") { config, value throws(ConfigurationError) in
            config.ticketResponseHours = try hoursByLevel(value, "ticket_response_hours")
        },
        Setting(name: "schedule_interval") { config, value throws(ConfigurationError) in
            config.scheduleIntervalSeconds = try seconds(value, "schedule_interval")
        },
        Setting(name: "test_clock") { config, value throws(ConfigurationError) in
            config.testClock = try boolean(value, "test_clock")
        },
        Setting(name: "group_commit") { config, value throws(ConfigurationError) in
            config.groupCommit = try boolean(value, "group_commit")
        },
    ] }

    /// The names of all settings, as the configuration file and the flags spell them.
    public static var settingNames: [String] { settings.map(\.name) }

    /// Merges the sources and validates the result.
    ///
    /// - Parameters:
    ///   - flags: values given on the command line, keyed by setting name.
    ///   - environment: the process environment; only `PORTAL_*` variables are read.
    ///   - file: the configuration file's text, if one was given.
    public static func load(
        flags: [String: String], environment: [String: String], file: String?
    ) throws(ConfigurationError) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        let fileValues = try file.map { (text) throws(ConfigurationError) in try ConfigurationFile.parse(text) } ?? [:]
        for key in fileValues.keys.sorted() where !settings.contains(where: { $0.name == key }) {
            throw ConfigurationError(setting: key, message: "unknown setting in the configuration file")
        }
        for setting in settings {
            if let value = flags[setting.name] {
                try setting.apply(&configuration, value)
            } else if let value = environment[setting.environmentVariable] {
                try setting.apply(&configuration, value)
            } else if let value = fileValues[setting.name] {
                try setting.apply(&configuration, value)
            }
        }
        try configuration.validate()
        return configuration
    }

    private static func integer(_ text: String, _ name: String) throws(ConfigurationError) -> Int {
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw ConfigurationError(setting: name, message: "expected a whole number, got '\(text)'")
        }
        return value
    }

    private static func boolean(_ text: String, _ name: String) throws(ConfigurationError) -> Bool {
        switch text.lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default: throw ConfigurationError(setting: name, message: "expected true or false, got '\(text)'")
        }
    }

    /// `Premium=4, Standard=8, *=24`: whole hours by level, each level once.
    private static func hoursByLevel(_ text: String, _ name: String) throws(ConfigurationError) -> [String: Int] {
        var hours: [String: Int] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let value = Int(parts[1]) else {
                throw ConfigurationError(setting: name, message: "expected level=hours pairs separated by commas, got '\(pair)'")
            }
            guard hours.keys.allSatisfy({ $0.lowercased() != parts[0].lowercased() }) else {
                throw ConfigurationError(setting: name, message: "level '\(parts[0])' is given twice")
            }
            hours[parts[0]] = value
        }
        return hours
    }

    private static func seconds(_ text: String, _ name: String) throws(ConfigurationError) -> Double {
        guard let value = Double(text.replacingOccurrences(of: "_", with: "")), value.isFinite else {
            throw ConfigurationError(setting: name, message: "expected a number of seconds, got '\(text)'")
        }
        return value
    }
}
