import ArgumentParser
import CommandLineSupport
import Foundation
import PortalCore
import PortalService
import PortalServer
import PortalStore

/// `portald staff`: the vendor's back-office accounts, managed on the server itself.
struct Staff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the vendor's staff accounts.",
        subcommands: [Add.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a staff account; the password is read from the first line of standard input.",
            discussion: """
                Example: printf '%s\\n' 'a long passphrase' | portald staff add --email order@vendor.example --name 'Order Team' --role order
                Roles: order (accounts, companies, products, import, renewals, quotes), activation \
                (reactivation requests), support (tickets), admin (everything staff can do), service \
                (an account for the vendor's own systems: events.since for portalctl subscribe, the mail queue).
                """
        )

        @Option(help: ArgumentHelp("SQLite database file (env: PORTAL_DATABASE). Default: var/portal.sqlite", valueName: "path"))
        var database: String?

        @Option(help: "E-mail address to log in with.")
        var email: String

        @Option(help: "Name shown to colleagues and customers.")
        var name: String

        @Option(name: .customLong("role"), help: ArgumentHelp("A back-office role; repeat for several.", valueName: "role"))
        var roles: [String]

        func run() throws {
            let path = database ?? ProcessInfo.processInfo.environment["PORTAL_DATABASE"] ?? ServerConfiguration().databasePath
            let roles = try Set(roles.map { name in
                guard let role = StaffRole(rawValue: name) else {
                    throw CommandFailure("unknown role '\(name)'; the roles are \(StaffRole.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return role
            })
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw CommandFailure("expected the password on the first line of standard input")
            }
            do {
                let user = try StaffAccounts.add(
                    email: email, name: name, password: password, roles: roles,
                    store: try SQLiteStore(path: path), passwords: PasswordHasher(), clock: SystemWallClock())
                print("added staff account \(user.email) (\(user.id)) with roles \(user.staffRoles.sorted().map(\.rawValue).joined(separator: ", "))")
            } catch {
                throw CommandFailure("\(error)")
            }
        }
    }
}
