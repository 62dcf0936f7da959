import Foundation
import PortalCore

/// The queries available inside a read or write transaction.
public protocol StoreReader {
    func company(id: String) throws -> Company?
    /// The integrators a company lets manage its licenses (its `integrators`): what license
    /// events name besides the parties, without reading the rest of the company.
    func integrators(ofCompany id: String) throws -> Set<String>
    /// The names of the companies with these ids.
    func companyNames(ids: Set<String>) throws -> [String: String]
    /// Companies ordered by id, after `cursor` (exclusive), at most `limit`.
    func companies(after cursor: String?, limit: Int) throws -> [Company]

    func user(id: String) throws -> User?
    /// The account with that e-mail address (compared lower-cased).
    func user(email: String) throws -> User?
    /// The users of a company, ordered by e-mail address.
    func users(companyID: String) throws -> [User]

    func session(tokenHash: String) throws -> Session?

    /// Accounts in a status, oldest first (e.g. those waiting for approval).
    func users(status: User.Status, limit: Int) throws -> [User]
    /// The user an unexpired e-mail confirmation token (by its hash) belongs to.
    func confirmationUser(tokenHash: String, now: Date) throws -> String?
    /// Mails not yet handed to the mailer, oldest first.
    func unsentMail(limit: Int) throws -> [OutgoingMail]
    /// A license by key, whoever holds it: for checks such as registration, never shown as such.
    func license(key: LicenseKey) throws -> License?

    func loginThrottle(email: String) throws -> LoginThrottle?

    func productLines() throws -> [ProductLine]
    func products() throws -> [Product]
    /// The products with these ids, and their lines: what a page of licenses names.
    func catalogue(productIDs: Set<String>) throws -> (products: [String: Product], lines: [String: ProductLine])
    /// A product's releases, newest first.
    func releases(productID: String) throws -> [Release]

    /// The license with that id or key, if the visibility rule shows it (destroyed ones too).
    func license(idOrKey: String, visibility: LicenseVisibility) throws -> License?
    /// One page of the license overview, each license with the cursor that continues after it.
    func licenses(matching query: LicenseQuery) throws -> [(license: License, cursor: LicenseQuery.Cursor)]
    /// Whether a license of that order line exists: how an import knows a row it imported before.
    func licenseExists(orderReference: String, position: Int) throws -> Bool
    /// How many licenses the database holds, destroyed ones included.
    func licenseCount() throws -> Int

    /// The last committed event number and the oldest one still kept.
    func eventRange() throws -> EventRange
    /// Events numbered in `after+1...through`, in order, only of `types` (all when empty) and
    /// about `company` (any when nil), at most `limit`.
    func events(after: Int64, through: Int64, types: Set<EventType>, company: String?, limit: Int) throws -> [StoredEvent]
    /// The latest `limit` changes of a license, oldest first.
    func licenseHistory(licenseID: String, limit: Int) throws -> [LicenseHistoryEntry]
    /// How far the publisher of `node` has sent events; nil before its first report.
    func publishedSeq(node: String) throws -> Int64?

    // MARK: Idempotency

    /// The reply kept for `key` of the user, unless it was kept at `cutoff` or before (expired).
    func idempotencyRecord(userID: String, key: String, keptAfter cutoff: Date) throws -> IdempotencyRecord?

    // MARK: Activations

    /// A license by id, whoever holds it: for staff work, never shown to a company as such.
    func license(id: String) throws -> License?
    /// A license's activations, current and superseded, oldest first.
    func activations(licenseID: String) throws -> [Activation]
    func reactivationRequest(id: String) throws -> ReactivationRequest?
    /// Requests oldest first, of a status and a license when given, at most `limit`.
    func reactivationRequests(status: ReactivationRequest.Status?, licenseID: String?, limit: Int) throws -> [ReactivationRequest]

    // MARK: Destructions

    func destruction(id: String) throws -> Destruction?
    /// A company's destruction records, newest first, after `cursor` (a `nextCursor` this
    /// returned; a cursor it did not give out is `bad_request`), at most `limit`.
    func destructions(companyID: String, after cursor: String?, limit: Int) throws -> (items: [Destruction], nextCursor: String?)

    // MARK: Downloads

