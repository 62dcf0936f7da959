import Foundation

/// Whether a company's Update & Support covered a ticket when it was opened, which service did,
/// and by when support promised a first response. Kept with the ticket: a service that ends
/// later does not change what was promised.
public struct TicketEntitlement: Sendable, Equatable {
    /// The running service that covers the request.
    public struct Service: Sendable, Equatable {
        public var license: Ticket.LicenseReference
        public var level: String
        public var end: Date

        public init(license: Ticket.LicenseReference, level: String, end: Date) {
            self.license = license
            self.level = level
            self.end = end
        }
    }

    /// nil: not entitled (no running service covers it).
    public var service: Service?
    /// Hours to the first response; nil when not entitled or the level has no target.
    public var responseHours: Int?
    public var respondBy: Date?

    public init(service: Service?, responseHours: Int?, respondBy: Date?) {
        self.service = service
        self.responseHours = responseHours
        self.respondBy = respondBy
    }

    public var isEntitled: Bool { service != nil }

    public static let none = TicketEntitlement(service: nil, responseHours: nil, respondBy: nil)
}
