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
/// in transactions of `batchSize` (the first few smaller): one durable commit per batch, not per
/// row, each with the events of what it created (`company.created`, `user.added`,
/// `license.created`).
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
    ///
    /// Reading and validating rows and making their events costs about as much as writing them,
    /// so a second thread prepares the next batch while the store writes this one.
    public func run<Rows: Sequence<(number: Int, fields: Result<[String: JSONValue], PortalError>)>>(
        _ rows: Rows, progress: (Int) -> Void = { _ in }
    ) throws -> ImportReport {
        var state = ImportState()
        var done = 0
        let source = RowBatches(rows, size: batchSize)
        let numbers = CompanyNumbers()
        let (cause, clock) = (self.cause, self.clock)
        // Each preparation also frees the batch written before (its rows and events): freeing
        // them took the writing thread a tenth of its time.
        let prepareNext = { (written: PreparedBatch?) in
            BackgroundResult {
                withExtendedLifetime(written) {}
                return PreparedBatch(source.next(), numbers: numbers, cause: cause, now: clock.now)
            }
        }
        var upcoming = prepareNext(nil)
        var written: PreparedBatch?
        while case let batch = upcoming.wait(), !batch.rows.isEmpty {
            upcoming = prepareNext(written.take())
            try write(batch, into: &state)
            done += batch.rows.count
            progress(done)
            written = batch
        }
        return state.report
    }

    /// Writes one batch of rows in one transaction. The store does not check the rows'
    /// references: `apply` does, with what the import knows exists. `state` is changed in place,
    /// not copied (it holds every company of the import): when the transaction fails, the import
    /// stops and the state is dropped.
    private func write(_ prepared: PreparedBatch, into state: inout ImportState) throws {
        try store.writeWithoutReferenceChecks { writer in
            var events: [PortalEvent] = []
            for (number, row, event, companies) in prepared.rows {
                do {
                    let type = try apply(
                        try row.get(), event: event, companies: companies, writer: writer, state: &state, events: &events,
                        now: prepared.now)
                    if let type { state.report.imported[type, default: 0] += 1 } else { state.report.unchanged += 1 }
                } catch let error as PortalError {
                    state.report.errors.append(.init(row: number, message: error.message))
                }
            }
            try writer.append(events)
        }
    }

    /// Writes one row and collects its event; returns its type when it was imported, nil when it
    /// was there already. `companies` numbers the companies the row names (`CompanyNumbers`).
    /// Nothing is written for a row that names a company or product that does not exist.
    private func apply(
        _ row: ImportRow, event: PortalEvent?, companies: [Int], writer: any StoreWriter, state: inout ImportState,
        events: inout [PortalEvent], now: Date
    ) throws -> String? {
        switch row {
        case .company(let company):
            for integrator in company.integrators where try writer.company(id: integrator)?.views.contains(.systemIntegrator) != true {
                throw PortalError.badRequest("integrator '\(integrator.dropFirst(7))' is not an imported company with the system_integrator view")
            }
            guard try writer.insertIfMissing(company) else {
                state.references.add(company: companies[0])
                return nil
            }
            state.references.add(company: companies[0], integrators: company.integrators)
            events.append(try Self.prepared(event))
            return "company"
        case .user(let email, let name, let companyRef, let role, let password):
            let companyID = ImportRow.companyID(ref: companyRef)
            guard try state.references.companyExists(companyID, number: companies[0], in: writer) else {
                throw PortalError.badRequest("company '\(companyRef)' is not imported; import it in an earlier row")
            }
            guard try writer.user(email: email) == nil else { return nil }
            // Without a password the account exists but cannot log in until a password is set.
            let user = User(
                id: OpaqueID.make(prefix: "us"), companyID: companyID, email: email, name: name,
                passwordHash: password.map(passwords.hash) ?? "!", companyRole: role, staffRoles: [],
                status: .active, createdAt: now)
            guard try writer.insertIfMissing(user) else { return nil }
            if let added = PortalEvent.user(.userAdded, user, cause: cause, at: now) { events.append(added) }
            return "user"
        case .product(var product, let lineName):
            // A line of that name may exist already, made by staff or demo data under another id.
            if let line = try writer.productLines().first(where: { $0.name == lineName }) {
                product.productLineID = line.id
            } else {
                _ = try writer.insertIfMissing(ProductLine(id: product.productLineID, name: lineName))
            }
            let created = try writer.insertIfMissing(product)
            state.references.add(product: product.id)
            return created ? "product" : nil
        case .license(let license):
            guard try state.references.exist(for: license, numbers: companies, in: writer) else {
                // A license imported before is unchanged, whatever its row names now.
                guard try writer.licenseExists(orderReference: license.orderReference, position: license.orderPosition) else {
                    throw PortalError.badRequest("the license names a company or product that does not exist; import it first")
                }
                return nil
            }
            guard try writer.insertIfMissing(license) else { return nil }
            // The owner's integrators see its licenses' events too.
            var created = try Self.prepared(event)
            created.addParties(try state.references.integrators(ofOwner: license.parties.owner, number: companies[0], in: writer))
            events.append(created)
            return "license"
        }
    }

    /// The event made with a company or license row when its batch was prepared.
    private static func prepared(_ event: PortalEvent?) throws -> PortalEvent {
        guard let event else { throw PortalError(.internal, "an imported row was prepared without its event") }
        return event
    }
}

