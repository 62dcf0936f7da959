/// A command's result as JSON text already: what a handler returns when it wrote its reply
/// with a `JSONWriter`. `ReplyFrameWriter` copies it into the reply line as it is.
public struct JSONText: Sendable, Encodable {
    public let bytes: [UInt8]

    public init(_ writer: JSONWriter) {
        bytes = writer.bytes
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The same text in an array of its own length, for text kept for long: a writer's array
    /// has room to spare.
    public var compacted: JSONText {
        // Copied from the raw buffer: an array made from its own whole slice shares its storage.
        JSONText(bytes: bytes.withUnsafeBufferPointer { Array($0) })
    }

    /// For encoders other than the reply's (which never gets here): the value the text holds.
    public func encode(to encoder: any Encoder) throws {
        try JSONParser.parse(bytes, maxDepth: .max).encode(to: encoder)
    }
}
