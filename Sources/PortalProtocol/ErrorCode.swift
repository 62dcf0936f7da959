/// The complete set of error codes of protocol v1; clients switch on these, so they never change.
public enum ErrorCode: String, Sendable, CaseIterable, Codable {
    /// The line is not a valid request: not JSON, not an object, a wrong-typed or missing field, bad args.
    case badRequest = "bad_request"
    /// No command of that name exists.
    case unknownCommand = "unknown_command"
    /// The request's `v` is not a protocol version this server speaks.
    case unsupportedVersion = "unsupported_version"
    /// No valid session: missing, unknown or expired `auth`, or wrong credentials.
    case unauthenticated = "unauthenticated"
    /// The session may not do this: the view or feature is not granted.
    case forbidden
    /// No such object, or not visible to the caller (never distinguished, so nothing leaks).
    case notFound = "not_found"
    /// The request contradicts the current state (a transition not allowed, a reused idempotency key).
    case conflict
    /// A quota or limit of the caller's own data is used up.
    case limitExceeded = "limit_exceeded"
    /// Too many attempts in too short a time; retry later.
    case rateLimited = "rate_limited"
    /// The server is at capacity or shutting down; nothing was done, retry later.
    case busy
    /// The frame exceeds the size or line limits; nothing was executed.
    case tooLarge = "too_large"
    /// An unexpected server failure; nothing the client did wrong.
    case `internal`
}
