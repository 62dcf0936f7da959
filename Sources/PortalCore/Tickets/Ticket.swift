import Foundation

/// A support request: what a company asks the vendor's support, with its status in the flow
/// open → in_progress → waiting_for_customer → resolved → closed.
///
/// A ticket belongs to one company; a system integrator may open it for a customer that lets it
/// manage its licenses (`integrator`), and then both see it.
public struct Ticket: Sendable, Equatable {
    public enum Category: String, Sendable, CaseIterable, Codable {
        case activation, installation, licensing, technical, other
    }

    public enum Priority: String, Sendable, CaseIterable, Codable {
        case low, normal, high, urgent

        /// Higher is more urgent: how listings sort by priority.
        public var rank: Int { Self.allCases.firstIndex(of: self)! }
    }

    public enum Status: String, Sendable, CaseIterable, Codable {
        case open
        case inProgress = "in_progress"
        case waitingForCustomer = "waiting_for_customer"
        case resolved
        /// Final: nothing changes a closed ticket any more.
        case closed
    }

    /// Who acts on a ticket: the company side (its users and the integrator that opened it) or
    /// the vendor's support staff.
    public enum Side: String, Sendable, CaseIterable, Codable {
        case customer
        case support
    }

    /// A company or a user, with the name shown next to it.
    public struct Party: Sendable, Equatable {
        public var id: String
        public var name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// The license a ticket is about, with its key as it was when the ticket was opened.
    public struct LicenseReference: Sendable, Equatable {
        public var id: String
        public var key: LicenseKey

        public init(id: String, key: LicenseKey) {
            self.id = id
            self.key = key
        }
    }

    /// The longest subject, in characters.
    public static let maxSubjectLength = 200
    /// The longest description or comment, in characters.
    public static let maxTextLength = 10_000
    /// Comments one ticket takes at most, and as many internal notes apart (so that a full
    /// thread tells the company side nothing of notes): a thread that long is a case for a new
    /// ticket, and the limit bounds what `ticket.get` returns.
    public static let maxComments = 200

    public var id: String
    /// The company whose ticket it is.
    public var company: Party
    /// The system integrator that opened it for `company`, which sees it too.
    public var integrator: Party?
    /// The user who opened it (a user of `company` or of `integrator`).
    public var openedBy: Party
    /// The view it was opened in.
    public var view: PortalView
    public var subject: String
    public var description: String
    public var category: Category
    public var priority: Priority
    public var status: Status
    public var license: LicenseReference?
    /// Whether Update & Support covered the request when it was opened, and the response target.
    public var entitlement: TicketEntitlement
    /// The support staff member handling it.
    public var assignee: Party?
    public var createdAt: Date
    /// The last change the company side can see (internal notes leave it alone).
    public var updatedAt: Date

    public init(
        id: String, company: Party, integrator: Party?, openedBy: Party, view: PortalView, subject: String,
        description: String, category: Category, priority: Priority, status: Status = .open, license: LicenseReference?,
        entitlement: TicketEntitlement, assignee: Party? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.company = company
        self.integrator = integrator
        self.openedBy = openedBy
        self.view = view
        self.subject = subject
        self.description = description
        self.category = category
        self.priority = priority
        self.status = status
        self.license = license
        self.entitlement = entitlement
        self.assignee = assignee
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The companies that see the ticket: its company and the integrator that opened it.
    public var parties: [String] {
        [company.id] + (integrator.map { [$0.id] } ?? [])
    }
}
