import ArgumentParser
import CommandLineSupport
import Foundation
import Glibc
import PortalCore
import PortalServer
import PortalService
import PortalStore

/// `portald demo-data`: a demo portal in an empty database.
struct DemoDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-data",
        abstract: "Fill an empty database with a deterministic demo portal and print its accounts.",
        discussion: """
            Creates the product lines ThinPrint and Personal Printing, one company per user group \
            with an admin account, four staff accounts, and licenses in every status and model. \
            Every account's password is 'portal-demo'. --licenses adds that many further licenses \
            (over further customers and resellers) for load tests; 1,000,000 is a benchmark size.
            """
    )

    @Option(help: ArgumentHelp("SQLite database file (env: PORTAL_DATABASE). Default: var/portal.sqlite", valueName: "path"))
    var database: String?

    @Option(help: ArgumentHelp("Further licenses to generate for load tests.", valueName: "n"))
    var licenses: Int = 0

    func validate() throws {
        guard (0...10_000_000).contains(licenses) else { throw ValidationError("--licenses must be between 0 and 10000000") }
    }

    func run() throws {
        let path = database ?? ProcessInfo.processInfo.environment["PORTAL_DATABASE"] ?? ServerConfiguration().databasePath
        let showProgress = isatty(STDERR_FILENO) != 0 && licenses > 0
        let accounts: [DemoData.Account]
        do {
            let demo = DemoData(store: try SQLiteStore(path: path, pageCacheMiB: 512), now: SystemWallClock().now)
            accounts = try demo.generate(extraLicenses: licenses) { written in
                if showProgress {
                    FileHandle.standardError.write(Data("\rlicenses: \(written) of \(licenses)".utf8))
                }
            }
        } catch {
            throw CommandFailure("\(error)")
        }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        print("demo portal written to \(path); every password is '\(DemoData.password)':")
        for account in accounts {
            print("  \(account.email.padding(toLength: 26, withPad: " ", startingAt: 0)) \(account.description)")
        }
    }
}
