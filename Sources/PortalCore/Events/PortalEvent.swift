import Foundation
import PortalProtocol

/// A change worth telling subscribers about, as a handler records it in its store transaction.
///
/// The store numbers it (`seq`) when it is appended, so events carry no number until then; see
/// `json(seq:)` for the form that is published and replayed.
public struct PortalEvent: Sendable, Equatable {
    public var type: EventType
    public let at: Date
    /// The company the event is about.
    public let company: String
    /// Every company entitled to see the event, the event's company among them; sorted.
    public private(set) var parties: [String]
    /// The license the event is about, if any: its history in `license.get` is made of these.
    public var licenseID: String?
    /// What changed; the shape depends on `type`.
    public let data: JSONValue
    /// `data` serialized, once, when the event is made: the store writes it twice (the event and
    /// the license history), and an import makes its events on another thread than the one
    /// writing them.
    public let serializedData: [UInt8]
    /// `serialized(seq:)` up to the number, made with the event (and again when parties are
    /// added) for the same reason: the store's one writing thread only appends number and type.
    private var serializedHead: [UInt8]

    public init(type: EventType, at: Date, company: String, parties: some Sequence<String> = [], licenseID: String? = nil, data: JSONValue) {
        self.type = type
        self.at = at
        self.company = company
        self.parties = Self.sortedUnique(Array(parties) + [company])
        self.licenseID = licenseID
        self.data = data
        self.serializedData = data.serialized()
        serializedHead = []
        serializedHead = head()
    }

    /// Adds companies entitled to see the event.
    public mutating func addParties(_ more: some Collection<String>) {
        guard !more.isEmpty else { return }
        parties = Self.sortedUnique(parties + more)
        serializedHead = head()
    }

    /// The companies sorted, each once. Sorted, not hashed into a set first: events name a few.
    private static func sortedUnique(_ companies: [String]) -> [String] {
        var unique: [String] = []
        unique.reserveCapacity(companies.count)
        for company in companies.sorted() where unique.last != company { unique.append(company) }
        return unique
    }

    /// `json(seq:)` serialized, around `serializedData`. Members in sorted order, as
    /// `JSONValue.serialized()` writes them.
    public func serialized(seq: Int64) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(serializedHead.count + 60)
        write(seq: seq, to: &bytes)
        return bytes
    }

    /// Appends `serialized(seq:)` to `bytes`: the store writes it where it binds it.
    public func write(seq: Int64, to bytes: inout [UInt8]) {
        bytes += serializedHead
        Self.member("seq", .int(seq), to: &bytes)
        Self.member("type", .string(type.rawValue), to: &bytes)
        bytes.append(UInt8(ascii: "}"))
    }

    /// The members before `seq`: `{"at":…,"company":…,"data":…,"parties":[…]`. Written
    /// directly, not as JSON values: an import makes one per license.
    private func head() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(serializedData.count + 256)
        bytes += #"{"at":"#.utf8
        JSONValue.writeString(RFC3339.string(from: at), to: &bytes)
        bytes += #","company":"#.utf8
        JSONValue.writeString(company, to: &bytes)
        bytes += #","data":"#.utf8
        bytes += serializedData
        bytes += #","parties":["#.utf8
        for (index, party) in parties.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONValue.writeString(party, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
        return bytes
    }

    private static func member(_ name: String, _ value: JSONValue, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: ","))
        JSONValue.string(name).write(to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        value.write(to: &bytes)
    }

    /// The event as subscribers receive it: `{seq, type, at, company, parties, data}`.
    public func json(seq: Int64) -> JSONValue {
        [
            "seq": .int(seq), "type": .string(type.rawValue), "at": .string(RFC3339.string(from: at)),
            "company": .string(company), "parties": .array(parties.map(JSONValue.string)), "data": data,
        ]
    }
}
