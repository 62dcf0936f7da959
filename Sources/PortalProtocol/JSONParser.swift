/// Parses one JSON text (RFC 8259) from bytes, with a nesting limit.
///
/// Written for request lines rather than taken from Foundation because the wire contract needs
/// what `JSONSerialization` does not give: a configurable depth limit checked before recursing,
/// invalid UTF-8 reported as such, integers kept exact, and error messages that point at a byte.
public struct JSONParser {
    /// Why a text was rejected; `message` names the byte offset where it went wrong.
    public struct Failure: Error, Sendable, Equatable {
        public enum Kind: Sendable, Equatable { case syntax, invalidUTF8, tooDeep }
        public let kind: Kind
        public let message: String
    }

    /// Parses `bytes` as exactly one JSON value surrounded by optional white space.
    public static func parse(_ bytes: ArraySlice<UInt8>, maxDepth: Int) throws(Failure) -> JSONValue {
        try withCursor(on: bytes, maxDepth: maxDepth) { (cursor) throws(Failure) in try cursor.parseValue(depth: 0) }
    }

    /// Parses `bytes` as `parse` does, except that an object at the top is not collected: its
    /// members go to `member` in order, and the result is nil. `member` returns false for a name
    /// it was given before, which fails the parse as the duplicate that `parse` refuses.
    ///
    /// Request lines are read this way: a dictionary for their handful of members, hashed once
    /// to fill and again for every look-up, cost more than the rest of decoding them.
    public static func parse(
        _ bytes: ArraySlice<UInt8>, maxDepth: Int, topLevelMember member: (String, JSONValue) -> Bool
    ) throws(Failure) -> JSONValue? {
        try withCursor(on: bytes, maxDepth: maxDepth) { (cursor) throws(Failure) -> JSONValue? in
            guard cursor.current == UInt8(ascii: "{") else { return try cursor.parseValue(depth: 0) }
            try cursor.parseMembers(depth: 1, member)
            return nil
        }
    }

    /// Runs `parse` on a cursor over `bytes` that must end, but for white space, where it stops.
    private static func withCursor<Result>(
        on bytes: ArraySlice<UInt8>, maxDepth: Int, _ parse: (inout Cursor) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try bytes.withUnsafeBufferPointer { (pointer) throws(Failure) -> Result in
            var cursor = Cursor(bytes: pointer, maxDepth: maxDepth)
            do throws(Failure) {
                cursor.skipWhitespace()
                let result = try parse(&cursor)
                cursor.skipWhitespace()
                guard cursor.position == pointer.count else { throw cursor.syntax("unexpected data after the JSON value") }
                return result
            } catch where error.kind == .syntax {
                // Bytes that are not UTF-8 anywhere in the line are the better explanation.
                if let offset = firstInvalidUTF8Offset(pointer) { throw invalidUTF8(at: offset) }
                throw error
            }
        }
    }

    static func invalidUTF8(at offset: Int) -> Failure {
        Failure(kind: .invalidUTF8, message: "the line is not valid UTF-8 (byte \(offset))")
    }

