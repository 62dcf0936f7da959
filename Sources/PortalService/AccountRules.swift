import PortalCore
import PortalProtocol

/// The checks every new account passes, whoever creates it.
enum AccountRules {
    static let minimumPasswordLength = 10

    /// The address, lower-cased, or `bad_request` naming what is wrong with address or password.
    static func validated(email: String, password: String) throws -> String {
        let email = try validated(email: email)
        guard password.count >= minimumPasswordLength else {
            throw PortalError.badRequest("the password must have at least \(minimumPasswordLength) characters")
        }
        return email
    }

    /// The address, lower-cased, or `bad_request`.
    static func validated(email: String) throws -> String {
        let email = email.lowercased()
        guard EmailAddress.isPlausible(email) else { throw PortalError.badRequest("'\(email)' is not an e-mail address") }
        return email
    }
}
