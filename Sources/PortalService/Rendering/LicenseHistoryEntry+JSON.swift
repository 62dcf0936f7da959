import PortalProtocol
import PortalStore

/// How `license.get` shows one change of a license.
extension LicenseHistoryEntry {
    /// What a view does not see of an event's data: the license (it is the one asked for) and
    /// the acting user's id, which may be another company's user or staff. In key order.
    static let hiddenDataMembers: [StaticString] = ["by", "license"]

    /// `{at, data, seq, type}`: the event's stored data copied as it is, but for
    /// `hiddenDataMembers`.
    func write(to json: inout JSONWriter) throws {
        try json.object { json in
            json.member("at", at)
            try json.object("data") { json in try json.members(of: data, omitting: Self.hiddenDataMembers) }
            json.member("seq", seq)
            json.member("type", type)
        }
    }
}
