/// A back-office role of the vendor's own staff.
public enum StaffRole: String, Sendable, CaseIterable, Codable, Comparable {
    /// Order team: accounts, companies, products, license import, renewals, quotes.
    case order
    /// Activation team: reactivation requests.
    case activation
    /// Support: tickets across companies.
    case support
    /// Administrators: everything staff can do.
    case admin
    /// The vendor's own systems (mailer, CRM sync, notification subscribers): replaying events
    /// and taking the mail queue, nothing else.
    case service

    public static func < (lhs: StaffRole, rhs: StaffRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
