import Foundation

/// Builds a reply frame: one reply line per request line, each ended by `\n`.
public struct ReplyFrameWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {
        // Room for a typical reply line at once: grown from empty, it was copied six times.
        bytes.reserveCapacity(512)
    }

    /// Appends `{"id":…,"ok":true,"result":…}`. A result that cannot be encoded becomes an
    /// `internal` error line instead, so one bad result never breaks the rest of the frame.
    public mutating func appendSuccess(id: JSONValue, result: any Encodable) {
        // JSON the handler wrote, or a tree, goes into the line as it is written, not first
        // into an array of its own.
        if let text = result as? JSONText { return appendSuccess(id: id, encodedResult: text.bytes) }
        if let value = result as? JSONValue {
            appendPrefix(id: id)
            bytes.append(contentsOf: Self.successInfix)
            value.write(to: &bytes)
            bytes.append(contentsOf: Self.lineEnd)
            return
        }
        let encoded: [UInt8]
        do {
            encoded = try Self.encodedResult(result)
        } catch {
            appendFailure(id: id, error: PortalError(.internal, "the result could not be encoded"))
            return
        }
        appendSuccess(id: id, encodedResult: encoded)
    }

    /// Appends a success line whose result is JSON text already (a reply kept for retries).
    public mutating func appendSuccess(id: JSONValue, encodedResult: [UInt8]) {
        appendPrefix(id: id)
        bytes.append(contentsOf: Self.successInfix)
        bytes.append(contentsOf: encodedResult)
        bytes.append(contentsOf: Self.lineEnd)
    }

    /// A result's JSON text, exactly as a success line carries it.
    public static func encodedResult(_ result: any Encodable) throws -> [UInt8] {
        if let text = result as? JSONText { return text.bytes }
        if let value = result as? JSONValue { return value.serialized() }
        return Array(try encoder.encode(result))
    }

    /// Appends `{"id":…,"ok":false,"error":{"code":…,"message":…,"details":…}}`.
    public mutating func appendFailure(id: JSONValue, error: PortalError) {
        appendPrefix(id: id)
        bytes.append(contentsOf: Self.failureInfix)
        error.json.write(to: &bytes)
        bytes.append(contentsOf: Self.lineEnd)
    }

    /// Appends a failure line whose error is JSON text already (`PortalError.json`, serialized
    /// once for many lines).
    public mutating func appendFailure(id: JSONValue, encodedError: [UInt8]) {
        appendPrefix(id: id)
        bytes.append(contentsOf: Self.failureInfix)
        bytes.append(contentsOf: encodedError)
        bytes.append(contentsOf: Self.lineEnd)
    }

    private static let successInfix = Array(#","ok":true,"result":"#.utf8)
    private static let failureInfix = Array(#","ok":false,"error":"#.utf8)
    private static let lineEnd = Array("}\n".utf8)

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
