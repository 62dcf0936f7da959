import Foundation
import PortalCore
import PortalProtocol
import PortalStore

extension PortalEvent {
    /// `license.service` when the service state changed from `before` to `after`; nil when it did not.
    static func licenseService(
        _ license: License, from before: ServiceState, to after: ServiceState, integrators: Set<String>, cause: EventCause,
        at: Date
    ) -> PortalEvent? {
        fieldChange(
            .licenseService, field: "service_state", license, from: before.rawValue, to: after.rawValue, integrators: integrators,
            cause: cause, at: at)
    }

    /// `license.expiring` for the service period ending at the license's service end, told at `at`.
    static func licenseExpiring(_ license: License, integrators: Set<String>, cause: EventCause, at: Date) -> PortalEvent? {
        guard let end = license.service?.end else { return nil }
        let days = Int(end.timeIntervalSince(at) / 86_400)
        return .license(
            .licenseExpiring, license, integrators: integrators, cause: cause, at: at,
            data: [
                "service_end": .string(RFC3339.string(from: end)),
                "days_left": .int(Int64(min(max(days, 0), ServiceState.expiringWindowDays))),
            ])
    }

    /// `license.test_phase_ended` for an ALM license never activated, at the end of its test phase.
    static func licenseTestPhaseEnded(_ license: License, integrators: Set<String>, cause: EventCause) -> PortalEvent? {
        guard let end = license.testPhaseEnd else { return nil }
        return .license(
            .licenseTestPhaseEnded, license, integrators: integrators, cause: cause, at: end,
            data: ["test_phase_end": .string(RFC3339.string(from: end))])
    }

    /// `license.reactivation_grace_ended` for a superseded activation, at the end of its grace.
    static func licenseReactivationGraceEnded(
        _ activation: Activation, of license: License, integrators: Set<String>, cause: EventCause
    ) -> PortalEvent? {
        guard let graceEnd = activation.graceEnd, let supersededAt = activation.supersededAt else { return nil }
        return .license(
            .licenseReactivationGraceEnded, license, integrators: integrators, cause: cause, at: graceEnd,
            data: [
                "activation": [
                    "id": .string(activation.id), "registration_key": .string(activation.registrationKey.text),
                    "superseded_at": .string(RFC3339.string(from: supersededAt)),
                    "grace_end": .string(RFC3339.string(from: graceEnd)),
                ],
            ])
    }

    /// The events of a license's change from `before` to `after` at `at`: `license.status` and
    /// `license.service` for what changed, and `license.expiring` when the service entered its
    /// last 28 days.
    static func licenseChanges(
        _ before: License, _ after: License, integrators: Set<String>, cause: EventCause, at: Date
    ) -> [PortalEvent] {
        let serviceBefore = before.serviceState(at: at), serviceAfter = after.serviceState(at: at)
        return [
            .licenseStatus(after, from: before.status(at: at), to: after.status(at: at), integrators: integrators, cause: cause, at: at),
            .licenseService(after, from: serviceBefore, to: serviceAfter, integrators: integrators, cause: cause, at: at),
            serviceAfter == .expiring && serviceBefore != .expiring
                ? .licenseExpiring(after, integrators: integrators, cause: cause, at: at) : nil,
        ].compactMap { $0 }
    }
}
