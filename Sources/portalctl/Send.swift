import ArgumentParser
import CommandLineSupport
import Foundation
import Glibc
import PortalProtocol
import ZeroMQ

/// `portalctl send`: request lines in, reply lines out, pipelined.
struct Send: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send request lines and print the reply lines.",
        discussion: """
            Sends LINE, or every line read from standard input, to the command socket and prints \
            each reply line on standard output, in the order of the requests. Input lines are \
            pipelined: up to --batch lines per frame, up to --window frames awaiting replies. \
            A frame the server refuses as busy (nothing of it ran) is sent again after a pause \
            (20 ms, doubling, 8 times at most) before its busy replies are printed.

            Exit status: 0 when every reply has "ok":true; 1 when any reply has "ok":false; \
            2 when no reply arrived within --timeout or the endpoint is unusable.

            Example: portalctl send '{"id":1,"cmd":"system.ping"}'
            """
    )

    @Option(help: ArgumentHelp("Command endpoint (env: PORTAL_COMMAND_ENDPOINT).", valueName: "endpoint"))
    var endpoint: String?

    @Option(help: ArgumentHelp("Seconds to wait for the next reply before giving up.", valueName: "seconds"))
    var timeout: Double = 10

    @Option(help: ArgumentHelp("Most request lines per frame.", valueName: "lines"))
    var batch: Int = 100

    @Option(help: ArgumentHelp("Most frames awaiting their replies at once.", valueName: "frames"))
    var window: Int = 16

    @Argument(help: ArgumentHelp("One request line (JSON). Without it, lines are read from standard input.", valueName: "line"))
    var line: String?

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard window >= 1 else { throw ValidationError("--window must be at least 1") }
    }

    func run() throws {
        let endpoint = CommandEndpoint.resolve(endpoint)
        var session: PipelinedSession
        do {
            session = try PipelinedSession(endpoint: endpoint, window: window, timeout: timeout)
        } catch {
            throw CommandFailure(status: 2, "\(error)")
        }
        if let line {
            try session.run(input: LineSource(text: line), batch: batch)
        } else {
            try session.run(input: LineSource(fileDescriptor: STDIN_FILENO), batch: batch)
        }
        if session.anyFailed { throw ExitCode(1) }
    }
}
