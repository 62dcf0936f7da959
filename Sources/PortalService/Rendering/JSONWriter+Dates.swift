import Foundation
import PortalCore
import PortalProtocol

/// Timestamps as the protocol writes them (`RFC3339`), straight into the reply.
extension JSONWriter {
    mutating func member(_ name: StaticString, _ date: Date) {
        key(name)
        string { RFC3339.write(date, to: &$0) }
    }

    /// `null` for `nil`.
    mutating func member(_ name: StaticString, _ date: Date?) {
        guard let date else { return member(name, nil as String?) }
        member(name, date)
    }
}
