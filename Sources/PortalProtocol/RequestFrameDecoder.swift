import Foundation

/// Turns a payload frame into request lines, applying the protocol's limits.
///
/// A frame holds newline-separated JSON objects; the final newline is optional and blank lines
/// are skipped. Frame-level limits reject the whole frame (nothing runs); everything wrong with a
/// single line rejects only that line, so its neighbours still run.
public struct RequestFrameDecoder: Sendable {
    public let limits: ProtocolLimits

    public init(limits: ProtocolLimits) {
        self.limits = limits
    }

    /// The frame's request lines, or the `too_large` error that replaces them all.
    public func decode(_ payload: [UInt8]) -> Result<[DecodedLine], PortalError> {
        switch checkedLines(payload) {
        case .success(let lines): .success(lines.map(decodeLine))
        case .failure(let error): .failure(error)
        }
    }

    /// The frame's non-blank lines, or `too_large` when the frame breaks a size or count limit.
    public func checkedLines(_ payload: [UInt8]) -> Result<[ArraySlice<UInt8>], PortalError> {
        if let error = sizeError(payload) { return .failure(error) }
        let lines = Self.lines(in: payload)
        if let error = lineCountError(lines.count) { return .failure(error) }
        return .success(lines)
    }

    /// How many non-blank lines the frame holds, or the `too_large` of `checkedLines`: what the
    /// broker needs to admit a frame, found without splitting it (the broker runs on one thread
    /// for every request, so what it allocates per frame counts).
    public func checkedLineCount(_ payload: [UInt8]) -> Result<Int, PortalError> {
        if let error = sizeError(payload) { return .failure(error) }
        var count = 0
        Self.forEachLine(in: payload) { _ in count += 1 }
        if let error = lineCountError(count) { return .failure(error) }
        return .success(count)
    }

    private func sizeError(_ payload: [UInt8]) -> PortalError? {
        guard payload.count > limits.maxFrameBytes else { return nil }
        return PortalError(
            .tooLarge, "frame of \(payload.count) bytes exceeds the limit of \(limits.maxFrameBytes) bytes",
            details: ["limit_bytes": .int(Int64(limits.maxFrameBytes))])
    }

    private func lineCountError(_ count: Int) -> PortalError? {
        guard count > limits.maxLinesPerFrame else { return nil }
        return PortalError(
            .tooLarge, "frame of \(count) lines exceeds the limit of \(limits.maxLinesPerFrame) lines",
            details: ["limit_lines": .int(Int64(limits.maxLinesPerFrame))])
    }

    /// Splits a payload at `\n` and drops lines that hold only white space.
    public static func lines(in payload: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        forEachLine(in: payload) { lines.append(payload[$0]) }
        return lines
    }

