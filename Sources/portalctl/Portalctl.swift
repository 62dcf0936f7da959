import ArgumentParser
import Foundation
import PortalCore

@main
struct Portalctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portalctl",
        abstract: "Client of the Enterprise Portal worker: send commands, follow events.",
        discussion: "The wire contract is protocol/README.md.",
        version: PortalVersion.current,
        subcommands: [Send.self, Subscribe.self]
    )

    /// Runs the command; a `CommandFailure` ends with its own status (2: transport trouble).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("portalctl: \(failure.message)\n".utf8))
            Foundation.exit(failure.status)
        } catch {
            let status = exitCode(for: error)
            let text = message(for: error)
            if status == .success {
                print(fullMessage(for: error))  // --help, --version
            } else if !text.isEmpty {  // a bare ExitCode has said what it had to say already
                FileHandle.standardError.write(Data("portalctl: \(text) (see portalctl --help)\n".utf8))
            }
            Foundation.exit(status.rawValue)
        }
    }
}
