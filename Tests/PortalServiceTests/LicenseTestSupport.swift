import Foundation
import Logging
import PortalCore
import PortalProtocol
@testable import PortalService
import PortalStore
import Testing

/// The project's deterministic generator, under the name these tests use.
typealias LicenseSplitMix64 = SeededGenerator

extension SeededGenerator {
    /// True with the given probability.
    mutating func chance(_ probability: Double) -> Bool {
        Double.random(in: 0..<1, using: &self) < probability
    }
}

/// One parsed reply line of a license test.
struct LicenseReply: CustomStringConvertible {
    let value: JSONValue

    var ok: Bool { value["ok"] == true }
    var result: JSONValue { value["result"] ?? .null }
    var errorCode: String? { value["error"]?["code"]?.stringValue }
    var errorMessage: String { value["error"]?["message"]?.stringValue ?? "" }
    var items: [JSONValue] { result["items"]?.arrayValue ?? [] }
    var nextCursor: String? { result["next_cursor"]?.stringValue }

    var description: String { String(decoding: value.serialized(), as: UTF8.self) }
}

/// A logged-in company user in one of the company's views: what every `license.*` request names.
struct LicenseCaller: CustomStringConvertible {
    var token: String
    var view: String

    var description: String { "\(view) caller" }
}

/// An executor over a SQLite store in a temporary folder, with a hand-moved clock and the
/// cheapest password hashing; plus ways to put companies, products, licenses and users straight
/// into the store and to page through `license.list`.
final class LicenseFixture {
    /// 2026-11-29T08:15:00Z.
    static let start = Date(timeIntervalSince1970: 1_795_940_100)
    static let password = "license tests"

    let folder: URL
    let clock = ManualWallClock(LicenseFixture.start)
    let store: SQLiteStore
    let executor: CommandExecutor
    /// One hash for every user the fixture adds: hashing is the slow part of adding a user.
    private lazy var passwordHash = PasswordHasher.minimalCost.hash(Self.password)
    private var licenseCount = 0
    private var userCount = 0

    init(
        signer: any TokenSigner = TestTokenSigner(), reactivation: ReactivationPolicy = ReactivationPolicy(),
        tickets: TicketPolicy = TicketPolicy(), licenseReplyBytes: Int = LicenseReplyCache.defaultMebibytes << 20,
        commits: SQLiteStore.Commits = .grouped
    ) throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("portal-licenses-\(UUID().uuidString.prefix(8).lowercased())", isDirectory: true)
        store = try SQLiteStore(path: folder.appendingPathComponent("portal.sqlite").path, commits: commits)
        let environment = ServiceEnvironment(
            store: store, clock: clock,
            runtime: RuntimeFacts(workerCount: 1, startedAt: Self.start, transportVersion: "4.3.4"),
            logger: Logger(label: "license-tests", factory: { _ in SwiftLogNoOpLogHandler() }),
            passwords: .minimalCost, signer: signer, reactivation: reactivation, tickets: tickets,
            licenseReplyBytes: licenseReplyBytes)
        executor = CommandExecutor(registry: .standard, limits: ProtocolLimits(), environment: environment)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    var now: Date { clock.now }

    /// `days` days (and `seconds` seconds) from the clock's current time.
    func date(days: Double, seconds: Double = 0) -> Date {
        now.addingTimeInterval(days * 86_400 + seconds)
    }

    // MARK: Store content

    @discardableResult
    func addCompany(_ id: String, name: String? = nil, views: Set<PortalView>) throws -> Company {
        let company = Company(id: id, name: name ?? "Company \(id)", views: views, createdAt: now)
        try store.write { writer in try writer.insert(company) }
        return company
    }

    /// Adds one product line holding `products` (id, name).
    func addProductLine(_ id: String, name: String, products: [(id: String, name: String)]) throws {
        try store.write { writer in
            try writer.insert(ProductLine(id: id, name: name))
            for product in products { try writer.insert(Product(id: product.id, productLineID: id, name: product.name)) }
        }
    }

