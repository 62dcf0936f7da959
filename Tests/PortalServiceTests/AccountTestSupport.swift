import Foundation
import Logging
import PortalCore
import PortalProtocol
@testable import PortalService
import PortalStore
import Testing

/// Someone who can log in: the stored account and its password.
struct AccountPerson {
    static let defaultPassword = "correct horse battery"

    var user: User
    var password: String = defaultPassword

    var email: String { user.email }
    var id: String { user.id }
}

/// A company with its first admin.
struct AccountCompanySetup {
    var company: Company
    var admin: AccountPerson
}

/// One parsed reply line, with the raw text kept for byte-for-byte comparisons.
struct AccountReply: CustomStringConvertible {
    let line: String
    let value: JSONValue

    var ok: Bool { value["ok"] == true }
    var result: JSONValue { value["result"] ?? .null }
    var errorCode: String? { value["error"]?["code"]?.stringValue }
    var errorMessage: String? { value["error"]?["message"]?.stringValue }
    var errorDetails: JSONValue? { value["error"]?["details"] }

    var description: String { line }
}

/// An executor over a SQLite store in a temporary folder, with a hand-moved clock and the
/// cheapest password hashing; plus ways to set up accounts directly in the store.
final class AccountFixture {
    /// 2026-11-29T08:15:00Z.
    static let start = Date(timeIntervalSince1970: 1_795_940_100)

    let folder: URL
    let clock: ManualWallClock
    let store: SQLiteStore
    let environment: ServiceEnvironment
    let executor: CommandExecutor

    init(registry: CommandRegistry = .standard, access: AccessPolicy = AccessPolicy(), start: Date = AccountFixture.start) throws {
        clock = ManualWallClock(start)
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("portal-accounts-\(UUID().uuidString.prefix(8).lowercased())", isDirectory: true)
        store = try SQLiteStore(path: folder.appendingPathComponent("portal.sqlite").path)
        environment = ServiceEnvironment(
            store: store, clock: clock,
            runtime: RuntimeFacts(workerCount: 1, startedAt: AccountFixture.start, transportVersion: "4.3.4"),
            logger: Logger(label: "account-tests", factory: { _ in SwiftLogNoOpLogHandler() }),
            access: access, passwords: .minimalCost)
        executor = CommandExecutor(registry: registry, limits: ProtocolLimits(), environment: environment)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    // MARK: Requests

    /// Sends `line` as a frame of its own and returns its one reply line.
    func send(line: String) throws -> AccountReply {
        let reply = executor.execute(frame: Array((line + "\n").utf8))
        let lines = RequestFrameDecoder.lines(in: reply)
        try #require(lines.count == 1, "one reply line for \(line)")
        return AccountReply(line: String(decoding: lines[0], as: UTF8.self), value: try JSONParser.parse(lines[0], maxDepth: 64))
    }

    /// Sends one request, built as a JSON line from its parts.
    func send(
        _ command: String, auth: String? = nil, view: String? = nil, args: [String: JSONValue] = [:], id: JSONValue = 1
    ) throws -> AccountReply {
        var request: [String: JSONValue] = ["id": id, "cmd": .string(command)]
        if let auth { request["auth"] = .string(auth) }
        if let view { request["view"] = .string(view) }
        if !args.isEmpty { request["args"] = .object(args) }
        return try send(line: String(decoding: JSONValue.object(request).serialized(), as: UTF8.self))
    }

    /// `auth.login` for `email` with `password`.
    func login(_ email: String, _ password: String) throws -> AccountReply {
        try send("auth.login", args: ["email": .string(email), "password": .string(password)])
    }

    /// Logs `person` in and returns the session token; the login must succeed.
    /// A session token of a new staff member with `roles`.
    func staffToken(_ roles: Set<StaffRole>) throws -> String {
        try token(for: try addStaff(roles))
    }

    func token(for person: AccountPerson) throws -> String {
        let reply = try login(person.email, person.password)
        return try #require(reply.result["token"]?.stringValue, "login of \(person.email): \(reply)")
    }

    // MARK: Accounts

    /// A staff member with `roles`, created the way `portald staff add` does.
    func addStaff(_ roles: Set<StaffRole>, email: String? = nil) throws -> AccountPerson {
        let email = email ?? "\(roles.sorted().map(\.rawValue).joined(separator: "-"))-\(OpaqueID.make(prefix: "s"))@vendor.example"
        let user = try StaffAccounts.add(
            email: email, name: "Staff \(email)", password: AccountPerson.defaultPassword, roles: roles, store: store,
            passwords: environment.passwords, clock: clock)
        return AccountPerson(user: user)
    }

    /// A company holding `views`, with an active admin, written directly to the store.
    func addCompany(_ name: String = "Printing Ltd", views: Set<PortalView> = [.customer]) throws -> AccountCompanySetup {
        let company = Company(id: OpaqueID.make(prefix: "co"), name: name, views: views, createdAt: clock.now)
        try store.write { writer in try writer.insert(company) }
        return AccountCompanySetup(company: company, admin: try addUser(to: company, role: .admin))
    }

    /// A user of `company`, written directly to the store.
    func addUser(
        to company: Company, role: User.CompanyRole = .member, status: User.Status = .active, email: String? = nil
    ) throws -> AccountPerson {
        let email = email ?? "\(role.rawValue)-\(OpaqueID.make(prefix: "u"))@\(company.id).example"
        let user = User(
            id: OpaqueID.make(prefix: "us"), companyID: company.id, email: email, name: "User \(email)",
            passwordHash: environment.passwords.hash(AccountPerson.defaultPassword), companyRole: role, staffRoles: [],
            status: status, createdAt: clock.now)
        try store.write { writer in try writer.insert(user) }
        return AccountPerson(user: user)
    }

    /// The stored account of `id`.
    func storedUser(_ id: String) throws -> User? {
        try store.read { reader in try reader.user(id: id) }
    }

    // MARK: Time

    func advance(minutes: Double) {
        clock.advance(by: minutes * 60)
    }

    /// The protocol's form of a time `seconds` after the fixture's start.
    static func timestamp(after seconds: TimeInterval) -> JSONValue {
        .string(RFC3339.string(from: start.addingTimeInterval(seconds)))
    }
}
