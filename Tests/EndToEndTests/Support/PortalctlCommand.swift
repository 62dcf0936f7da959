import Foundation

/// Runs the real `portalctl` binary to its end.
enum PortalctlCommand {
    static func run(
        _ arguments: [String], standardInput: Data? = nil, environment: [String: String] = [:],
        timeout: Duration = .seconds(30)
    ) throws -> ProcessResult {
        try ChildProcess.run(
            try TestExecutables.portalctl(), arguments, environment: environment,
            standardInput: standardInput, timeout: timeout)
    }
}
