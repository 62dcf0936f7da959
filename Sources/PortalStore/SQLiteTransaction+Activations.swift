import Foundation
import GRDB
import PortalCore
import PortalProtocol

/// Activations, the license's stored activation state, and reactivation requests.
extension SQLiteTransaction {
    func license(id: String) throws -> License? {
        try first("SELECT \(Self.licenseColumns) FROM licenses l WHERE id = ?", [id], Self.license(from:))
    }

    func activations(licenseID: String) throws -> [Activation] {
        try all(Self.activationsOfLicense, [licenseID], Self.activation(from:))
    }

    /// Built once: put together for each call, the text cost more than the lookup of its
    /// statement.
    private static let activationsOfLicense =
        "SELECT \(activationColumns) FROM activations a WHERE a.license_id = ? ORDER BY a.position"

    func insert(_ activation: Activation) throws {
        try run("""
                INSERT INTO activations (id, license_id, position, registration_key, activation_key, subscription_key,
                                         certificate, is_reactivation, activated_at, activated_by, superseded_at, grace_end)
                VALUES (?, ?, (SELECT COUNT(*) + 1 FROM activations WHERE license_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [
                activation.id, activation.licenseID, activation.licenseID, activation.registrationKey.text, activation.activationKey.text,
                activation.subscriptionKey.text, activation.certificate, activation.isReactivation,
                activation.activatedAt.unixSeconds, activation.activatedBy, activation.supersededAt?.unixSeconds,
                activation.graceEnd?.unixSeconds,
            ])
    }

    func supersede(activationID: String, at: Date, graceEnd: Date) throws {
        try run(
            "UPDATE activations SET superseded_at = ?, grace_end = ? WHERE id = ?",
            [at.unixSeconds, graceEnd.unixSeconds, activationID])
    }

    func setActivationState(_ state: ActivationState, licenseID: String) throws {
        try run("UPDATE licenses SET activation_state = ? WHERE id = ?", [state.rawValue, licenseID])
    }

    /// The activations table's columns under the alias `a`, in the order `activation(from:)` reads
    /// them: by position, as licenses are read (`licenseColumns`).
    static let activationColumns = """
        a.id, a.license_id, a.registration_key, a.activation_key, a.subscription_key, a.certificate, \
        a.is_reactivation, a.activated_at, a.activated_by, a.superseded_at, a.grace_end
        """

    /// The keys were written in canonical form by their types and are taken as they are, as
    /// license keys are (`license(from:)`): parsing them again cost a tenth of a `license.get`.
    static func activation(from row: LiveColumns) -> Activation {
        Activation(
            id: row[0], licenseID: row[1], registrationKey: RegistrationKey(canonical: row[2]),
            activationKey: LicenseKey(canonical: row[3]), subscriptionKey: LicenseKey(canonical: row[4]),
            certificate: row[5], isReactivation: row[6],
            activatedAt: Date(unixSeconds: row[7]), activatedBy: row[8],
            supersededAt: (row[9] as Int64?).map(Date.init(unixSeconds:)),
            graceEnd: (row[10] as Int64?).map(Date.init(unixSeconds:)))
    }

    // MARK: Reactivation requests

    func reactivationRequest(id: String) throws -> ReactivationRequest? {
        try Row.fetchOne(
            statement("SELECT * FROM reactivation_requests WHERE id = ?"), arguments: [id]).map(Self.request(from:))
    }

    func reactivationRequests(status: ReactivationRequest.Status?, licenseID: String?, limit: Int) throws -> [ReactivationRequest] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let status {
            conditions.append("status = ?")
            arguments.append(status.rawValue)
        }
        if let licenseID {
            conditions.append("license_id = ?")
            arguments.append(licenseID)
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(limit)
        return try Row.fetchAll(
            statement("SELECT * FROM reactivation_requests \(filter) ORDER BY created_at, id LIMIT ?"),
            arguments: StatementArguments(arguments)
        ).map(Self.request(from:))
    }

    func insert(_ request: ReactivationRequest) throws {
        try run("""
                INSERT INTO reactivation_requests (id, license_id, company_id, requested_by, registration_key, reason, status,
                                                   created_at, decided_at, decided_by, note)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [
                request.id, request.licenseID, request.companyID, request.requestedBy, request.registrationKey.text,
                request.reason, request.status.rawValue, request.createdAt.unixSeconds, request.decidedAt?.unixSeconds,
                request.decidedBy, request.note,
            ])
    }

    func update(_ request: ReactivationRequest) throws {
        try run(
            "UPDATE reactivation_requests SET status = ?, decided_at = ?, decided_by = ?, note = ? WHERE id = ?",
            [request.status.rawValue, request.decidedAt?.unixSeconds, request.decidedBy, request.note, request.id])
    }

    private static func request(from row: Row) throws -> ReactivationRequest {
        guard let registrationKey = RegistrationKey(row["registration_key"]),
              let status = ReactivationRequest.Status(rawValue: row["status"])
        else { throw StoreError("reactivation request \(row["id"] as String) is malformed") }
        return ReactivationRequest(
            id: row["id"], licenseID: row["license_id"], companyID: row["company_id"], requestedBy: row["requested_by"],
            registrationKey: registrationKey, reason: row["reason"], status: status,
            createdAt: Date(unixSeconds: row["created_at"]), decidedAt: (row["decided_at"] as Int64?).map(Date.init(unixSeconds:)),
            decidedBy: row["decided_by"], note: row["note"])
    }
}
