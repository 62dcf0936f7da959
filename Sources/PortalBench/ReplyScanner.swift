/// Reads what the bench needs from a reply line (its `id`, `ok` and `error.code`) by walking the
/// top-level object and skipping every other value without building it.
///
/// A full parse of each reply would cost the client more CPU than some commands cost the server,
/// and client and server share the machine's cores during a run. A success's result is not even
/// walked: once the scan has the `id` and `ok: true` it stops (the server writes them first), so a
/// `license.list` page costs what its first few bytes cost. The bench measures, it does not
/// validate: a success line only has to end its object.
public enum ReplyScanner {
    /// What one reply line says.
    public struct Reply: Equatable, Sendable {
        /// The `id` as written (`17`, `"a"`, `null`), or nil without one.
        public var rawID: ArraySlice<UInt8>?
        /// `ok` is present and true.
        public var ok: Bool
        /// `error.code` of a failed reply; nil for a success and for a reply without one.
        public var errorCode: String?

        public init(rawID: ArraySlice<UInt8>?, ok: Bool, errorCode: String?) {
            self.rawID = rawID
            self.ok = ok
            self.errorCode = errorCode
        }

        /// `ok`, the error code, or `malformed_reply` for a reply that is neither a success nor
        /// an error with a code.
        public var outcome: String {
            if ok { return BenchTally.ok }
            if let errorCode, !errorCode.isEmpty { return errorCode }
            return BenchTally.malformed
        }

        /// The id as an integer when it is one.
        public var integerID: Int64? { rawID.flatMap(Self.integer) }

        private static func integer(_ bytes: ArraySlice<UInt8>) -> Int64? {
            var value: Int64 = 0
            var negative = false
            var digits = 0
            for (offset, byte) in bytes.enumerated() {
                if offset == 0 && byte == UInt8(ascii: "-") {
                    negative = true
                    continue
                }
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (next, overflow2) = times.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                guard !overflow1 && !overflow2 else { return nil }
                value = next
                digits += 1
            }
            guard digits > 0 else { return nil }
            return negative ? -value : value
        }
    }

    /// The reply's facts, or nil when the line is not a JSON object.
    public static func scan(_ line: ArraySlice<UInt8>) -> Reply? {
        guard line.last(where: { !Cursor.isSpace($0) }) == UInt8(ascii: "}") else { return nil }
        var cursor = Cursor(bytes: line)
        var reply = Reply(rawID: nil, ok: false, errorCode: nil)
        var idSeen = false
        var failed = false
        let scanned = cursor.forEachMember { name, value in
            switch name {
            case "id":
                reply.rawID = value
                idSeen = true
            case "ok":
                reply.ok = value.elementsEqual("true".utf8)
                failed = value.elementsEqual("false".utf8)
            case "error":
                var inner = Cursor(bytes: value)
                if let code = inner.members()?.first(where: { $0.name == "code" })?.value {
                    reply.errorCode = Cursor.stringContent(code)
                }
            default: break
            }
            return !(idSeen && reply.ok)
        }
        guard scanned else { return nil }
        if !failed { reply.errorCode = nil }
        return reply
    }

    /// The raw text of the `id` member of a request line, for servers that only echo it; nil when
    /// the line is not an object or has no `id`.
    public static func rawID(ofRequest line: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        var cursor = Cursor(bytes: line)
        var id: ArraySlice<UInt8>?
        _ = cursor.forEachMember { name, value in
            if name == "id" { id = value }
            return id == nil
        }
        return id
    }

    /// A position in the bytes of one JSON text.
    private struct Cursor {
        let bytes: ArraySlice<UInt8>
        var position: Int

        init(bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            position = bytes.startIndex
        }

        /// The members of the object at the cursor: names decoded (escape-free names only, as
        /// every name this scanner looks for is), values as raw text.
        mutating func members() -> [(name: String, value: ArraySlice<UInt8>)]? {
            var members: [(name: String, value: ArraySlice<UInt8>)] = []
            guard forEachMember({ members.append(($0, $1)); return true }) else { return nil }
            return members
        }

        /// Calls `body` with each member of the object at the cursor until it returns false.
        /// False when the object is malformed up to where the walk ended.
        mutating func forEachMember(_ body: (_ name: String, _ value: ArraySlice<UInt8>) -> Bool) -> Bool {
            skipSpace()
            guard take(UInt8(ascii: "{")) else { return false }
            skipSpace()
            if take(UInt8(ascii: "}")) { return true }
            while true {
                skipSpace()
                let nameStart = position
                guard skipString() else { return false }
                let name = String(decoding: bytes[(nameStart + 1)..<(position - 1)], as: UTF8.self)
                skipSpace()
                guard take(UInt8(ascii: ":")) else { return false }
                skipSpace()
                let valueStart = position
                guard skipValue() else { return false }
                guard body(name, bytes[valueStart..<position]) else { return true }
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                return take(UInt8(ascii: "}"))
            }
        }

        static func isSpace(_ byte: UInt8) -> Bool {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: return true
            default: return false
            }
        }

        /// The content of a JSON string without escapes; nil for anything else.
        static func stringContent(_ value: ArraySlice<UInt8>) -> String? {
            guard value.count >= 2, value.first == UInt8(ascii: "\""), value.last == UInt8(ascii: "\""),
                  !value.contains(UInt8(ascii: "\\"))
            else { return nil }
            return String(decoding: value.dropFirst().dropLast(), as: UTF8.self)
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            guard position < bytes.endIndex, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        private mutating func skipSpace() {
            while position < bytes.endIndex && Self.isSpace(bytes[position]) { position += 1 }
        }

        private mutating func skipString() -> Bool {
            guard take(UInt8(ascii: "\"")) else { return false }
            while position < bytes.endIndex {
                switch bytes[position] {
                case UInt8(ascii: "\\"): position += 2
                case UInt8(ascii: "\""):
                    position += 1
                    return true
                default: position += 1
                }
            }
            return false
        }

        /// Skips one value: a string, a nested object or array (by counting brackets outside
        /// strings), or a bare literal or number.
        private mutating func skipValue() -> Bool {
            guard position < bytes.endIndex else { return false }
            switch bytes[position] {
            case UInt8(ascii: "\""):
                return skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while position < bytes.endIndex {
                    switch bytes[position] {
                    case UInt8(ascii: "\""):
                        guard skipString() else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            position += 1
                            return true
                        }
                    default: break
                    }
                    position += 1
                }
                return false
            default:
                let start = position
                scan: while position < bytes.endIndex {
                    switch bytes[position] {
                    case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D: break scan
                    default: position += 1
                    }
                }
                return position > start
            }
        }
    }
}
