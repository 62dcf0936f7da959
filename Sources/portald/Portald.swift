import ArgumentParser
import CommandLineSupport
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
        subcommands: [Serve.self, DemoDataCommand.self, ImportCommand.self, Staff.self, KeysCommand.self],
        defaultSubcommand: Serve.self
    )

    static func main() {
        mainWithOneLineErrors(tool: "portald")
    }
}
