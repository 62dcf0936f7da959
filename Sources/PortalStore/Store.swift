/// The transactional store behind the portal, as the services see it.
///
/// Handlers depend on this protocol only, so that a PostgreSQL implementation can stand in for
/// the embedded SQLite one without touching them.
public protocol Store: Sendable {
    /// Facts about the database itself, for `system.info` and operators.
    func metadata() throws -> StoreMetadata
}

/// What a store says about itself.
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
