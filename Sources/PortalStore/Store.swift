/// The transactional store behind the portal, as the services see it.
///
/// Handlers depend on these protocols only, so that a PostgreSQL implementation can stand in
/// for the embedded SQLite one without touching them. Every write goes through `write`, one
/// transaction per call: either all of the closure's changes are committed or none is. That one
/// entry point is also where batching (group commit) can be added without changing a handler.
public protocol Store: Sendable {
    /// Facts about the database itself, for `system.info` and operators.
    func metadata() throws -> StoreMetadata

    /// Runs `body` on a consistent snapshot; concurrent with other reads and with the writer.
    func read<T>(_ body: (any StoreReader) throws -> T) throws -> T

    /// Runs `body` in one transaction, committed when it returns, rolled back when it throws.
    /// The commit is durable by then, unless `deferredSync` is set (or the store was opened for a
    /// bulk writer that makes its work durable at its end).
    func write<T>(_ body: (any StoreWriter) throws -> T) throws -> T

    /// Set when commits return before they are durable: it syncs them and says how far they are.
    var deferredSync: CommitSync? { get }

    /// Counts this process's committed changes to sessions, users and companies, for those who
    /// keep callers in memory; nil for a store that cannot tell (nothing is then kept).
    var accessChanges: AccessChangeCounter? { get }

    /// A number that moves with every commit that changes what a license's detail shows (the
    /// license, its activations and history, the names of its parties and product, integrators'
    /// delegations), whoever commits (this process or another one sharing the database): a
    /// detail read after taking the number stays right while it stays. A commit of this process
    /// moves it before its write returns; another process's may take a store-defined moment
    /// (`SQLiteStore.otherProcessesChangesShowWithin`). Nil for a store that cannot tell (no
    /// detail may then be kept).
    func licenseChangeNumber() throws -> UInt64?

    /// `write`, but the store need not check that the rows written name rows that exist (foreign
    /// keys): for a bulk writer that checks its references itself, once per referenced object
    /// rather than once per row and column, such as an import.
    func writeWithoutReferenceChecks<T>(_ body: (any StoreWriter) throws -> T) throws -> T
}

extension Store {
    public var deferredSync: CommitSync? { nil }
    public var accessChanges: AccessChangeCounter? { nil }
    public func licenseChangeNumber() throws -> UInt64? { nil }

    /// A store that has no cheaper way checks as `write` does.
    public func writeWithoutReferenceChecks<T>(_ body: (any StoreWriter) throws -> T) throws -> T {
        try write(body)
    }
}

/// What the store says about itself.
public struct StoreMetadata: Sendable, Equatable {
    /// The implementation: `sqlite`, later `postgresql`.
    public var kind: String
    /// A random id given to the database when it was created; tells databases (and backups) apart.
    public var storeID: String
    /// The identifier of the newest schema migration applied.
    public var schemaVersion: String

    public init(kind: String, storeID: String, schemaVersion: String) {
        self.kind = kind
        self.storeID = storeID
        self.schemaVersion = schemaVersion
    }
}
