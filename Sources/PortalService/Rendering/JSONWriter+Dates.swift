import Foundation
import PortalCore
import PortalProtocol

/// Timestamps as the protocol writes them (`RFC3339`).
extension JSONWriter {
    mutating func member(_ name: StaticString, _ date: Date) {
        member(name, RFC3339.string(from: date))
    }

    /// `null` for `nil`.
    mutating func member(_ name: StaticString, _ date: Date?) {
        member(name, date.map(RFC3339.string(from:)))
    }
}