/// What the writing thread carries from one batch to the next.
private struct ImportState {
    var report = ImportReport()
    var references = ImportReferences()
}

/// A batch of rows validated, each company and license with its event (its data serialized),
/// ready to be written: the writing thread only appends them. Each row comes with the numbers of
/// the companies it names.
private struct PreparedBatch: Sendable {
    /// A row's error is a `PortalError` (the row is refused) or another error (the import stops).
    let rows: [(number: Int, row: Result<ImportRow, any Error>, event: PortalEvent?, companies: [Int])]
    /// When the batch was prepared: the time its objects and events are created at.
    let now: Date

    init(
        _ rows: [(number: Int, fields: Result<[String: JSONValue], PortalError>)], numbers: CompanyNumbers, cause: EventCause,
        now: Date
    ) {
        self.now = now
        self.rows = rows.map { number, fields in
            switch Result(catching: { try ImportRow.parse(try fields.get()) }) {
            case .success(.company(var company)):
                company.createdAt = now
                let row = ImportRow.company(company)
                return (number, .success(row), .company(.companyCreated, company, cause: cause, at: now), numbers.numbers(of: row))
            case .success(.license(let license)):
                // The owner's integrators, also parties, are added when it is written: the store knows them.
                let row = ImportRow.license(license)
                return (number, .success(row), .licenseCreated(license, integrators: [], cause: cause, at: now), numbers.numbers(of: row))
            case .success(let row):
                return (number, .success(row), nil, numbers.numbers(of: row))
            case .failure(let error):
                return (number, .failure(error), nil, [])
            }
        }
    }
}

/// The rows to import, handed out a batch at a time to the thread that prepares them.
///
/// The first batches are small, each twice the one before up to `size`: the first rows are
/// written as soon as they are prepared, and each batch is prepared while the one before it,
/// half its size, is written (preparing a row costs less than writing it).
///
/// `@unchecked Sendable`: the iterator is only used by one preparation at a time, as the next
/// preparation starts after the previous one's result was taken.
private final class RowBatches<Rows: Sequence>: @unchecked Sendable {
    private var iterator: Rows.Iterator
    private let size: Int
    private var nextSize: Int
    /// The rows of the first batch.
    static var firstSize: Int { 1_000 }

    init(_ rows: Rows, size: Int) {
        iterator = rows.makeIterator()
        self.size = size
        nextSize = min(size, Self.firstSize)
    }

    /// The next rows, at most `size`; empty at the end.
    func next() -> [Rows.Element] {
        var batch: [Rows.Element] = []
        batch.reserveCapacity(nextSize)
        while batch.count < nextSize, let row = iterator.next() { batch.append(row) }
        nextSize = min(size, nextSize * 2)
        return batch
    }
}

/// A value computed on another thread; `wait()` returns it once it is there.
///
/// `@unchecked Sendable`: `value` is written before the semaphore is signalled and read only after
/// waiting for it.
private final class BackgroundResult<Value: Sendable>: @unchecked Sendable {
    private var value: Value?
    private let ready = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global(qos: .userInitiated).async {
            self.value = work()
            self.ready.signal()
        }
    }

    func wait() -> Value {
        ready.wait()
        ready.signal()  // later waits return at once
        return value!
    }
}
