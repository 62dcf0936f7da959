import Foundation

/// Whether a view may download a release, judged from the view's licenses of the release's
/// product.
///
/// A license that still works (not destroyed, runtime not ended) grants a release when
/// - it is an ALM license: a running ALM license includes every update;
/// - its Update & Support covered the release date (`service.start <= releasedAt <= service.end`);
/// - it is a perpetual license ordered on or after the release date: the version it was bought with.
///
/// Destroyed and expired licenses grant nothing.
public enum ReleaseEntitlement: Sendable, Equatable {
    case entitled(license: License, basis: Basis)
    case notEntitled(Reason)

    /// Why a license grants a release; also the order of preference when several do.
    public enum Basis: String, Sendable, CaseIterable {
        case alm
        case updateService = "update_service"
        case purchase
    }

    /// Why no license grants a release.
    public enum Reason: Sendable, Equatable {
        /// The view holds no license of the product that is not destroyed.
        case noLicense
        /// Every license of the product has expired; the date is the latest runtime end.
        case runtimeEnded(Date)
        /// The release came out after the Update & Support of every license ended (the latest end).
        case serviceEnded(Date)
        /// Some Update & Support runs past the release date, but none covered it, and no license was bought with it.
        case notCovered

        /// The reason as the protocol names it (`details.reason`).
        public var code: String {
            switch self {
            case .noLicense: "no_license"
            case .runtimeEnded: "runtime_ended"
            case .serviceEnded: "service_ended"
            case .notCovered: "not_covered"
            }
        }

        /// What the user reads.
        public func message(for release: Release) -> String {
            let released = Self.day(release.releasedAt)
            return switch self {
            case .noLicense:
                "you hold no license of this product"
            case .runtimeEnded(let end):
                "your licenses of this product have expired (the last runtime ended on \(Self.day(end)))"
            case .serviceEnded(let end):
                "version \(release.version) was released on \(released), after your Update & Support for this product ended on \(Self.day(end))"
            case .notCovered:
                "none of your licenses of this product had Update & Support on \(released), when version \(release.version) was released"
            }
        }

        private static func day(_ date: Date) -> String { String(RFC3339.string(from: date).prefix(10)) }
    }

    public var isEntitled: Bool {
        if case .entitled = self { return true }
        return false
    }

    /// Judges `release` by `licenses` (others than the release's product's are ignored) at `now`.
    /// When several licenses grant it, the best names it: by basis (ALM, then Update & Support,
    /// then purchase), then the one running or bought latest, then the lowest id.
    public static func judge(_ release: Release, licenses: [License], at now: Date) -> ReleaseEntitlement {
        let held = licenses.filter { $0.productID == release.productID && $0.destroyedAt == nil }
        guard !held.isEmpty else { return .notEntitled(.noLicense) }
        let working = held.filter { $0.status(at: now) != .expired }
        guard !working.isEmpty else {
            return .notEntitled(.runtimeEnded(held.compactMap(\.runtimeEnd).max() ?? now))
        }
        let grants = working.compactMap { license in basis(of: license, for: release).map { (license, $0) } }
        if let best = grants.min(by: { isBetter($0, than: $1) }) {
            return .entitled(license: best.0, basis: best.1)
        }
        if let lastServiceEnd = working.compactMap(\.service?.end).max(), lastServiceEnd < release.releasedAt {
            return .notEntitled(.serviceEnded(lastServiceEnd))
        }
        return .notEntitled(.notCovered)
    }

    /// The strongest reason a working license grants the release, if any.
    static func basis(of license: License, for release: Release) -> Basis? {
        if license.model == .alm { return .alm }
        if let service = license.service, service.start <= release.releasedAt, release.releasedAt <= service.end {
            return .updateService
        }
        if license.model == .perpetual, license.orderDate >= release.releasedAt { return .purchase }
        return nil
    }

    private static func isBetter(_ a: (License, Basis), than b: (License, Basis)) -> Bool {
        let rankA = Basis.allCases.firstIndex(of: a.1)!, rankB = Basis.allCases.firstIndex(of: b.1)!
        if rankA != rankB { return rankA < rankB }
        let endA = until(a.0, a.1), endB = until(b.0, b.1)
        if endA != endB { return endA > endB }
        return a.0.id < b.0.id
    }

    /// How long a grant lasts, to prefer the longest: the runtime, the service, the purchase.
    private static func until(_ license: License, _ basis: Basis) -> Date {
        switch basis {
        case .alm: license.runtimeEnd ?? .distantFuture
        case .updateService: license.service?.end ?? .distantPast
        case .purchase: license.orderDate
        }
    }
}
