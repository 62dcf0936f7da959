import Foundation

/// Builds a reply frame: one reply line per request line, each ended by `\n`.
public struct ReplyFrameWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// Appends `{"id":…,"ok":true,"result":…}`. A result that cannot be encoded becomes an
    /// `internal` error line instead, so one bad result never breaks the rest of the frame.
    public mutating func appendSuccess(id: JSONValue, result: any Encodable) {
        let encoded: [UInt8]
        if let value = result as? JSONValue {
            encoded = value.serialized()
        } else {
            do {
                encoded = Array(try Self.encoder.encode(result))
            } catch {
                appendFailure(id: id, error: PortalError(.internal, "the result could not be encoded"))
                return
            }
        }
        appendPrefix(id: id)
        bytes.append(contentsOf: #","ok":true,"result":"#.utf8)
        bytes.append(contentsOf: encoded)
        bytes.append(contentsOf: "}\n".utf8)
    }

    /// Appends `{"id":…,"ok":false,"error":{"code":…,"message":…,"details":…}}`.
    public mutating func appendFailure(id: JSONValue, error: PortalError) {
        appendPrefix(id: id)
        bytes.append(contentsOf: #","ok":false,"error":"#.utf8)
        error.json.write(to: &bytes)
        bytes.append(contentsOf: "}\n".utf8)
    }

    private mutating func appendPrefix(id: JSONValue) {
        bytes.append(contentsOf: #"{"id":"#.utf8)
        id.write(to: &bytes)
    }

    /// Encodes `Codable` results the way the protocol wants them: compact, dates as RFC 3339 UTC,
    /// slashes unescaped, keys sorted (so documented examples compare byte for byte).
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
}