    /// The products the visibility rule shows licenses of (destroyed ones left out), of these
    /// product lines when any are given.
    func downloadProductIDs(visibility: LicenseVisibility, productLineIDs: Set<String>) throws -> Set<String>
    /// The licenses of a product the visibility rule shows, destroyed ones left out, at most
    /// `limit`: running ALM licenses first, then by the latest service end (none last).
    func downloadLicenses(visibility: LicenseVisibility, productID: String, now: Date, limit: Int) throws -> [License]
    /// A release with its artifacts.
    func release(id: String) throws -> Release?
    /// A product's newest `limit` releases, newest first.
    func latestReleases(productID: String, limit: Int) throws -> [Release]

    // MARK: Renewal and schedule

    /// The moment up to which the scheduler has announced what time changed; nil before its first pass.
    func scheduleAppliedThrough() throws -> Date?
    /// The moments in `after...through` (`after` excluded) at which time changes something about
    /// a license that is not destroyed (runtime end, service end, start of the service's expiring
    /// window, end of an ALM test phase, end of a superseded activation's grace), earliest first,
    /// at most `limit`; a moment shared by several licenses is listed once per license.
    func scheduleTransitions(after: Date, through: Date, limit: Int) throws -> [Date]
    /// The licenses, not destroyed, with such a moment in `after...through` (`after` excluded),
    /// by id, each with when a command last announced its state after the scheduler's progress.
    func scheduledLicenses(after: Date, through: Date) throws -> [(license: License, announcedAt: Date?)]
    /// The ALM licenses, never activated and not destroyed, whose test phase ends in
    /// `after...through` (`after` excluded), by id.
    func testPhaseEnds(after: Date, through: Date) throws -> [License]
    /// The superseded activations whose grace ends in `after...through` (`after` excluded), of
    /// licenses not destroyed, with their licenses; by license, then activation.
    func graceEnds(after: Date, through: Date) throws -> [(activation: Activation, license: License)]

    // MARK: Free keys

    /// The licenses a company owns of a model, not destroyed and running at `now` (perpetual
    /// ones count as running), of that order reference when given; by product, then the latest
    /// runtime end first.
    func runningLicenses(ownerID: String, model: LicenseModel, orderReference: String?, now: Date) throws -> [License]
    /// The next unused order position of an order reference: one past the highest, 1 for a new one.
    func nextOrderPosition(orderReference: String) throws -> Int
    /// The free licenses retrieved under `parentID` that are not destroyed: they end with it.
    func freeLicenses(parentID: String) throws -> [License]

    // MARK: Tickets

    /// The ticket with that id, if `scope` sees it.
    func ticket(id: String, scope: TicketQuery.Scope) throws -> Ticket?
    /// One page of tickets, each with the cursor that continues after it.
    func tickets(matching query: TicketQuery) throws -> [(ticket: Ticket, cursor: TicketQuery.Cursor)]
    /// A ticket's thread, oldest first; internal notes only when asked for.
    func ticketComments(ticketID: String, includingInternal: Bool) throws -> [TicketComment]
    /// How many comments (`internal` false) or internal notes (true) a ticket's thread holds.
    func ticketCommentCount(ticketID: String, internal: Bool) throws -> Int
    /// For each service level among the licenses a company owns that `visibility` shows, that
    /// work and whose service runs at `now`, the license whose service ends last: what a
    /// ticket's entitlement is chosen from.
    func serviceLicenses(ownerID: String, visibility: LicenseVisibility, now: Date) throws -> [License]

    // MARK: Offers

    func offer(id: String) throws -> Offer?
    /// One page of offers, with the cursor that continues after it (nil on the last page).
    func offers(matching query: OfferQuery) throws -> (items: [Offer], nextCursor: String?)
    /// Offers stored as `quoted` whose quote ended at `now` or before, earliest end first, at
    /// most `limit`: what the expiry pass records.
    func quotesEnded(by now: Date, limit: Int) throws -> [Offer]
}

/// The changes available inside a write transaction.
public protocol StoreWriter: StoreReader {
    /// Adds a company; `conflict` when the id exists.
    func insert(_ company: Company) throws
    /// Replaces a company's name and views.
    func update(_ company: Company) throws

    /// Adds an account; `conflict` when the e-mail address is taken.
    func insert(_ user: User) throws
    func update(_ user: User) throws

    func insert(_ session: Session) throws
    func update(_ session: Session) throws
    func deleteSession(tokenHash: String) throws
    /// Ends every session of a user (account removed, password changed).
    func deleteSessions(userID: String) throws

    func insertConfirmation(tokenHash: String, userID: String, expiresAt: Date) throws
    func deleteConfirmations(userID: String) throws
    func insert(_ mail: OutgoingMail) throws
    /// Marks mails as handed to the mailer; returns how many were unsent.
    func markMailSent(ids: [String], at: Date) throws -> Int

