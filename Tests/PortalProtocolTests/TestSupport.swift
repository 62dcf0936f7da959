import Testing
import PortalProtocol

/// The UTF-8 bytes of `text`, as the wire carries them.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// The text of `bytes`, for comparing wire output with a readable literal.
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// The error `JSONParser` reports for `input`, or `nil` when it parses.
func parseFailure(_ input: [UInt8], maxDepth: Int = 64) -> JSONParser.Failure? {
    do {
        _ = try JSONParser.parse(input, maxDepth: maxDepth)
        return nil
    } catch {
        return error
    }
}

func parseFailure(_ input: String, maxDepth: Int = 64) -> JSONParser.Failure? {
    parseFailure(bytes(input), maxDepth: maxDepth)
}

/// `depth` objects nested inside each other: `{"a":{"a":…{}…}}`; the outermost is depth 1.
func nestedObjects(depth: Int) -> String {
    String(repeating: #"{"a":"#, count: depth - 1) + "{}" + String(repeating: "}", count: depth - 1)
}

/// `depth` arrays nested inside each other: `[[…[]…]]`.
func nestedArrays(depth: Int) -> String {
    String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
}

/// Decodes `payload` with `limits`, or records an issue and returns `[]` when the frame is refused.
func decodeLines(_ payload: String, limits: ProtocolLimits = ProtocolLimits()) -> [DecodedLine] {
    switch RequestFrameDecoder(limits: limits).decode(bytes(payload)) {
    case .success(let lines): return lines
    case .failure(let error):
        Issue.record("frame refused: \(error)")
        return []
    }
}

/// Decodes a frame of one line and returns that line's outcome.
func decodeLine(_ line: String, limits: ProtocolLimits = ProtocolLimits()) -> DecodedLine? {
    let lines = decodeLines(line, limits: limits)
    #expect(lines.count == 1)
    return lines.first
}

extension DecodedLine {
    var request: Request? {
        if case .request(let request) = self { return request }
        return nil
    }

    var error: PortalError? {
        if case .rejected(_, let error) = self { return error }
        return nil
    }
}

/// `ProtocolLimits` with some values changed.
func limits(frameBytes: Int? = nil, lines: Int? = nil, depth: Int? = nil) -> ProtocolLimits {
    var limits = ProtocolLimits()
    if let frameBytes { limits.maxFrameBytes = frameBytes }
    if let lines { limits.maxLinesPerFrame = lines }
    if let depth { limits.maxDepth = depth }
    return limits
}
