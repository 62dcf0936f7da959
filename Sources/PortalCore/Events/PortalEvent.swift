import Foundation
import PortalProtocol

/// A change worth telling subscribers about, as a handler records it in its store transaction.
///
/// The store numbers it (`seq`) when it is appended, so events carry no number until then; see
/// `json(seq:)` for the form that is published and replayed.
public struct PortalEvent: Sendable, Equatable {
    public var type: EventType
    public var at: Date
    /// The company the event is about.
    public let company: String
    /// Every company entitled to see the event, the event's company among them; sorted.
    public var parties: [String]
    /// The license the event is about, if any: its history in `license.get` is made of these.
    public var licenseID: String?
    /// What changed; the shape depends on `type`.
    public let data: JSONValue
    /// `data` serialized, once, when the event is made: the store writes it twice (the event and
    /// the license history), and an import makes its events on another thread than the one
    /// writing them.
    public let serializedData: [UInt8]

    public init(type: EventType, at: Date, company: String, parties: some Sequence<String> = [], licenseID: String? = nil, data: JSONValue) {
        self.type = type
        self.at = at
        self.company = company
        self.parties = Set(parties).union([company]).sorted()
        self.licenseID = licenseID
        self.data = data
        self.serializedData = data.serialized()
    }

    /// Adds companies entitled to see the event.
    public mutating func addParties(_ more: some Collection<String>) {
        guard !more.isEmpty else { return }
        parties = Set(parties).union(more).sorted()
    }

    /// `json(seq:)` serialized, around `serializedData`. Members in sorted order, as
    /// `JSONValue.serialized()` writes them.
    public func serialized(seq: Int64) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(serializedData.count + 160)
        func member(_ name: String, _ value: JSONValue, first: Bool = false) {
            bytes.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            JSONValue.string(name).write(to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            value.write(to: &bytes)
        }
        member("at", .string(RFC3339.string(from: at)), first: true)
        member("company", .string(company))
        bytes += Array(#","data":"#.utf8)
        bytes += serializedData
        member("parties", .array(parties.map(JSONValue.string)))
        member("seq", .int(seq))
        member("type", .string(type.rawValue))
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// The event as subscribers receive it: `{seq, type, at, company, parties, data}`.
    public func json(seq: Int64) -> JSONValue {
        [
            "seq": .int(seq), "type": .string(type.rawValue), "at": .string(RFC3339.string(from: at)),
            "company": .string(company), "parties": .array(parties.map(JSONValue.string)), "data": data,
        ]
    }
}
