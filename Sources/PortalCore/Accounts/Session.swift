import Foundation

/// A logged-in session, as stored: the token itself is never stored, only its hash.
public struct Session: Sendable, Equatable {
    public var tokenHash: String
    public var userID: String
    public var createdAt: Date
    /// Last time the session was used, updated coarsely (see `SessionPolicy.touchInterval`).
    public var lastUsedAt: Date
    /// The session ends at the latest here, however active it is.
    public var absoluteExpiry: Date

    public init(tokenHash: String, userID: String, createdAt: Date, lastUsedAt: Date, absoluteExpiry: Date) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.absoluteExpiry = absoluteExpiry
    }
}
