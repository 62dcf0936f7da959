import PortalProtocol

/// The bench's logged-in account and what its setup asks the server: licenses to read or
/// activate, cursors into deep pages, and the server's facts (RSS, counters) around a run.
public final class BenchSession {
    /// A session token and the view it acts in.
    public struct Credentials: Sendable {
        public var token: String
        public var view: String

        public init(token: String, view: String) {
            self.token = token
            self.view = view
        }
    }

    /// The largest page the protocol allows: setup walks listings in as few requests as it can.
    static let setupPageSize: Int64 = 500

    public let client: BlockingClient
    public let credentials: Credentials

    /// Logs `email` in; `view` is the view every request names.
    public init(client: BlockingClient, email: String, password: String, view: String) throws {
        self.client = client
        let result: JSONValue
        do {
            result = try client.call("auth.login", args: ["email": .string(email), "password": .string(password)])
        } catch let failure as BlockingClient.Failure {
            throw BenchError("cannot log in as \(email): \(failure)")
        }
        guard let token = result["token"]?.stringValue else {
            throw BenchError("auth.login as \(email) answered without a token (is this a portald?)")
        }
        credentials = Credentials(token: token, view: view)
    }

    /// Ids of up to `limit` licenses of the view, in listing order, optionally filtered.
    public func licenseIDs(limit: Int, filter: JSONValue? = nil) throws -> [String] {
        var ids: [String] = []
        try walkListing(filter: filter, pageSize: Self.setupPageSize, maxPages: Int.max) { items, _ in
            ids += items.compactMap { $0["id"]?.stringValue }.prefix(limit - ids.count)
            return ids.count < limit
        }
        return ids
    }

    /// The `next_cursor` of every page of `pageSize` licenses, up to `maxPages`: cursors into the
    /// listing at depths `pageSize`, 2 × `pageSize`, … for deep-page reads (a cursor does not
    /// depend on the page size it came with).
    public func cursors(pageSize: Int64, maxPages: Int) throws -> [String] {
        var cursors: [String] = []
        try walkListing(filter: nil, pageSize: pageSize, maxPages: maxPages) { _, next in
            if let next { cursors.append(next) }
            return true
        }
        return cursors
    }

    /// Pages through `license.list` until the last page, `maxPages`, or `page` returns false.
    private func walkListing(filter: JSONValue?, pageSize: Int64, maxPages: Int, page: ([JSONValue], String?) -> Bool) throws {
        var cursor: String?
        for _ in 0..<maxPages {
            var args: [String: JSONValue] = ["limit": .int(pageSize)]
            args["filter"] = filter
            args["cursor"] = cursor.map(JSONValue.string)
            let result = try client.call("license.list", args: .object(args), auth: credentials.token, view: credentials.view)
            cursor = result["next_cursor"]?.stringValue
            guard page(result["items"]?.arrayValue ?? [], cursor), cursor != nil else { return }
        }
    }
}
