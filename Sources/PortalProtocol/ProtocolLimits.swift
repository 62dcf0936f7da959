/// The size limits a server applies to request frames; each is configurable, these are v1's defaults.
public struct ProtocolLimits: Sendable, Equatable {
    /// Largest payload frame accepted; a larger one gets a single `too_large` reply line.
    public var maxFrameBytes = 1 << 20
    /// Most request lines in one payload frame; more get a single `too_large` reply line.
    public var maxLinesPerFrame = 1_000
    /// Deepest nesting of objects and arrays in a request line; deeper is `bad_request`.
    public var maxDepth = 64

    public init() {}
}
