import Foundation
import PortalCore
import PortalProtocol

extension Destruction {
    /// In `license.destroy` and `license.destructions`: who destroyed which keys, when, and why.
    var json: JSONValue {
        [
            "id": .string(id), "destroyed_at": .string(RFC3339.string(from: destroyedAt)),
            "destroyed_by": .string(destroyedBy), "comment": comment.map(JSONValue.string) ?? .null,
            "licenses": .array(licenses.map { ["id": .string($0.licenseID), "key": .string($0.key.text)] }),
        ]
    }
}