    /// Records failed logins for an address (replacing what was recorded).
    func save(_ throttle: LoginThrottle) throws
    /// Forgets failed logins for an address after a successful login.
    func deleteLoginThrottle(email: String) throws

    func insert(_ line: ProductLine) throws
    func insert(_ product: Product) throws
    /// Renames a product or moves it to another line.
    func update(_ product: Product) throws
    /// Publishes a release; `conflict` when the product has that version already.
    func insert(_ release: Release) throws
    /// Adds a license; `conflict` when its key or order line exists.
    func insert(_ license: License) throws

    // Imports: each adds the object unless one with the same identity exists, and tells which.
    // The identity is the id (companies, product lines, products), the e-mail address (users)
    // or the order line (licenses), so importing the same rows twice changes nothing.
    func insertIfMissing(_ company: Company) throws -> Bool
    func insertIfMissing(_ user: User) throws -> Bool
    func insertIfMissing(_ line: ProductLine) throws -> Bool
    func insertIfMissing(_ product: Product) throws -> Bool
    func insertIfMissing(_ license: License) throws -> Bool

    /// Appends events to the outbox, numbered in order with the next `seq`s; they are committed
    /// (and then published) with the rest of the transaction, or not at all.
    func append(_ events: [PortalEvent]) throws
    /// Deletes at most `limit` of the oldest events older than `cutoff`; returns how many. The
    /// license history is kept.
    func pruneEvents(before cutoff: Date, limit: Int) throws -> Int
    /// Records how far the publisher of `node` has sent events.
    func savePublishedSeq(_ seq: Int64, node: String) throws

    // MARK: Idempotency

    /// Keeps the reply of a request with an idempotency key, replacing an expired record of the
    /// same user and key. Call it in the transaction of the request's changes, after
    /// `idempotencyRecord` found no live record, so that the reply commits with them.
    func save(_ record: IdempotencyRecord) throws
    /// Deletes at most `limit` of the oldest records kept at `cutoff` or before; returns how many.
    func pruneIdempotencyRecords(keptBefore cutoff: Date, limit: Int) throws -> Int
    /// Runs `body` as a nested transaction (a savepoint) of this one: its changes are rolled back
    /// alone when it throws. How a handler's own `write` runs inside an idempotent request's
    /// transaction.
    func nested<T>(_ body: () throws -> T) throws -> T

    // MARK: Activations

    func insert(_ activation: Activation) throws
    /// Marks an activation superseded by a reactivation; it works until `graceEnd`.
    func supersede(activationID: String, at: Date, graceEnd: Date) throws
    /// The license's stored activation state, which its status is computed from.
    func setActivationState(_ state: ActivationState, licenseID: String) throws
    func insert(_ request: ReactivationRequest) throws
    /// Stores a request's decision (status, decided at and by, note).
    func update(_ request: ReactivationRequest) throws

    // MARK: Destructions

    /// Keeps a destruction record and marks its licenses destroyed at its time; `conflict` when
    /// one of them is destroyed already.
    func insert(_ destruction: Destruction) throws

    // MARK: Downloads

    // MARK: Renewal and schedule

    /// Replaces a license's runtime end (nil: perpetual) and service (nil: none).
    func updateTerm(licenseID: String, runtimeEnd: Date?, service: License.Service?) throws
    /// Records that a command announced the license's status and service state as of `at` (in
    /// its events), so that the scheduler announces only what time changes after it.
    func markAnnounced(licenseID: String, at: Date) throws
    /// Records the scheduler's progress; forgets command announcements at or before it.
    func saveScheduleAppliedThrough(_ moment: Date) throws

    // MARK: Tickets

    func insert(_ ticket: Ticket) throws
    /// Stores a ticket's status, priority, assignee and `updatedAt`.
    func update(_ ticket: Ticket) throws
    /// Appends a comment or internal note to its ticket's thread.
    func insert(_ comment: TicketComment) throws

    // MARK: Offers

    /// Keeps a new offer with its licenses (and its quote, decision and fulfilment, if any).
    func insert(_ offer: Offer) throws
    /// Stores an offer's new status with its quote, decision and fulfilment; `conflict` unless
    /// its stored status is still `status`, so that two changes never both win.
    func update(_ offer: Offer, from status: Offer.Status) throws
}

extension StoreWriter {
    /// Appends one event; nil (a change about no company, such as a staff account's) appends none.
    public func append(_ event: PortalEvent?) throws {
        if let event { try append([event]) }
    }
}
