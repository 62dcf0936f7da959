import Foundation
import Glibc

/// A child process whose standard output and error go to files, so that no pipe can fill up
/// and stall it, and whose every wait is bounded. Killed with SIGKILL if still running at deinit.
final class ChildProcess {
    private let process = Process()
    private let outputURL: URL
    private let errorURL: URL
    /// Kept so that the output files outlive every read of them.
    private let folder: TemporaryDirectory

    /// Starts `executable`.
    ///
    /// - Parameters:
    ///   - environment: added to the test's own environment, minus every `PORTAL_*` variable so
    ///     that a developer's shell cannot change what the server under test is told.
    ///   - standardInput: what the child reads on standard input (from a file); none: /dev/null.
    ///   - folder: where the output files are kept.
    init(
        executable: URL, arguments: [String], environment: [String: String] = [:],
        currentDirectory: URL? = nil, standardInput: Data? = nil, folder: TemporaryDirectory
    ) throws {
        self.folder = folder
        let name = "\(executable.lastPathComponent)-\(UUID().uuidString.prefix(8))"
        outputURL = URL(fileURLWithPath: folder.path("\(name).stdout"))
        errorURL = URL(fileURLWithPath: folder.path("\(name).stderr"))
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)

        process.executableURL = executable
        process.arguments = arguments
        var inherited = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PORTAL_") }
        inherited.merge(environment) { _, new in new }
        process.environment = inherited
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        if let standardInput {
            let inputPath = folder.path("\(name).stdin")
            try standardInput.write(to: URL(fileURLWithPath: inputPath))
            process.standardInput = FileHandle(forReadingAtPath: inputPath)
        } else {
            process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        }
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            _ = waitForExit(timeout: .seconds(5))
        }
    }

    var processIdentifier: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Everything written to standard output so far.
    var standardOutput: String { (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "" }
    /// Everything written to standard error so far.
    var standardError: String { (try? String(contentsOf: errorURL, encoding: .utf8)) ?? "" }

    func send(signal number: Int32) {
        if process.isRunning { kill(process.processIdentifier, number) }
    }

    /// The exit status once the process has ended, or nil when `timeout` passes first.
    /// A death by signal is reported as 128 + the signal number, as shells do.
    func waitForExit(timeout: Duration) -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline { return nil }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }
}

/// How a process that ran to its end ended, and what it wrote.
struct ProcessResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
    var elapsed: Duration

    /// The non-empty lines of standard output.
    var outputLines: [Substring] { standardOutput.split(separator: "\n") }
    /// The non-empty lines of standard error.
    var errorLines: [Substring] { standardError.split(separator: "\n") }
}

extension ChildProcess {
    /// Runs `executable` to its end, killing it and throwing when it takes longer than `timeout`.
    static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:],
        currentDirectory: URL? = nil, standardInput: Data? = nil, timeout: Duration = .seconds(20)
    ) throws -> ProcessResult {
        let folder = try TemporaryDirectory(prefix: "portal-run")
        let start = ContinuousClock.now
        let child = try ChildProcess(
            executable: executable, arguments: arguments, environment: environment,
            currentDirectory: currentDirectory, standardInput: standardInput, folder: folder)
        guard let status = child.waitForExit(timeout: timeout) else {
            child.send(signal: SIGKILL)
            throw HarnessError("""
                \(executable.lastPathComponent) \(arguments) did not exit within \(timeout); stderr:
                \(child.standardError)
                """)
        }
        return ProcessResult(
            status: status, standardOutput: child.standardOutput, standardError: child.standardError,
            elapsed: ContinuousClock.now - start)
    }
}
