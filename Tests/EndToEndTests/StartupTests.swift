import Foundation
import Testing
import ZeroMQ

/// What `portald serve` prints when it starts, and how it refuses to start.
@Suite struct StartupTests {
    @Test func stdoutIsOneListeningLineWithTheResolvedEndpoints() throws {
        let server = try PortaldProcess(arguments: ["--workers", "3"])
        #expect(server.listeningLine.hasPrefix("portald 0.1.0 listening on commands=tcp://127.0.0.1:"))
        #expect(server.commandEndpoint.wholeMatch(of: #/tcp://127\.0\.0\.1:\d+/#) != nil)
        #expect(server.eventEndpoint.wholeMatch(of: #/tcp://127\.0\.0\.1:\d+/#) != nil)
        #expect(server.commandEndpoint != server.eventEndpoint)
        #expect(server.databasePath == server.folder.path("portal.sqlite"))
        #expect(server.workerCount == 3)
        #expect(try server.client().request(RequestLine.ping(id: 1)).isOK)
        #expect(server.standardOutput == server.listeningLine + "\n")
    }

    /// A start-up error is one line on stderr, `portald: …`, and a non-zero status; no stack trace.
    private func expectOneLineError(
        _ result: ProcessResult, mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.status != 0, sourceLocation: sourceLocation)
        #expect(result.status < 128, "died of a signal", sourceLocation: sourceLocation)
        #expect(result.errorLines.count == 1, "stderr: \(result.standardError)", sourceLocation: sourceLocation)
        let line = String(result.errorLines.first ?? "")
        #expect(line.hasPrefix("portald: "), "stderr: \(result.standardError)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(line.contains(fragment), "\(fragment) not in: \(line)", sourceLocation: sourceLocation)
        }
        #expect(result.standardOutput.isEmpty, "stdout: \(result.standardOutput)", sourceLocation: sourceLocation)
    }

    @Test func aCommandEndpointInUseByAnotherPortaldIsRefused() throws {
        let first = try PortaldProcess()
        let result = try PortaldProcess.runToExit(arguments: ["--command-endpoint", first.commandEndpoint])
        expectOneLineError(result, mentioning: [first.commandEndpoint, "command endpoint"])
        #expect(try first.client().request(RequestLine.ping(id: 1)).isOK, "the first server is undisturbed")
    }

    @Test func anEventEndpointInUseIsRefused() throws {
        let context = try ZMQContext()
        let occupant = try ZMQSocket(context: context, type: .pub)
        try occupant.setLinger(milliseconds: 0)
        try occupant.bind("tcp://127.0.0.1:*")
        let endpoint = try occupant.lastEndpoint()

        let result = try PortaldProcess.runToExit(arguments: ["--event-endpoint", endpoint])
        expectOneLineError(result, mentioning: [endpoint, "event endpoint"])
    }

    @Test func anUnparsableEndpointIsRefused() throws {
        let result = try PortaldProcess.runToExit(arguments: ["--command-endpoint", "nonsense"])
        expectOneLineError(result, mentioning: ["nonsense"])
    }

    @Test func anUnknownFlagIsRefused() throws {
        let result = try PortaldProcess.runToExit(arguments: ["--no-such-flag"])
        expectOneLineError(result, mentioning: ["--no-such-flag"])
    }

    @Test(arguments: [
        (["--workers", "0"], "workers"),
        (["--max-lines", "10", "--backlog", "5"], "backlog"),
        (["--workers", "many"], "workers"),
    ])
    func anInvalidSettingIsRefusedNamingIt(arguments: [String], setting: String) throws {
        let result = try PortaldProcess.runToExit(arguments: arguments)
        expectOneLineError(result, mentioning: [setting])
    }

    @Test func anInvalidEnvironmentSettingIsRefusedNamingIt() throws {
        let result = try PortaldProcess.runToExit(arguments: [], environment: ["PORTAL_SHUTDOWN_GRACE": "soon"])
        expectOneLineError(result, mentioning: ["shutdown_grace"])
    }

    @Test func aDatabaseThatCannotBeCreatedIsRefused() throws {
        let path = "/dev/null/portal/portal.sqlite"
        let result = try PortaldProcess.runToExit(arguments: ["--database", path])
        expectOneLineError(result, mentioning: [path])
    }
}
