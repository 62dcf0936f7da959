import PortalProtocol
import Testing

/// The three configuration sources as the binary reads them: flag over environment over file.
@Suite struct ConfigurationSourceTests {
    /// How `portald` is told its worker count in one case, and what it must end up with.
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var fileWorkers: Int?
        var configViaEnvironment = false
        var environmentWorkers: Int?
        var flagWorkers: Int?
        var expected: Int

        var testDescription: String { label }
    }

    @Test(arguments: [
        Case(label: "file", fileWorkers: 3, expected: 3),
        Case(label: "file named by PORTAL_CONFIG", fileWorkers: 3, configViaEnvironment: true, expected: 3),
        Case(label: "environment over file", fileWorkers: 3, environmentWorkers: 2, expected: 2),
        Case(label: "flag over environment and file", fileWorkers: 3, environmentWorkers: 2, flagWorkers: 1, expected: 1),
    ])
    func workerCountComesFromTheStrongestSource(_ sources: Case) throws {
        let folder = try TemporaryDirectory()
        var arguments: [String] = []
        var environment: [String: String] = [:]
        if let workers = sources.fileWorkers {
            let path = try folder.write("# written by the test\nworkers = \(workers)\nlog_level = \"warning\"\n", to: "portald.conf")
            if sources.configViaEnvironment {
                environment["PORTAL_CONFIG"] = path
            } else {
                arguments += ["--config", path]
            }
        }
        if let workers = sources.environmentWorkers { environment["PORTAL_WORKERS"] = String(workers) }
        if let workers = sources.flagWorkers { arguments += ["--workers", String(workers)] }

        let server = try PortaldProcess(arguments: arguments, environment: environment)
        let info = try server.client().request(RequestLine.info())

        #expect(info.result?["workers"] == .int(Int64(sources.expected)), "\(info.text)")
        #expect(server.workerCount == sources.expected)
    }

    @Test func anUnknownKeyInTheFileIsRefusedNamingIt() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("wrokers = 2\n", to: "portald.conf")
        let result = try PortaldProcess.runToExit(arguments: ["--config", path])
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1)
        #expect(result.standardError.hasPrefix("portald: "))
        #expect(result.standardError.contains("wrokers"))
    }

    @Test func aMissingFileIsRefusedNamingIt() throws {
        let path = "/nonexistent/portald.conf"
        let result = try PortaldProcess.runToExit(arguments: ["--config", path])
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1)
        #expect(result.standardError.contains(path))
    }
}
