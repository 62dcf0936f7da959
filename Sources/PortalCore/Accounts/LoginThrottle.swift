import Foundation

/// Failed logins for one e-mail address, whether or not an account has it, so that throttling
/// reveals nothing about which addresses exist.
public struct LoginThrottle: Sendable, Equatable {
    public var email: String
    /// Consecutive failures since the last successful login.
    public var failures: Int
    /// No login for this address is tried before this moment.
    public var blockedUntil: Date?

    public init(email: String, failures: Int, blockedUntil: Date?) {
        self.email = email
        self.failures = failures
        self.blockedUntil = blockedUntil
    }
}
