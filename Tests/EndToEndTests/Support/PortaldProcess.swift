import Foundation
import Glibc

/// A real `portald serve` process on ephemeral loopback ports, with a database of its own.
///
/// Started with `serve --database <temp dir>/portal.sqlite --command-endpoint tcp://127.0.0.1:*
/// --event-endpoint tcp://127.0.0.1:* --keys-dir <temp dir>/keys --log-level warning` (no keys
/// there: the developer's `var/keys` is never read) plus the test's own arguments (a later
/// flag wins over an earlier one). `init` returns once the server has printed its `listening`
/// line, so the endpoints are known and bound. Killed with SIGKILL if still running at deinit;
/// its temporary folder (database, output) is removed then.
final class PortaldProcess {
    /// Flags for tests that queue more work than `backlog_wait` lets wait by default (thousands
    /// of pings, a hundred retries at once): what they check is not admission, so requests may
    /// wait as long as it takes.
    static let patientBacklog = ["--backlog-wait", "600"]

    /// Where the database goes.
    enum Database {
        /// `portal.sqlite` in the process's temporary folder.
        case temporary
        /// A file the test owns, e.g. to restart on the same database.
        case path(String)
        /// No `--database` flag: the server's default (`var/portal.sqlite` in its working directory).
        case serverDefault
    }

    /// The resolved ZeroMQ endpoints, e.g. `tcp://127.0.0.1:41234`.
    let commandEndpoint: String
    let eventEndpoint: String
    /// The database path and worker count as the `listening` line reports them.
    let databasePath: String
    let workerCount: Int
    /// The one line the server printed on standard output.
    let listeningLine: String
    /// The process's own temporary folder.
    let folder: TemporaryDirectory
    private let child: ChildProcess

    /// How long the server may take to print its `listening` line.
    static let startTimeout: Duration = .seconds(10)

    init(
        arguments: [String] = [], environment: [String: String] = [:], database: Database = .temporary,
        currentDirectory: URL? = nil
    ) throws {
        folder = try TemporaryDirectory(prefix: "portald")
        child = try ChildProcess(
            executable: try TestExecutables.portald(),
            arguments: Self.arguments(arguments, database: database, folder: folder),
            environment: environment, currentDirectory: currentDirectory, folder: folder)

        let listening = try Self.firstLine(of: child)
        // portald <version> listening on commands=EP events=EP database=PATH workers=N
        let pattern = #/portald (?<version>\d+\.\d+\.\d+) listening on commands=(?<commands>\S+) events=(?<events>\S+) database=(?<database>.+) workers=(?<workers>\d+)/#
        guard let match = listening.wholeMatch(of: pattern) else {
            throw HarnessError("unexpected first line from portald: \(listening)")
        }
        listeningLine = listening
        commandEndpoint = String(match.output.commands)
        eventEndpoint = String(match.output.events)
        databasePath = String(match.output.database)
        workerCount = Int(match.output.workers)!
    }

    /// The first line the child prints, once it is complete; throws when the child exits or
    /// `startTimeout` passes first.
    private static func firstLine(of child: ChildProcess) throws -> String {
        let deadline = ContinuousClock.now + startTimeout
        while true {
            let output = child.standardOutput
            if let newline = output.firstIndex(of: "\n") { return String(output[..<newline]) }
            guard child.isRunning else {
                let status = child.waitForExit(timeout: .seconds(1)).map(String.init) ?? "?"
                throw HarnessError("portald exited with status \(status) before listening; stderr:\n\(child.standardError)")
            }
            guard ContinuousClock.now < deadline else {
                throw HarnessError("portald printed no listening line within \(startTimeout); stderr:\n\(child.standardError)")
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
    }

    deinit {
        // Explicit, so that the process is gone before its folder is removed.
        if child.isRunning {
            child.send(signal: SIGKILL)
            _ = child.waitForExit(timeout: .seconds(5))
        }
    }

    /// The full argument list: the standard test flags, then the test's own.
    private static func arguments(_ extra: [String], database: Database, folder: TemporaryDirectory) -> [String] {
        var arguments = ["serve"]
        switch database {
        case .temporary: arguments += ["--database", folder.path("portal.sqlite")]
        case .path(let path): arguments += ["--database", path]
        case .serverDefault: break
        }
        arguments += [
            "--command-endpoint", "tcp://127.0.0.1:*", "--event-endpoint", "tcp://127.0.0.1:*",
            "--keys-dir", folder.path("keys"), "--log-level", "warning",
        ]
        return arguments + extra
    }

    /// Runs a `portald serve` that is expected to stop by itself (a start-up error), with the same
    /// standard flags as a served one, and returns how it ended.
    static func runToExit(
        arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(10)
    ) throws -> ProcessResult {
        let folder = try TemporaryDirectory(prefix: "portald")
        return try ChildProcess.run(
            try TestExecutables.portald(), Self.arguments(arguments, database: .temporary, folder: folder),
            environment: environment, timeout: timeout)
    }

    var processIdentifier: Int32 { child.processIdentifier }
    var isRunning: Bool { child.isRunning }
    /// What the server has logged so far.
    var standardError: String { child.standardError }
    var standardOutput: String { child.standardOutput }

    /// Waits until the server's log (stderr) contains `text`; throws when `timeout` passes first.
    /// Only what the `--log-level` lets through is there to wait for.
    func waitForLog(containing text: String, timeout: Duration = .seconds(10)) throws {
        let deadline = ContinuousClock.now + timeout
        while !child.standardError.contains(text) {
            guard ContinuousClock.now < deadline else {
                throw HarnessError("portald did not log \"\(text)\" within \(timeout); stderr:\n\(child.standardError)")
            }
            Thread.sleep(forTimeInterval: 0.002)
        }
    }

    /// Sends SIGTERM: the server stops admitting work, answers what is in flight and exits.
    func terminate() { child.send(signal: SIGTERM) }

    /// Sends SIGINT, as Ctrl-C does.
    func interrupt() { child.send(signal: SIGINT) }

    /// Kills the process at once (SIGKILL), as a crash or a power cut would end it.
    func kill() { child.send(signal: SIGKILL) }

    /// Freezes the whole process (SIGSTOP), e.g. so that messages pile up unread.
    func stop() { child.send(signal: SIGSTOP) }

    /// Lets a frozen process run on (SIGCONT).
    func resume() { child.send(signal: SIGCONT) }

    /// The exit status (128 + n for a death by signal n); throws when `timeout` passes first.
    func waitForExit(timeout: Duration = .seconds(10)) throws -> Int32 {
        guard let status = child.waitForExit(timeout: timeout) else {
            throw HarnessError("portald did not exit within \(timeout); stderr:\n\(child.standardError)")
        }
        return status
    }

    /// A new client connected to the command endpoint.
    func client(_ kind: PortalClient.Kind = .dealer, receiveTimeout: Duration = PortalClient.defaultReceiveTimeout) throws -> PortalClient {
        try PortalClient(endpoint: commandEndpoint, kind: kind, receiveTimeout: receiveTimeout)
    }
}
