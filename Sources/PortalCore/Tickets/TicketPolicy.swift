import Foundation

/// How Update & Support turns into a ticket's entitlement and response target.
public struct TicketPolicy: Sendable, Equatable {
    /// The level that stands for every level not listed in `responseHours`.
    public static let otherLevels = "*"

    /// Hours from opening to the first response, by service level (compared without regard to
    /// case); `otherLevels` covers levels not listed. A level without a target is still entitled.
    public var responseHours: [String: Int] = ["Premium": 4, "Standard": 8, "Basic": 24, otherLevels: 24]

    public init() {}

    /// The target of a service level, if one is set.
    public func responseHours(level: String) -> Int? {
        let folded = level.lowercased()
        return responseHours.first { $0.key.lowercased() == folded }?.value ?? responseHours[Self.otherLevels]
    }

    /// The entitlement of a request opened at `now`. About a named license, that license's
    /// service decides (a license that no longer works has none); otherwise the best of
    /// `companyLicenses`' running services: the shortest response target, then the latest end.
    public func entitlement(license: License?, companyLicenses: [License], at now: Date) -> TicketEntitlement {
        let candidates = license.map { [$0] } ?? companyLicenses
        let covering = candidates.compactMap { candidate -> (service: TicketEntitlement.Service, hours: Int?)? in
            guard let service = candidate.service, ![.destroyed, .expired].contains(candidate.status(at: now)),
                  [.active, .expiring].contains(candidate.serviceState(at: now))
            else { return nil }
            return (
                TicketEntitlement.Service(
                    license: Ticket.LicenseReference(id: candidate.id, key: candidate.key), level: service.level, end: service.end),
                responseHours(level: service.level))
        }
        let best = covering.min { lhs, rhs in
            let (left, right) = (lhs.hours ?? .max, rhs.hours ?? .max)
            if left != right { return left < right }
            if lhs.service.end != rhs.service.end { return lhs.service.end > rhs.service.end }
            return lhs.service.license.id < rhs.service.license.id
        }
        guard let best else { return .none }
        return TicketEntitlement(
            service: best.service, responseHours: best.hours,
            respondBy: best.hours.map { now.addingTimeInterval(TimeInterval($0) * 3_600) })
    }
}
