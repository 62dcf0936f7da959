/// A command's result as JSON text already: what a handler returns when it wrote its reply
/// with a `JSONWriter`. `ReplyFrameWriter` copies it into the reply line as it is.
public struct JSONText: Sendable, Encodable {
    public let bytes: [UInt8]

    public init(_ writer: JSONWriter) {
        bytes = writer.bytes
    }

    /// For encoders other than the reply's (which never gets here): the value the text holds.
    public func encode(to encoder: any Encoder) throws {
        try JSONParser.parse(bytes, maxDepth: .max).encode(to: encoder)
    }
}
