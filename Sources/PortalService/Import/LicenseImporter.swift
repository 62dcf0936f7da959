import Foundation
import PortalCore
import PortalProtocol
import PortalStore

/// What an import did: counts by row type, rows that were there already, and the rows refused.
public struct ImportReport: Sendable {
    public struct RowError: Sendable {
        /// The row's number: its line in a file, its index (from 1) in `license.import`.
        public let row: Int
        public let message: String
    }

    public var imported: [String: Int] = ["company": 0, "user": 0, "product": 0, "license": 0]
    public var unchanged = 0
    public var errors: [RowError] = []

    public init() {}

    public var json: JSONValue {
        [
            "imported": .object(imported.mapValues { .int(Int64($0)) }),
            "unchanged": .int(Int64(unchanged)),
            "errors": .array(errors.map { ["row": .int(Int64($0.row)), "message": .string($0.message)] }),
        ]
    }
}

/// Imports the order system's companies, users, products and licenses.
///
/// Every row is validated on its own; a bad row is reported and skipped, the others are
/// imported. Rows already imported (same company or product reference, e-mail address, or order
/// line) are left unchanged, so importing the same file twice changes nothing. Rows are written
/// in transactions of `batchSize`: one durable commit per batch, not per row, each with the
/// events of what it created (`company.created`, `user.added`, `license.created`).
public struct LicenseImporter {
    public let store: any Store
    public let passwords: PasswordHasher
    public let clock: any WallClock
    /// What the events name as their cause: `license.import` and its sender, or the command line.
    public let cause: EventCause
    public var batchSize = 5_000

    public init(store: any Store, passwords: PasswordHasher, clock: any WallClock, cause: EventCause) {
        self.store = store
        self.passwords = passwords
        self.clock = clock
        self.cause = cause
    }

    /// Imports numbered rows; a row that could not even be read comes as its error.
    /// `progress` is told how many rows are done after each batch.
    public func run(
        _ rows: some Sequence<(number: Int, fields: Result<[String: JSONValue], PortalError>)>,
        progress: (Int) -> Void = { _ in }
    ) throws -> ImportReport {
        var report = ImportReport()
        var delegations: [String: Set<String>] = [:]
        var batch: [(number: Int, fields: Result<[String: JSONValue], PortalError>)] = []
        var done = 0
        for row in rows {
            batch.append(row)
            if batch.count == batchSize {
                try write(batch, into: &report, delegations: &delegations)
                done += batch.count
                progress(done)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty {
            try write(batch, into: &report, delegations: &delegations)
            progress(done + batch.count)
        }
        return report
    }

    /// Writes one batch of rows in one transaction. `delegations` (owners' integrators, which the
    /// events name as parties) lives across batches, so each owner is looked up once per import.
    private func write(
        _ rows: [(number: Int, fields: Result<[String: JSONValue], PortalError>)], into report: inout ImportReport,
        delegations: inout [String: Set<String>]
    ) throws {
        let now = clock.now
        (report, delegations) = try store.write { [report, delegations] writer in
            var report = report
            var batch = EventBatch(writer: writer, cause: cause, now: now, integrators: delegations)
            for (number, fields) in rows {
                do {
                    let row = try ImportRow.parse(try fields.get())
                    let type = try apply(row, writer: writer, events: &batch, now: now)
                    if let type { report.imported[type, default: 0] += 1 } else { report.unchanged += 1 }
                } catch let error as PortalError {
                    report.errors.append(.init(row: number, message: error.message))
                }
            }
            try writer.append(batch.events)
            return (report, batch.integrators)
        }
    }

    /// Writes one row and collects its event; returns its type when it was imported, nil when it
    /// was there already.
    private func apply(_ row: ImportRow, writer: any StoreWriter, events: inout EventBatch, now: Date) throws -> String? {
        switch row {
        case .company(var company):
            company.createdAt = now
            for integrator in company.integrators where try writer.company(id: integrator)?.views.contains(.systemIntegrator) != true {
                throw PortalError.badRequest("integrator '\(integrator.dropFirst(7))' is not an imported company with the system_integrator view")
            }
            guard try writer.insertIfMissing(company) else { return nil }
            events.companyCreated(company)
            return "company"
        case .user(let email, let name, let companyRef, let role, let password):
            let companyID = ImportRow.companyID(ref: companyRef)
            guard try writer.company(id: companyID) != nil else {
                throw PortalError.badRequest("company '\(companyRef)' is not imported; import it in an earlier row")
            }
            guard try writer.user(email: email) == nil else { return nil }
            // Without a password the account exists but cannot log in until a password is set.
            let user = User(
                id: OpaqueID.make(prefix: "us"), companyID: companyID, email: email, name: name,
                passwordHash: password.map(passwords.hash) ?? "!", companyRole: role, staffRoles: [],
                status: .active, createdAt: now)
            guard try writer.insertIfMissing(user) else { return nil }
            events.userAdded(user)
            return "user"
        case .product(var product, let lineName):
            // A line of that name may exist already, made by staff or demo data under another id.
            if let line = try writer.productLines().first(where: { $0.name == lineName }) {
                product.productLineID = line.id
            } else {
                _ = try writer.insertIfMissing(ProductLine(id: product.productLineID, name: lineName))
            }
            return try writer.insertIfMissing(product) ? "product" : nil
        case .license(let license):
            guard try writer.insertIfMissing(license) else { return nil }
            try events.licenseCreated(license)
            return "license"
        }
    }
}

/// The events of one import transaction, appended together at its end.
private struct EventBatch {
    let writer: any StoreWriter
    let cause: EventCause
    let now: Date
    private(set) var events: [PortalEvent] = []
    /// Owners' integrator delegations: one lookup per owner, not per license.
    private(set) var integrators: [String: Set<String>]

    init(writer: any StoreWriter, cause: EventCause, now: Date, integrators: [String: Set<String>]) {
        self.writer = writer
        self.cause = cause
        self.now = now
        self.integrators = integrators
    }

    mutating func companyCreated(_ company: Company) {
        events.append(.company(.companyCreated, company, cause: cause, at: now))
        integrators[company.id] = company.integrators
    }

    mutating func userAdded(_ user: User) {
        if let event = PortalEvent.user(.userAdded, user, cause: cause, at: now) { events.append(event) }
    }

    mutating func licenseCreated(_ license: License) throws {
        let owner = license.parties.owner
        if integrators[owner] == nil { integrators[owner] = try writer.company(id: owner)?.integrators ?? [] }
        events.append(.licenseCreated(license, integrators: integrators[owner] ?? [], cause: cause, at: now))
    }
}
