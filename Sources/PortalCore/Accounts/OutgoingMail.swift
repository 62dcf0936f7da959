import Foundation

/// An e-mail the portal wants sent (address confirmation, approval), queued in the store in the
/// same transaction as the change it tells of, and handed to the vendor's mailer from there.
public struct OutgoingMail: Sendable, Equatable {
    public var id: String
    public var recipient: String
    public var subject: String
    public var body: String
    public var createdAt: Date
    public var sentAt: Date?

    public init(id: String, recipient: String, subject: String, body: String, createdAt: Date, sentAt: Date? = nil) {
        self.id = id
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.createdAt = createdAt
        self.sentAt = sentAt
    }
}
