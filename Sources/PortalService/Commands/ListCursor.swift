import Foundation
import PortalProtocol

/// The cursors of sorted listings (`license.list`, `ticket.list`), opaque to clients: sort,
/// order, the last item's sort value and id, base64url-encoded. Sort and order are inside so
/// that a cursor cannot be followed with another ordering.
enum ListCursor {
    static func encode(sort: String, order: String, value: String, id: String) -> String {
        Data([sort, order, value, id].joined(separator: "\n").utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    /// The sort value and id of a cursor `encode` made for the same sort and order.
    static func decode(_ text: String, sort: String, order: String) throws -> (value: String, id: String) {
        let base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8) else {
            throw PortalError.badRequest("args.cursor is not a cursor this server gave out")
        }
        let fields = decoded.split(separator: "\n", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4 else { throw PortalError.badRequest("args.cursor is not a cursor this server gave out") }
        guard fields[0] == sort, fields[1] == order else {
            throw PortalError.badRequest("args.cursor belongs to a listing sorted by \(fields[0]) \(fields[1]); keep sort and order when paging")
        }
        return (fields[2], fields[3])
    }
}
