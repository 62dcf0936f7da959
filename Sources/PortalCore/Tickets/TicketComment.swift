import Foundation

/// One entry in a ticket's thread: a comment both sides see, or an internal note of support
/// staff that the company side never sees.
public struct TicketComment: Sendable, Equatable {
    public var id: String
    public var ticketID: String
    public var author: Ticket.Party
    public var side: Ticket.Side
    /// An internal note: only support staff see it, in replies; no event tells of it.
    public var isInternal: Bool
    public var body: String
    public var createdAt: Date

    public init(
        id: String, ticketID: String, author: Ticket.Party, side: Ticket.Side, isInternal: Bool, body: String, createdAt: Date
    ) {
        self.id = id
        self.ticketID = ticketID
        self.author = author
        self.side = side
        self.isInternal = isInternal
        self.body = body
        self.createdAt = createdAt
    }
}