    /// The offset of the first byte that does not belong to a well-formed UTF-8 sequence.
    public static func firstInvalidUTF8Offset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .error: return offset
            case .emptyInput: return nil
            }
        }
    }

    public static func parse(_ bytes: [UInt8], maxDepth: Int) throws(Failure) -> JSONValue {
        try parse(bytes[...], maxDepth: maxDepth)
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        let maxDepth: Int
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
        }

        func syntax(_ what: String) -> Failure {
            Failure(kind: .syntax, message: "invalid JSON at byte \(position): \(what)")
        }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                position += 1
            }
        }

        mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
            guard let byte = current else { throw syntax("unexpected end of input") }
            switch byte {
            case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
            case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
            case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
            case UInt8(ascii: "n"): try expectLiteral("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
            case 0x80...: throw syntax("unexpected non-ASCII character outside a string")
            default: throw syntax("unexpected character '\(Character(Unicode.Scalar(byte)))'")
            }
        }

        mutating func expectLiteral(_ literal: StaticString) throws(Failure) {
            let count = literal.utf8CodeUnitCount
            let expected = UnsafeBufferPointer(start: literal.utf8Start, count: count)
            guard position + count <= bytes.count, bytes[position..<position + count].elementsEqual(expected)
            else { throw syntax("expected a JSON value (an object, array, string, number, true, false or null)") }
            position += count
        }

        mutating func checkDepth(_ depth: Int) throws(Failure) {
            guard depth <= maxDepth else {
                throw Failure(kind: .tooDeep, message: "invalid JSON at byte \(position): nesting deeper than \(maxDepth) levels")
            }
        }

        mutating func parseObject(depth: Int) throws(Failure) -> JSONValue {
            var members: [String: JSONValue] = [:]
            // Duplicate names are refused: a proxy that reads the first and a server that reads
            // the last would disagree about what the request says.
            try parseMembers(depth: depth) { key, value in
                // Room for an import row's dozen members at once: growing rehashes every member.
                if members.isEmpty { members.reserveCapacity(12) }
                return members.updateValue(value, forKey: key) == nil
            }
            return .object(members)
        }

        /// Parses the object at the cursor, handing each member to `member`, which returns false
        /// for a duplicate name.
        mutating func parseMembers(depth: Int, _ member: (String, JSONValue) -> Bool) throws(Failure) {
            try checkDepth(depth)
            position += 1
            skipWhitespace()
            if current == UInt8(ascii: "}") { position += 1; return }
            while true {
                guard current == UInt8(ascii: "\"") else { throw syntax("expected a member name in double quotes") }
                let keyPosition = position
                let key = try parseString()
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw syntax("expected ':' after a member name") }
                position += 1
                skipWhitespace()
                guard member(key, try parseValue(depth: depth)) else {
                    position = keyPosition
                    throw syntax("duplicate member name \"\(key)\"")
                }
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): position += 1; skipWhitespace()
                case UInt8(ascii: "}"): position += 1; return
                default: throw syntax("expected ',' or '}' in an object")
                }
            }
        }

        mutating func parseArray(depth: Int) throws(Failure) -> JSONValue {
            try checkDepth(depth)
            position += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") { position += 1; return .array(elements) }
            while true {
                elements.append(try parseValue(depth: depth))
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): position += 1; skipWhitespace()
                case UInt8(ascii: "]"): position += 1; return .array(elements)
                default: throw syntax("expected ',' or ']' in an array")
                }
            }
        }

        mutating func parseString() throws(Failure) -> String {
            position += 1
            let start = position
            // Fast path: no escapes, so the raw bytes are the string.
            var allBits: UInt8 = 0
            while let byte = current, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                guard byte >= 0x20 else { throw syntax("unescaped control character in a string") }
                allBits |= byte
                position += 1
            }
            guard let stop = current else { throw syntax("unterminated string") }
            if stop == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<position])
                position += 1
                // ASCII is valid UTF-8: decoding it needs no validation, which costs more than
                // the rest of the parse (it is generic over the encoding).
                return allBits < 0x80 ? String(decoding: raw, as: UTF8.self) : try decodeUTF8(raw, at: start)
            }
            var decoded = Array(bytes[start..<position])
            while true {
                guard let byte = current else { throw syntax("unterminated string") }
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return try decoded.withUnsafeBufferPointer { (raw) throws(Failure) -> String in
                        try decodeUTF8(raw, at: start)
                    }
                case UInt8(ascii: "\\"):
                    try appendEscape(to: &decoded)
                case ..<0x20:
                    position -= 1
                    throw syntax("unescaped control character in a string")
                default:
                    decoded.append(byte)
                }
            }
        }

        func decodeUTF8(_ raw: UnsafeBufferPointer<UInt8>, at start: Int) throws(Failure) -> String {
            guard let string = String(validating: raw, as: UTF8.self) else {
                throw JSONParser.invalidUTF8(at: start + (JSONParser.firstInvalidUTF8Offset(raw) ?? 0))
            }
            return string
        }

        mutating func appendEscape(to decoded: inout [UInt8]) throws(Failure) {
            guard let byte = current else { throw syntax("unterminated escape sequence") }
            position += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(byte)
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard current == UInt8(ascii: "\\"), position + 1 < bytes.count,
                          bytes[position + 1] == UInt8(ascii: "u")
                    else { throw syntax("unpaired UTF-16 surrogate in \\u escape") }
                    position += 2
                    let low = try parseHex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw syntax("unpaired UTF-16 surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw syntax("unpaired UTF-16 surrogate in \\u escape")
                }
                decoded.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
            default:
                position -= 1
                throw syntax("invalid escape sequence")
            }
        }

        mutating func parseHex4() throws(Failure) -> UInt32 {
            guard position + 4 <= bytes.count else { throw syntax("incomplete \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw syntax("invalid hex digit in \\u escape")
                }
                value = value << 4 | UInt32(digit)
                position += 1
            }
            return value
        }

        mutating func parseNumber() throws(Failure) -> JSONValue {
            let start = position
            var isInteger = true
            if current == UInt8(ascii: "-") { position += 1 }
            if current == UInt8(ascii: "0") {
                position += 1
            } else {
                guard skipDigits() > 0 else { throw syntax("invalid number") }
            }
            if current == UInt8(ascii: ".") {
                isInteger = false
                position += 1
                guard skipDigits() > 0 else { throw syntax("expected digits after the decimal point") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                isInteger = false
                position += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                guard skipDigits() > 0 else { throw syntax("expected digits in the exponent") }
            }
            // Up to 18 digits cannot overflow: added up here, without making a String first.
            if isInteger, position - start <= 18 {
                let negative = bytes[start] == UInt8(ascii: "-")
                var value: Int64 = 0
                for byte in bytes[(negative ? start + 1 : start)..<position] { value = value * 10 + Int64(byte - UInt8(ascii: "0")) }
                return .int(negative ? -value : value)
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            if isInteger, let value = Int64(text) { return .int(value) }
            guard let value = Double(text), value.isFinite else {
                position = start
                throw syntax("number out of range")
            }
            return .double(value)
        }

        mutating func skipDigits() -> Int {
            let start = position
            while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { position += 1 }
            return position - start
        }
    }
}