    /// Calls `body` with the range of every line that holds more than white space, in order, in
    /// one pass over the bytes (splitting first and then filtering made two arrays per frame).
    /// Reply frames are lines the same way, so the bench reads them with this too.
    public static func forEachLine(in payload: [UInt8], _ body: (Range<Int>) -> Void) {
        // The broker runs this over every frame on its one thread: memchr finds the line ends a
        // word at a time, and a line is looked at only until its first byte that is not space.
        payload.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            var start = 0
            while start < bytes.count {
                let end = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start)
                    .map { UnsafeRawPointer(base).distance(to: $0) } ?? bytes.count
                var index = start
                while index < end && Self.isBlank(bytes[index]) { index += 1 }
                if index < end { body(start..<end) }
                start = end + 1
            }
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D
    }

    /// The id a reply to `line` echoes, as `decodeLine` finds it, for replies that refuse the
    /// whole line (`busy`). A plain id (an integer, or a string of printable ASCII without
    /// escapes) is read without parsing the rest of the line: under overload the broker refuses
    /// most lines it receives, and parsing each whole cost more than serving it. So a line whose
    /// other members are malformed has its id echoed here, where `decodeLine` would refuse it
    /// with a null id; it is refused either way. Anything else is decoded as usual.
    public func replyID(of line: ArraySlice<UInt8>) -> JSONValue {
        Self.plainID(in: line) ?? decodeLine(line).id
    }

    /// The line's only `id` member when its value is plain; nil for anything else.
    private static func plainID(in line: ArraySlice<UInt8>) -> JSONValue? {
        line.withUnsafeBufferPointer { bytes -> JSONValue? in
            var found: JSONValue?
            do {
                var scanner = try JSONObjectScanner(bytes)
                while let member = try scanner.next() {
                    guard bytes[member.key].elementsEqual("id".utf8) else { continue }
                    guard found == nil, let value = plainValue(bytes[member.key.upperBound + 1..<member.text.upperBound]) else {
                        return nil
                    }
                    found = value
                }
            } catch {
                return nil
            }
            return found
        }
    }

    /// `: 17` or `:"a-1"` (the text after a member's key) as a value; nil unless plain.
    private static func plainValue(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> JSONValue? {
        guard let start = text.firstIndex(where: { $0 != UInt8(ascii: ":") && !isBlank($0) }) else { return nil }
        let value = text[start...]
        if value.first == UInt8(ascii: "\""), value.count >= 2 {
            let content = value.dropFirst().dropLast()
            guard content.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") && $0 != UInt8(ascii: "\"") }) else { return nil }
            return .string(String(decoding: content, as: UTF8.self))
        }
        let digits = value.first == UInt8(ascii: "-") ? value.dropFirst() : value[...]
        // JSON has no leading zeros (and -0 may parse as a double); 18 digits always fit in an Int64.
        guard (1...18).contains(digits.count), digits.allSatisfy({ (0x30...0x39).contains($0) }),
              digits.first != 0x30 || (digits.count == 1 && digits.count == value.count)
        else { return nil }
        return Int64(String(decoding: value, as: UTF8.self)).map(JSONValue.int)
    }

    /// Decodes one line into a request, or the error reply that takes its place.
    public func decodeLine(_ line: ArraySlice<UInt8>) -> DecodedLine {
        var members = RequestMembers()
        let notAnObject: JSONValue?
        do {
            notAnObject = try JSONParser.parse(line, maxDepth: limits.maxDepth) { members.take($0, $1) }
        } catch {
            return .rejected(id: .null, error: .badRequest(error.message))
        }
        if let value = notAnObject {
            return .rejected(id: .null, error: .badRequest("a request line must be a JSON object, not \(value.typeName)"))
        }
        let id = members.id ?? .null
        switch id {
        case .null, .string, .int, .double: break
        default: return .rejected(id: .null, error: .badRequest("id must be a string or a number, not \(id.typeName)"))
        }
        do {
            return .request(try Self.request(id: id, members: members))
        } catch {
            return .rejected(id: id, error: error)
        }
    }

    private static func request(id: JSONValue, members: RequestMembers) throws(PortalError) -> Request {
        switch members.version ?? .null {
        case .null, .int(Request.protocolVersion): break
        case .int(let version):
            throw PortalError(
                .unsupportedVersion, "protocol version \(version) is not supported; this server speaks version 1",
                details: ["supported": [.int(Request.protocolVersion)]])
        case let other:
            throw .badRequest("v must be an integer, not \(other.typeName)")
        }
        guard let command = try optionalString("cmd", members.command), !command.isEmpty else {
            throw .badRequest("cmd is required: the command name, e.g. \"system.ping\"")
        }
        let arguments: [String: JSONValue]
        switch members.arguments ?? .null {
        case .null: arguments = [:]
        case .object(let members): arguments = members
        case let other: throw .badRequest("args must be an object, not \(other.typeName)")
        }
        return Request(
            id: id, command: command,
            auth: try optionalString("auth", members.auth),
            view: try optionalString("view", members.view),
            idempotencyKey: try optionalString("idem", members.idempotencyKey),
            arguments: arguments)
    }

    private static func optionalString(_ name: String, _ value: JSONValue?) throws(PortalError) -> String? {
        switch value ?? .null {
        case .null: return nil
        case .string(let value): return value
        case let other: throw .badRequest("\(name) must be a string, not \(other.typeName)")
        }
    }
}
