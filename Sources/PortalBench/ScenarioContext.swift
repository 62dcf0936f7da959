import PortalProtocol

/// What a scenario's operations are built from: the account's session, logged in on first
/// need, and the licenses and cursors setup collects with it. Each operation is made here once,
/// so a scenario that mixes them is a list of weights, not a copy of them.
public final class ScenarioContext {
    /// Who the bench logs in as.
    public struct Account: Sendable {
        public var email: String
        public var password: String
        public var view: String

        public init(email: String, password: String, view: String) {
            self.email = email
            self.password = password
            self.view = view
        }
    }

    /// The most license ids `license.get` draws from.
    static let readPool = 5_000
    /// The most licenses the activation cycles go through.
    static let activationPool = 20_000
    /// Deep-page cursors: every 500th license, down to 100,000 deep; on a view too small for
    /// four such pages, every 10th.
    static let deepPages = 200
    static let smallViewPageSize: Int64 = 10

    private let client: BlockingClient
    private let account: Account
    private var loggedIn: BenchSession?
    private var readIDs: [String]?
    private var seed: UInt64 = 1

    public init(client: BlockingClient, account: Account) {
        self.client = client
        self.account = account
    }

    public func session() throws -> BenchSession {
        if let loggedIn { return loggedIn }
        let session = try BenchSession(client: client, email: account.email, password: account.password, view: account.view)
        loggedIn = session
        return session
    }

    /// A different seed for every operation, the same from run to run.
    private func nextSeed() -> UInt64 {
        seed += 1
        return seed
    }

    func ping() -> any BenchOperation {
        CommandOperation(command: "system.ping", session: nil, args: [[:]], seed: nextSeed())
    }

    /// Up to `readPool` licenses of the view, asked once for every operation that names licenses.
    private func licensesToRead() throws -> [String] {
        if let readIDs { return readIDs }
        let ids = try session().licenseIDs(limit: Self.readPool)
        guard !ids.isEmpty else { throw BenchError("\(account.email) sees no licenses in the \(account.view) view") }
        readIDs = ids
        return ids
    }

    /// `license.get` of licenses of the view, at random.
    func licenseGet() throws -> any BenchOperation {
        CommandOperation(
            command: "license.get", session: try session().credentials, args: try licensesToRead().map { ["license": .string($0)] },
            seed: nextSeed())
    }

    /// Support tickets about licenses of the view (every fifth about none), of every category and priority.
    func ticketCreate() throws -> any BenchOperation {
        let ids = try licensesToRead()
        let categories: [JSONValue] = ["activation", "installation", "licensing", "technical", "other"]
        let priorities: [JSONValue] = ["low", "normal", "normal", "high", "urgent"]
        let args: [JSONValue] = (0..<min(500, ids.count * 5)).map { index in
            var args: [String: JSONValue] = [
                "subject": .string("Print jobs stall after the update (bench \(index))"),
                "description": .string(String(repeating: "After installing the latest release, jobs queue but do not print until the service restarts. ", count: 3)),
                "category": categories[index % categories.count], "priority": priorities[index / categories.count % priorities.count],
            ]
            if index % 5 != 4 { args["license"] = .string(ids[index % ids.count]) }
            return .object(args)
        }
        return CommandOperation(command: "ticket.create", session: try session().credentials, args: args, seed: nextSeed())
    }

    /// Requests for renewal offers of one to three licenses of the view, for one to three years.
    func offerRequest() throws -> any BenchOperation {
        let ids = try licensesToRead()
        let args: [JSONValue] = (0..<min(500, ids.count)).map { index in
            let licenses = Array(Set((0...(index % 3)).map { ids[(index + $0 * 7) % ids.count] })).sorted()
            return ["licenses": .array(licenses.map(JSONValue.string)), "extension_years": .int(Int64(1 + index % 3))]
        }
        return CommandOperation(command: "offer.request", session: try session().credentials, args: args, seed: nextSeed())
    }

    /// The overview's first page, as a front end opens it.
    func firstPage() throws -> any BenchOperation {
        CommandOperation(command: "license.list", session: try session().credentials, args: [["limit": 50]], seed: nextSeed())
    }

    /// The overview filtered to what needs attention soon, newest service ends first.
    func filteredPage() throws -> any BenchOperation {
        CommandOperation(
            name: "license.list (filtered)", command: "license.list", session: try session().credentials,
            args: [["limit": 50, "filter": ["expiring_within_days": 90], "sort": "service_end", "order": "desc"]],
            seed: nextSeed())
    }

    /// Pages of 50 from random depths of the overview, reached by cursors setup collected.
    func deepPage() throws -> any BenchOperation {
        let session = try session()
        var cursors = try session.cursors(pageSize: BenchSession.setupPageSize, maxPages: Self.deepPages)
        if cursors.count < 4 { cursors = try session.cursors(pageSize: Self.smallViewPageSize, maxPages: Self.deepPages) }
        guard !cursors.isEmpty else {
            throw BenchError("\(account.email) sees too few licenses for a second page")
        }
        return CommandOperation(
            name: "license.list (deep)", command: "license.list", session: session.credentials,
            args: cursors.map { ["limit": 50, "cursor": .string($0)] }, seed: nextSeed())
    }

    /// The downloads page: the view's products and their releases.
    func softwareList() throws -> any BenchOperation {
        CommandOperation(command: "software.list", session: try session().credentials, args: [[:]], seed: nextSeed())
    }

    /// Activation cycles over the view's licenses that can be activated, never-activated first,
    /// so that a database that served earlier runs still offers first activations.
    func activation() throws -> any BenchOperation {
        let session = try session()
        var ids = try session.licenseIDs(limit: Self.activationPool, filter: ["status": "not_activated"])
        if ids.count < Self.activationPool {
            ids += try session.licenseIDs(limit: Self.activationPool - ids.count, filter: ["status": "activated"])
        }
        guard !ids.isEmpty else { throw BenchError("\(account.email) has no licenses to activate in the \(account.view) view") }
        return ActivationOperation(licenses: ids, session: session.credentials)
    }
}