    func delegateManagement(of customer: String, to integrator: String) throws {
        try store.write { writer in
            guard var company = try writer.company(id: customer) else { return }
            company.integrators.insert(integrator)
            try writer.update(company)
        }
    }

    func insert(_ licenses: [License]) throws {
        try store.write { writer in
            for license in licenses { try writer.insert(license) }
        }
    }

    /// A license with every detail a test does not care about filled in; ids count up
    /// (`li_0001`, …) so that they sort in the order they were made.
    func makeLicense(
        product: String, owner: String, model: LicenseModel = .perpetual, integrator: String? = nil,
        reseller: String? = nil, distributor: String? = nil, partner: String? = nil,
        runtimeEnd: Date? = nil, serviceEnd: Date? = nil, activation: ActivationState = .none,
        destroyedAt: Date? = nil, orderDate: Date? = nil, orderReference: String? = nil,
        using random: inout LicenseSplitMix64
    ) -> License {
        licenseCount += 1
        let number = String(format: "%04d", licenseCount)
        let orderDate = orderDate ?? date(days: -30)
        return License(
            id: "li_\(number)", key: LicenseKey.random(using: &random), productID: product, edition: "Standard",
            quantity: 5, model: model, orderReference: orderReference ?? "SO-\(number)", orderPosition: 1,
            orderDate: orderDate,
            parties: License.Parties(
                owner: owner, integrator: integrator, reseller: reseller, distributor: distributor, partner: partner),
            runtimeEnd: runtimeEnd,
            service: serviceEnd.map { License.Service(level: "Standard", start: orderDate, end: $0) },
            activationState: activation, destroyedAt: destroyedAt)
    }

    /// An active admin of `company`, written directly to the store; returns the e-mail address.
    @discardableResult
    func addUser(to company: String) throws -> String {
        try addUser(company: company, staffRoles: [])
    }

    @discardableResult
    func addStaff(_ roles: Set<StaffRole> = [.admin]) throws -> String {
        try addUser(company: nil, staffRoles: roles)
    }

    private func addUser(company: String?, staffRoles: Set<StaffRole>) throws -> String {
        userCount += 1
        let email = "user\(userCount)@\((company ?? "vendor").replacingOccurrences(of: "_", with: "-")).example"
        let user = User(
            id: "us_\(userCount)", companyID: company, email: email,
            name: "User \(email)", passwordHash: passwordHash, companyRole: company == nil ? nil : .admin,
            staffRoles: staffRoles, status: .active, createdAt: now)
        try store.write { writer in try writer.insert(user) }
        return email
    }

    // MARK: Requests

    /// Sends every request as one frame and returns the replies in order.
    func send(_ requests: [JSONValue]) throws -> [LicenseReply] {
        var frame: [UInt8] = []
        for request in requests {
            request.write(to: &frame)
            frame.append(UInt8(ascii: "\n"))
        }
        let lines = RequestFrameDecoder.lines(in: executor.execute(frame: frame))
        try #require(lines.count == requests.count, "one reply line per request")
        return try lines.map { LicenseReply(value: try JSONParser.parse($0, maxDepth: 64)) }
    }

    func send(_ request: JSONValue) throws -> LicenseReply {
        try send([request])[0]
    }

    static func request(
        _ command: String, auth: String? = nil, view: String? = nil, idem: String? = nil, args: [String: JSONValue] = [:]
    ) -> JSONValue {
        var request: [String: JSONValue] = ["id": 1, "cmd": .string(command)]
        if let auth { request["auth"] = .string(auth) }
        if let view { request["view"] = .string(view) }
        if let idem { request["idem"] = .string(idem) }
        if !args.isEmpty { request["args"] = .object(args) }
        return .object(request)
    }

