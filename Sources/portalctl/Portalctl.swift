import ArgumentParser
import CommandLineSupport
import Foundation
import PortalCore

@main
struct Portalctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portalctl",
        abstract: "Client of the Enterprise Portal worker: send commands, follow events, verify signed tokens, load-test it.",
        discussion: "The wire contract is protocol/README.md.",
        version: PortalVersion.current,
        subcommands: [Send.self, Subscribe.self, Verify.self, Bench.self, EchoServerCommand.self, BenchData.self, BenchSummary.self]
    )

    static func main() {
        mainWithOneLineErrors(tool: "portalctl")
    }
}
