import PortalCore
import PortalProtocol

/// How accounts and companies appear in results.
extension Company {
    var json: JSONValue {
        [
            "id": .string(id), "name": .string(name),
            "views": .array(views.sorted().map { .string($0.rawValue) }),
            "created_at": .string(RFC3339.string(from: createdAt)),
            "integrators": .array(integrators.sorted().map(JSONValue.string)),
            "contract": contract.map { contract in
                [
                    "quota": .int(Int64(contract.quota)),
                    "starts_at": .string(RFC3339.string(from: contract.startsAt)),
                    "ends_at": .string(RFC3339.string(from: contract.endsAt)),
                ]
            } ?? .null,
        ]
    }
}

extension User {
    var json: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "email": .string(email), "name": .string(name), "status": .string(status.rawValue),
            "created_at": .string(RFC3339.string(from: createdAt)),
        ]
        if let companyRole { object["role"] = .string(companyRole.rawValue) }
        if isStaff {
            object["role"] = "staff"
            object["staff_roles"] = .array(staffRoles.sorted().map { .string($0.rawValue) })
        }
        return .object(object)
    }
}
