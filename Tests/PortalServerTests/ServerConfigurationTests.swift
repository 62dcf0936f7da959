import Foundation
import PortalProtocol
@testable import PortalServer
import Testing

@Suite struct ServerConfigurationTests {
    @Test func defaults() throws {
        let configuration = ServerConfiguration()
        #expect(configuration.commandEndpoint == "tcp://127.0.0.1:5555")
        #expect(configuration.eventEndpoint == "tcp://127.0.0.1:5556")
        #expect(configuration.databasePath == "var/portal.sqlite")
        #expect(configuration.limits.maxFrameBytes == 1 << 20)
        #expect(configuration.limits.maxLinesPerFrame == 1_000)
        #expect(configuration.limits.maxDepth == 64)
        #expect(configuration.limits == ProtocolLimits())
        #expect(configuration.workerCount == ProcessInfo.processInfo.activeProcessorCount)
        #expect(configuration.backlogLines == 20_000)
        #expect(configuration.backlogBytes == 64 << 20)
        #expect(configuration.backlogWaitSeconds == 0.05)
        #expect(configuration.hardMaxMessageBytes == 16 << 20)
        #expect(configuration.shutdownGraceSeconds == 5)
        #expect(configuration.replyHoldSeconds == 30)
        #expect(configuration.logLevel == "info")
        try configuration.validate()
    }

    @Test func loadingNothingGivesTheDefaults() {
        #expect(loadConfiguration() == ServerConfiguration())
        #expect(loadConfiguration(environment: ["PATH": "/usr/bin", "HOME": "/root"], file: "") == ServerConfiguration())
    }

    @Test(arguments: ["trace", "debug", "info", "notice", "warning", "error", "critical"])
    func everyLogLevelIsValid(level: String) throws {
        var configuration = ServerConfiguration()
        configuration.logLevel = level
        try configuration.validate()
    }

    @Test(arguments: [
        ("database", ""), ("workers", "0"), ("workers", "1025"), ("workers", "-1"), ("max_frame_bytes", "63"),
        ("max_lines", "0"), ("max_depth", "1"), ("shutdown_grace", "-0.5"), ("reply_hold", "0"),
        ("backlog_wait", "0"), ("backlog_wait", "3601"), ("log_level", "INFO"),
        ("log_level", "verbose"), ("log_level", ""),
    ])
    func valueOutOfRangeNamesTheSetting(setting: String, value: String) {
        #expect(configurationError(flags: [setting: value])?.setting == setting)
    }

    @Test(arguments: [
        "workers", "backlog", "backlog_bytes", "max_frame_bytes", "max_lines", "max_depth", "hard_max_message_bytes",
    ])
    func nonNumericWholeNumberNamesTheSetting(setting: String) {
        for value in ["four", "", "1.5", "12abc", "0x10", "99999999999999999999"] {
            let error = configurationError(flags: [setting: value])
            #expect(error?.setting == setting, "\(value)")
            #expect(error?.message.contains("whole number") == true)
        }
    }

    @Test(arguments: ["shutdown_grace", "reply_hold", "backlog_wait"])
    func nonNumericSecondsNamesTheSetting(setting: String) {
        for value in ["soon", "", "nan", "inf", "-inf", "5s"] {
            #expect(configurationError(flags: [setting: value])?.setting == setting, "\(value)")
        }
    }

    @Test func backlogBelowMaxLinesIsAnError() {
        #expect(configurationError(flags: ["backlog": "999"])?.setting == "backlog")
        #expect(configurationError(flags: ["backlog": "50", "max_lines": "100"])?.setting == "backlog")
        #expect(loadConfiguration(flags: ["backlog": "1000"]).backlogLines == 1_000)
        #expect(loadConfiguration(flags: ["backlog": "100", "max_lines": "100"]).backlogLines == 100)
    }

    @Test func backlogBytesBelowMaxFrameBytesIsAnError() {
        #expect(configurationError(flags: ["backlog_bytes": "1048575"])?.setting == "backlog_bytes")
        #expect(loadConfiguration(flags: ["backlog_bytes": "1048576"]).backlogBytes == 1 << 20)
    }

    @Test func hardMaxMessageBytesMustExceedMaxFrameBytes() {
        #expect(configurationError(flags: ["hard_max_message_bytes": "1048576"])?.setting == "hard_max_message_bytes")
        #expect(configurationError(flags: ["hard_max_message_bytes": "1000"])?.setting == "hard_max_message_bytes")
        #expect(configurationError(flags: ["max_frame_bytes": "20000000"])?.setting == "hard_max_message_bytes")
        #expect(loadConfiguration(flags: ["hard_max_message_bytes": "1048577"]).hardMaxMessageBytes == (1 << 20) + 1)
    }

    @Test func errorDescriptionNamesSettingAndProblem() {
        #expect(ConfigurationError(setting: "workers", message: "must be between 1 and 1024").description
            == "workers: must be between 1 and 1024")
    }
}
