import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// The one place that decides whether a request may run: is the session valid, does the
/// company hold the view, does the view have the feature, does the staff member have the role.
///
/// Failures are `unauthenticated` (no valid session) or `forbidden` (valid session, not allowed).
public struct AccessPolicy: Sendable {
    public var sessions: SessionPolicy
    public var features: FeatureMatrix

    public init(sessions: SessionPolicy = SessionPolicy(), features: FeatureMatrix = .standard) {
        self.sessions = sessions
        self.features = features
    }

    /// The caller of `request` if `access` lets it run; nil for `.anyone`.
    public func authorize(
        _ request: Request, access: CommandAccess, reader: any StoreReader, now: Date
    ) throws -> Caller? {
        if case .anyone = access { return nil }
        var caller = try authenticate(request, reader: reader, now: now)
        switch access {
        case .anyone, .session:
            break
        case .feature(let feature):
            caller.view = try view(of: request, for: caller, feature: feature)
        case .companyAdmin:
            guard caller.company != nil, caller.user.companyRole == .admin else {
                throw PortalError(.forbidden, "only an admin of the company may do this")
            }
        case .staff(let roles):
            try requireStaff(caller, roles: roles)
        case .featureOrStaff(let feature, let roles):
            if caller.company == nil {
                try requireStaff(caller, roles: roles)
            } else {
                caller.view = try view(of: request, for: caller, feature: feature)
            }
        }
        return caller
    }

    private func requireStaff(_ caller: Caller, roles: Set<StaffRole>) throws {
        guard caller.user.staffRoles.contains(.admin) || !caller.user.staffRoles.isDisjoint(with: roles) else {
            let needed = roles.sorted().map(\.rawValue).joined(separator: " or ")
            throw PortalError(.forbidden, "this is a back-office command for staff with the role \(needed)")
        }
    }

    /// The valid session named by the request's `auth`, with its user and company.
    func authenticate(_ request: Request, reader: any StoreReader, now: Date) throws -> Caller {
        guard let token = request.auth, !token.isEmpty else {
            throw PortalError(.unauthenticated, "this command needs a session: log in with auth.login and send its token as auth")
        }
        guard let session = try reader.session(tokenHash: SecureToken.hash(token)),
              sessions.isValid(session, at: now),
              let user = try reader.user(id: session.userID), user.status == .active
        else {
            throw PortalError(.unauthenticated, "the session is unknown or has expired; log in again")
        }
        let company = try user.companyID.flatMap { try reader.company(id: $0) }
        return Caller(user: user, session: session, company: company, view: nil)
    }

    private func view(of request: Request, for caller: Caller, feature: PortalFeature) throws -> PortalView {
        guard let company = caller.company else {
            throw PortalError(.forbidden, "this command is for company users in one of their views, not for staff")
        }
        guard let name = request.view else {
            throw PortalError(.badRequest, "view is required: one of \(company.views.sorted().map(\.rawValue).joined(separator: ", "))")
        }
        guard let view = PortalView(rawValue: name) else {
            throw PortalError(.badRequest, "unknown view '\(name)'; the views are \(PortalView.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard company.views.contains(view) else {
            throw PortalError(.forbidden, "your company does not hold the view \(name)")
        }
        guard features.allows(feature, in: view) else {
            throw PortalError(.forbidden, "the view \(name) does not offer \(feature.rawValue)")
        }
        return view
    }
}
