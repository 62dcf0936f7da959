import Foundation
import PortalCore

/// A page of tickets: whose, which, in which order, from where.
public struct TicketQuery: Sendable, Equatable {
    /// Whose tickets the query may see.
    public enum Scope: Sendable, Equatable {
        /// A company's own tickets and those it opened for customers as their integrator.
        case company(String)
        /// Every company's: the support queue.
        case all
    }

    public enum SortField: String, Sendable, CaseIterable {
        case created
        case updated
        case priority
        /// Tickets without a response target sort after every date: last ascending, first descending.
        case respondBy = "respond_by"
    }

    /// `asc` or `desc`, as for licenses.
    public typealias SortOrder = LicenseQuery.SortOrder

    /// Where the previous page ended: its last ticket's sort value and id.
    public struct Cursor: Sendable, Equatable {
        public var sortValue: Int64
        public var id: String

        public init(sortValue: Int64, id: String) {
            self.sortValue = sortValue
            self.id = id
        }
    }

    public var scope: Scope
    public var statuses: Set<Ticket.Status> = []
    public var priorities: Set<Ticket.Priority> = []
    public var categories: Set<Ticket.Category> = []
    /// Tickets about these licenses, each named by id or key.
    public var licenses: [String] = []
    /// Tickets of these companies (the ticket's company, not the integrator).
    public var companyIDs: Set<String> = []
    /// Tickets assigned to this staff member; `unassigned` for those assigned to nobody.
    public var assignee: String?
    /// Case-insensitive text in the subject or the description.
    public var search: String?
    /// Opened within this range (inclusive).
    public var createdFrom: Date?
    public var createdTo: Date?
    public var sort: SortField = .created
    public var order: SortOrder = .descending
    public var limit = 50
    public var after: Cursor?

    /// `assignee` for tickets assigned to nobody.
    public static let unassigned = "none"

    public init(scope: Scope) {
        self.scope = scope
    }
}
