import Foundation

/// The kept reply of a request that carried an idempotency key (`idem`): what a retry with the
/// same key by the same user gets instead of running the command again.
public struct IdempotencyRecord: Sendable, Equatable {
    /// The user who sent the request; keys of different users are independent.
    public var userID: String
    /// The request's `idem`.
    public var key: String
    /// The request's `cmd`.
    public var command: String
    /// SHA-256 (hex) of the request's canonical `view` and `args`: a retry must send the same.
    public var argumentsHash: String
    /// The reply's `result`, JSON text exactly as first sent.
    public var reply: String
    public var createdAt: Date

    public init(userID: String, key: String, command: String, argumentsHash: String, reply: String, createdAt: Date) {
        self.userID = userID
        self.key = key
        self.command = command
        self.argumentsHash = argumentsHash
        self.reply = reply
        self.createdAt = createdAt
    }
}
