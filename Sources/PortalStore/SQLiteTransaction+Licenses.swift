import Foundation
import GRDB
import PortalCore
import PortalProtocol

/// Products, licenses and the license overview's queries.
extension SQLiteTransaction {
    // MARK: Products

    func productLines() throws -> [ProductLine] {
        try Row.fetchAll(statement("SELECT id, name FROM product_lines ORDER BY name")).map { row in
            ProductLine(id: row[0], name: row[1])
        }
    }

    func products() throws -> [Product] {
        try Row.fetchAll(statement("SELECT id, product_line_id, name FROM products ORDER BY name")).map { row in
            Product(id: row[0], productLineID: row[1], name: row[2])
        }
    }

    /// One cached lookup per product (a page names a few), rather than the whole catalogue.
    func catalogue(productIDs: Set<String>) throws -> (products: [String: Product], lines: [String: ProductLine]) {
        var products: [String: Product] = [:]
        var lines: [String: ProductLine] = [:]
        for id in productIDs {
            let found = try first("""
                SELECT p.id, p.product_line_id, p.name, pl.name FROM products p
                JOIN product_lines pl ON pl.id = p.product_line_id WHERE p.id = ?
                """, [id]) { row in (Product(id: row[0], productLineID: row[1], name: row[2]), row[3] as String) }
            guard let (product, lineName) = found else { continue }
            products[id] = product
            lines[product.productLineID] = ProductLine(id: product.productLineID, name: lineName)
        }
        return (products, lines)
    }

    func insert(_ line: ProductLine) throws {
        try run("INSERT INTO product_lines (id, name) VALUES (?, ?)", [line.id, line.name])
    }

    func insert(_ product: Product) throws {
        try run(
            "INSERT INTO products (id, product_line_id, name) VALUES (?, ?, ?)",
            [product.id, product.productLineID, product.name])
    }

    // MARK: Licenses

    func insert(_ license: License) throws {
        try insert(license, sql: Self.licenseInsert)
    }

