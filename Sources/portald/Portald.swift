import ArgumentParser
import Foundation
import PortalCore

@main
struct Portald: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portald",
        abstract: "The Enterprise Portal worker: license and support commands over ZeroMQ.",
        discussion: """
            Front ends send newline-delimited JSON commands to the command socket (ZeroMQ ROUTER); \
            license and ticket changes are published on the event socket (ZeroMQ PUB). \
            The wire contract is protocol/README.md.
            """,
        version: PortalVersion.current,
        subcommands: [Serve.self, Staff.self],
        defaultSubcommand: Serve.self
    )

    /// Runs the command. Usage errors end with one `portald: …` line on standard error, as every
    /// other start-up error does, so supervisors' logs show the cause in one line.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let status = exitCode(for: error)
            let text = message(for: error)
            if status == .success {
                print(fullMessage(for: error))  // --help, --version
            } else if !text.isEmpty {  // a bare ExitCode has said what it had to say already
                FileHandle.standardError.write(Data("portald: \(text) (see portald --help)\n".utf8))
            }
            Foundation.exit(status.rawValue)
        }
    }
}
