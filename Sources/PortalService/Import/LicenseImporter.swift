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
/// in transactions of `batchSize`: one durable commit per batch, not per row.
public struct LicenseImporter {
    public let store: any Store
    public let passwords: PasswordHasher
    public let clock: any WallClock
    public var batchSize = 5_000

    public init(store: any Store, passwords: PasswordHasher, clock: any WallClock) {
        self.store = store
        self.passwords = passwords
        self.clock = clock
    }

    /// Imports numbered rows; a row that could not even be read comes as its error.
    /// `progress` is told how many rows are done after each batch.
    public func run(
        _ rows: some Sequence<(number: Int, fields: Result<[String: JSONValue], PortalError>)>,
        progress: (Int) -> Void = { _ in }
    ) throws -> ImportReport {
        var report = ImportReport()
        var batch: [(number: Int, fields: Result<[String: JSONValue], PortalError>)] = []
        var done = 0
        for row in rows {
            batch.append(row)
            if batch.count == batchSize {
                try write(batch, into: &report)
                done += batch.count
                progress(done)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty {
            try write(batch, into: &report)
            progress(done + batch.count)
        }
        return report
    }

    private func write(_ rows: [(number: Int, fields: Result<[String: JSONValue], PortalError>)], into report: inout ImportReport) throws {
        let now = clock.now
        report = try store.write { [report] writer in
            var report = report
            for (number, fields) in rows {
                do {
                    let row = try ImportRow.parse(try fields.get())
                    let type = try apply(row, writer: writer, now: now)
                    if let type { report.imported[type, default: 0] += 1 } else { report.unchanged += 1 }
                } catch let error as PortalError {
                    report.errors.append(.init(row: number, message: error.message))
                }
            }
            return report
        }
    }

    /// Writes one row; returns its type when it was imported, nil when it was there already.
    private func apply(_ row: ImportRow, writer: any StoreWriter, now: Date) throws -> String? {
        switch row {
        case .company(var company):
            company.createdAt = now
            for integrator in company.integrators where try writer.company(id: integrator)?.views.contains(.systemIntegrator) != true {
                throw PortalError.badRequest("integrator '\(integrator.dropFirst(7))' is not an imported company with the system_integrator view")
            }
            return try writer.insertIfMissing(company) ? "company" : nil
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
            return try writer.insertIfMissing(user) ? "user" : nil
        case .product(let product, let lineName):
            _ = try writer.insertIfMissing(ProductLine(id: product.productLineID, name: lineName))
            return try writer.insertIfMissing(product) ? "product" : nil
        case .license(let license):
            return try writer.insertIfMissing(license) ? "license" : nil
        }
    }
}