    /// The insert of a new license, every column bound by `insert(_:sql:)`; imports add a
    /// conflict clause.
    static let licenseInsert = """
        INSERT INTO licenses (
            id, license_key, product_id, edition, quantity, model, order_reference, order_position,
            order_date, owner_id, integrator_id, reseller_id, distributor_id, partner_id, runtime_end,
            service_level, service_start, service_end, activation_slots, activation_state, destroyed_at,
            parent_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Runs `sql` (`licenseInsert`, with or without a conflict clause) for `license`.
    func insert(_ license: License, sql: String) throws {
        do {
            // Bound directly: imports and demo data insert licenses by the million.
            try reused.with(sql, in: db) { insert in
                insert.bind(license.id)
                insert.bind(license.key.text)
                insert.bind(license.productID)
                insert.bind(license.edition)
                insert.bind(license.quantity)
                insert.bind(license.model.rawValue)
                insert.bind(license.orderReference)
                insert.bind(license.orderPosition)
                insert.bind(license.orderDate.unixSeconds)
                insert.bind(license.parties.owner)
                insert.bind(license.parties.integrator)
                insert.bind(license.parties.reseller)
                insert.bind(license.parties.distributor)
                insert.bind(license.parties.partner)
                insert.bind(license.runtimeEnd?.unixSeconds ?? Self.openEnd)
                insert.bind(license.service?.level)
                insert.bind(license.service?.start.unixSeconds)
                insert.bind(license.service?.end.unixSeconds ?? Self.openEnd)
                insert.bind(license.activationSlots)
                insert.bind(license.activationState.rawValue)
                insert.bind(license.destroyedAt?.unixSeconds)
                insert.bind(license.parentID)
                try insert.execute()
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw PortalError(.conflict, "a license with key \(license.key) or order line \(license.orderReference)/\(license.orderPosition) exists already")
        }
    }

    /// The last row number: licenses are never deleted, so it is their count, found without
    /// reading a million rows (`COUNT(*)` took 1.8 s from a cold cache).
    func licenseCount() throws -> Int {
        try Int.fetchOne(statement("SELECT MAX(rowid) FROM licenses")) ?? 0
    }

    /// A lookup by key for text that reads as a key, then by id: SQLite answered the one query
    /// `l.id = ? OR l.license_key = ?` through both indexes and a set of row numbers to merge
    /// them, which cost twice a lookup through one. Stored keys are canonical, and so always read
    /// as keys: text that does not can only be an id.
    func license(idOrKey: String, visibility: LicenseVisibility) throws -> License? {
        let condition = Self.condition(for: visibility)
        let lookups = Self.licenseLookups[visibility.view]!
        if let key = LicenseKey(idOrKey),
           let license = try first(lookups.byKey, [key.text] + condition.arguments, Self.license(from:)) {
            return license
        }
        return try first(lookups.byID, [idOrKey] + condition.arguments, Self.license(from:))
    }

    /// The two lookups' SQL for each view's visibility, written once: building the text for
    /// every `license.get` cost a tenth of the lookup.
    private static let licenseLookups = Dictionary(uniqueKeysWithValues: PortalView.allCases.map { view in
        let condition = Self.condition(for: LicenseVisibility(view: view, company: "")).sql
        let select = "SELECT \(Self.licenseColumns) FROM licenses l WHERE"
        return (view, (
            byKey: "\(select) l.license_key = ? AND \(condition)",
            byID: "\(select) l.id = ? AND \(condition)"))
    })

    func licenses(matching query: LicenseQuery) throws -> [(license: License, cursor: LicenseQuery.Cursor)] {
        let sort = Self.sortExpression(query.sort)
        var conditions = [Self.condition(for: query.visibility)]
        conditions.append(Self.statusCondition(query.statuses, now: query.now))
        if !query.serviceStates.isEmpty {
            conditions.append(Self.anyOf(query.serviceStates.map { Self.serviceStateCondition($0, now: query.now) }))
        }
        if !query.models.isEmpty {
            conditions.append(Self.membership("l.model", query.models.map(\.rawValue)))
        }
        if !query.productIDs.isEmpty {
            conditions.append(Self.membership("l.product_id", Array(query.productIDs)))
        }
        if !query.productLineIDs.isEmpty {
            let lines = Self.membership("product_line_id", Array(query.productLineIDs))
            conditions.append(Condition(
                sql: "l.product_id IN (SELECT id FROM products WHERE \(lines.sql))", arguments: lines.arguments))
        }
        if let from = query.serviceEndFrom {
            conditions.append(Condition(sql: "l.service_end >= ? AND l.service_end < ?", arguments: [from.unixSeconds, Self.openEnd]))
        }
        if let to = query.serviceEndTo {
            conditions.append(Condition(sql: "l.service_end <= ?", arguments: [to.unixSeconds]))
        }
        if let days = query.expiringWithinDays {
            let now = query.now.unixSeconds
            let horizon = now + Int64(days) * 86_400
            conditions.append(Condition(
                sql: "((l.runtime_end > ? AND l.runtime_end <= ?) OR (l.service_end > ? AND l.service_end <= ?))",
                arguments: [now, horizon, now, horizon]))
        }
        if let search = query.search {
            let pattern = Self.containsPattern(search)
            // swiftLowercaseString (installed by GRDB) folds case beyond ASCII, as lower() does not:
            // "ÖKO Print" is found by "öko".
            // The matching companies are found once (an uncorrelated subquery), then each license
            // only checks its party columns against that small set.
            let parties = query.searchParties.map { "l.\($0.rawValue)_id IN matching_companies" }
            let matching = "(SELECT id FROM companies WHERE swiftLowercaseString(name) LIKE ? ESCAPE '\\')"
            conditions.append(Condition(
                sql: """
                    (l.license_key LIKE ? ESCAPE '\\' OR swiftLowercaseString(l.order_reference) LIKE ? ESCAPE '\\'
                     OR \(parties.joined(separator: " OR ").replacingOccurrences(of: "matching_companies", with: matching)))
                    """,
                arguments: [pattern.uppercased(), pattern] + Array(repeating: pattern, count: parties.count)))
        }
        let ascending = query.order == .ascending
        if let cursor = query.after {
            guard let value = Self.sortValue(cursor.sortValue, for: query.sort) else {
                throw PortalError.badRequest("args.cursor is not a cursor this server gave out")
            }
            let comparison = ascending ? ">" : "<"
            conditions.append(Condition(
                sql: "(\(sort) \(comparison) ? OR (\(sort) = ? AND l.id \(comparison) ?))",
                arguments: [value, value, cursor.id]))
        }
        let direction = ascending ? "ASC" : "DESC"
        let sql = """
            SELECT \(Self.licenseColumns), \(sort) AS sort_value FROM licenses l
            WHERE \(conditions.map(\.sql).joined(separator: " AND "))
            ORDER BY sort_value \(direction), l.id \(direction)
            LIMIT ?
            """
        return try all(sql, conditions.flatMap(\.arguments) + [query.limit]) { row in
            let license = Self.license(from: row)
            // sort_value follows the license's columns.
            let sortValue: String = switch query.sort {
            case .product, .key: row[Self.licenseColumnCount]
            case .serviceEnd, .runtimeEnd, .purchaseDate: String(row[Self.licenseColumnCount] as Int64)
            }
            return (license, LicenseQuery.Cursor(sortValue: sortValue, id: license.id))
        }
    }

    // MARK: SQL pieces

    /// A WHERE fragment and its arguments.
    struct Condition {
        var sql: String
        var arguments: [(any DatabaseValueConvertible)?]
    }

    static func condition(for visibility: LicenseVisibility) -> Condition {
        switch visibility {
        case .ownedExceptProvider(let company):
            Condition(sql: "l.owner_id = ? AND l.model <> 'service_provider'", arguments: [company])
        case .ownedUnderProviderModel(let company):
            Condition(sql: "l.owner_id = ? AND l.model = 'service_provider'", arguments: [company])
        case .managedBy(let integrator):
            Condition(
                sql: "(l.integrator_id = ? OR l.owner_id IN (SELECT customer_id FROM integrator_delegations WHERE integrator_id = ?))",
                arguments: [integrator, integrator])
        case .soldBy(let reseller):
            Condition(sql: "l.reseller_id = ?", arguments: [reseller])
        case .suppliedBy(let distributor):
            Condition(sql: "l.distributor_id = ?", arguments: [distributor])
        case .inChannelOf(let partner):
            Condition(sql: "l.partner_id = ?", arguments: [partner])
        }
    }

    /// Statuses as SQL; no statuses means every license that is not destroyed.
    static func statusCondition(_ statuses: Set<LicenseStatus>, now: Date) -> Condition {
        guard !statuses.isEmpty else { return Condition(sql: "l.destroyed_at IS NULL", arguments: []) }
        let seconds = now.unixSeconds
        let running = "l.destroyed_at IS NULL AND l.runtime_end > ?"
        return anyOf(statuses.sorted { $0.rawValue < $1.rawValue }.map { status in
            switch status {
            case .destroyed:
                Condition(sql: "l.destroyed_at IS NOT NULL", arguments: [])
            case .expired:
                Condition(sql: "l.destroyed_at IS NULL AND l.runtime_end <= ?", arguments: [seconds])
            case .activated:
                Condition(sql: "\(running) AND l.activation_state = 'activated'", arguments: [seconds])
            case .notActivated:
                Condition(sql: "\(running) AND l.activation_state = 'none'", arguments: [seconds])
            case .reactivationRequired:
                Condition(sql: "\(running) AND l.activation_state = 'reactivation_required'", arguments: [seconds])
            }
        })
    }

    static func serviceStateCondition(_ state: ServiceState, now: Date) -> Condition {
        let seconds = now.unixSeconds
        let horizon = seconds + Int64(ServiceState.expiringWindowDays) * 86_400
        switch state {
        case .none: return Condition(sql: "l.service_end = ?", arguments: [openEnd])
        case .expired: return Condition(sql: "l.service_end <= ?", arguments: [seconds])
        case .expiring: return Condition(sql: "(l.service_end > ? AND l.service_end <= ?)", arguments: [seconds, horizon])
        case .active: return Condition(sql: "(l.service_end > ? AND l.service_end < ?)", arguments: [horizon, openEnd])
        }
    }

    static func anyOf(_ conditions: [Condition]) -> Condition {
        Condition(sql: "(" + conditions.map { "(\($0.sql))" }.joined(separator: " OR ") + ")", arguments: conditions.flatMap(\.arguments))
    }

    /// A LIKE pattern (with `ESCAPE '\'`) matching text that contains `search`, lower-cased.
    static func containsPattern(_ search: String) -> String {
        "%" + search.lowercased()
            .replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    static func membership(_ column: String, _ values: [String]) -> Condition {
        Condition(sql: "\(column) IN (\(values.map { _ in "?" }.joined(separator: ", ")))", arguments: values)
    }

    /// How an open end (perpetual runtime, no service) is stored: after every date.
    static let openEnd = Int64.max

    /// The value each sort orders by; open ends sort after every date. Plain columns, so that
    /// the party indexes (party, service_end, id) deliver the default order without sorting.
    static func sortExpression(_ field: LicenseQuery.SortField) -> String {
        switch field {
        case .serviceEnd: "l.service_end"
        case .runtimeEnd: "l.runtime_end"
        case .purchaseDate: "l.order_date"
        case .product: "(SELECT name FROM products WHERE id = l.product_id)"
        case .key: "l.license_key"
        }
    }

    /// A cursor's sort value in the type its sort compares; nil when it does not parse as that type.
    static func sortValue(_ text: String, for field: LicenseQuery.SortField) -> (any DatabaseValueConvertible)? {
        switch field {
        case .serviceEnd, .runtimeEnd, .purchaseDate: Int64(text)
        case .product, .key: text
        }
    }
}