    /// Logs `email` in with `password` and returns the session token.
    func login(_ email: String, password: String = LicenseFixture.password) throws -> String {
        let reply = try send(Self.request("auth.login", args: ["email": .string(email), "password": .string(password)]))
        return try #require(reply.result["token"]?.stringValue, "login of \(email): \(reply)")
    }

    /// Adds a user to `company` and logs it in to `view`.
    func caller(of company: String, view: PortalView) throws -> LicenseCaller {
        LicenseCaller(token: try login(try addUser(to: company)), view: view.rawValue)
    }

    func list(_ caller: LicenseCaller, _ args: [String: JSONValue] = [:]) throws -> LicenseReply {
        try send(Self.request("license.list", auth: caller.token, view: caller.view, args: args))
    }

    func get(_ caller: LicenseCaller, _ idOrKey: String) throws -> LicenseReply {
        try send(Self.request("license.get", auth: caller.token, view: caller.view, args: ["license": .string(idOrKey)]))
    }

    /// Every item of `license.list`, following `next_cursor` page by page.
    func listAll(_ caller: LicenseCaller, _ args: [String: JSONValue] = [:], limit: Int = 7) throws -> [JSONValue] {
        var items: [JSONValue] = []
        var cursor: String?
        repeat {
            var pageArgs = args
            pageArgs["limit"] = .int(Int64(limit))
            if let cursor { pageArgs["cursor"] = .string(cursor) }
            let reply = try list(caller, pageArgs)
            try #require(reply.ok, "license.list \(pageArgs): \(reply)")
            try #require(reply.items.count <= limit)
            // A page that says more follows is full; an empty page never promises more.
            try #require(reply.nextCursor == nil || reply.items.count == limit, "short page with a cursor: \(reply)")
            items += reply.items
            cursor = reply.nextCursor
        } while cursor != nil
        return items
    }

    func listAllIDs(_ caller: LicenseCaller, _ args: [String: JSONValue] = [:], limit: Int = 500) throws -> [String] {
        try listAll(caller, args, limit: limit).compactMap { $0["id"]?.stringValue }
    }

    /// The ids a filter shows, as a set (order is the pagination tests' business).
    func filteredIDs(_ caller: LicenseCaller, _ filter: [String: JSONValue]) throws -> Set<String> {
        Set(try listAllIDs(caller, ["filter": .object(filter)]))
    }

    // MARK: Time

    func advance(days: Double) {
        clock.advance(by: days * 86_400)
    }
}

extension Date {
    /// The protocol's form of this moment.
    var licenseTimestamp: JSONValue { .string(RFC3339.string(from: self)) }
}

extension Array where Element == String {
    var licenseJSON: JSONValue { .array(map { .string($0) }) }
}

/// A signer for tests that need certificates but not cryptography: the "signature" is the
/// payload's serialization, so a test can read back what was signed.
struct TestTokenSigner: TokenSigner {
    func sign(_ payload: JSONValue) throws -> String {
        "test." + String(decoding: payload.serialized(), as: UTF8.self) + ".unsigned"
    }

    func publicKeySet() throws -> JSONValue { ["keys": []] }

    /// The payload of a token this signer made.
    static func payload(of token: String) throws -> JSONValue {
        try JSONParser.parse(Array(token.dropFirst("test.".count).dropLast(".unsigned".count).utf8), maxDepth: 16)
    }
}

extension LicenseFixture {
    /// The world of the license action tests: a customer (`co_owner`), its reseller (`co_res`,
    /// which is also a customer) and the product `pr_engine` of the line ThinPrint.
    static func withCustomerAndReseller(commits: SQLiteStore.Commits = .grouped) throws -> LicenseFixture {
        let fixture = try LicenseFixture(commits: commits)
        try fixture.addCompany("co_owner", views: [.customer])
        try fixture.addCompany("co_res", views: [.reseller, .customer])
        try fixture.addProductLine("pl_tp", name: "ThinPrint", products: [(id: "pr_engine", name: "ThinPrint Engine")])
        return fixture
    }
}
