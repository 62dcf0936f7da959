import PortalCore

/// Numbers for the companies an import's rows name, given in the order they are first named by
/// the thread that prepares the rows. The writing thread keeps what it knows of each company in
/// arrays by these numbers (`ImportReferences`): looking companies up by id, hashing and
/// comparing ids made on the other thread, took it a twelfth of its time.
///
/// `@unchecked Sendable`: used by one preparation at a time, as the rows it numbers are.
final class CompanyNumbers: @unchecked Sendable {
    private var numbers: [String: Int] = [:]

    /// The numbers of the companies `row` names (`ImportRow.companies`), in that order.
    func numbers(of row: ImportRow) -> [Int] {
        row.companies.map { id in
            if let number = numbers[id] { return number }
            let number = numbers.count
            numbers[id] = number
            return number
        }
    }
}

extension ImportRow {
    /// The companies the row names: a company itself, a user's company, a license's owner and
    /// its other parties.
    var companies: [String] {
        switch self {
        case .company(let company): [company.id]
        case .user(_, _, let companyRef, _, _): [ImportRow.companyID(ref: companyRef)]
        case .product: []
        case .license(let license): license.parties.named
        }
    }
}
