/// The top-level members of an object's JSON text, found without parsing their values.
///
/// It finds where members start and end, and rejects text whose structure is broken, but leaves
/// the values unchecked: for JSON text that the server wrote itself (stored event data), and for
/// finding a request line's id when the line is refused whole (`RequestFrameDecoder.replyID`).
/// Bounds-checked and without recursion, so any bytes a client sends are safe to scan.
struct JSONObjectScanner {
    struct Member {
        /// The key as written, between its quotes (escapes not decoded).
        var key: Range<Int>
        /// The whole member, `"key":value`.
        var text: Range<Int>
    }

    struct Malformed: Error, CustomStringConvertible {
        let offset: Int
        var description: String { "not the JSON text of an object, at byte \(offset)" }
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var finished = false

    init(_ bytes: UnsafeBufferPointer<UInt8>) throws(Malformed) {
        self.bytes = bytes
        skipWhitespace()
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") { try close() }
    }

    /// The next member, or `nil` after the last one.
    mutating func next() throws(Malformed) -> Member? {
        guard !finished else { return nil }
        let start = position
        try skipString()
        let key = start + 1..<position - 1
        skipWhitespace()
        try expect(UInt8(ascii: ":"))
        skipWhitespace()
        try skipValue()
        let member = Member(key: key, text: start..<position)
        skipWhitespace()
        if try peek() == UInt8(ascii: ",") {
            position += 1
            skipWhitespace()
        } else {
            try close()
        }
        return member
    }

    /// The object's closing brace, with nothing but white space after it.
    private mutating func close() throws(Malformed) {
        try expect(UInt8(ascii: "}"))
        skipWhitespace()
        guard position == bytes.count else { throw Malformed(offset: position) }
        finished = true
    }

    private mutating func skipValue() throws(Malformed) {
        switch try peek() {
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipContainer()
        default:
            // A number, true, false or null: up to whatever may follow a value.
            let start = position
            while position < bytes.count, !Self.endsScalar(bytes[position]) { position += 1 }
            guard position > start else { throw Malformed(offset: position) }
        }
    }

    /// An object or array, by counting brackets outside strings.
    private mutating func skipContainer() throws(Malformed) {
        var depth = 0
        repeat {
            switch try peek() {
            case UInt8(ascii: "\""):
                try skipString()
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            default:
                break
            }
            position += 1
        } while depth > 0
    }

    private mutating func skipString() throws(Malformed) {
        try expect(UInt8(ascii: "\""))
        while true {
            switch try peek() {
            case UInt8(ascii: "\""):
                position += 1
                return
            case UInt8(ascii: "\\"):
                position += 2
            default:
                position += 1
            }
        }
    }

    private func peek() throws(Malformed) -> UInt8 {
        guard position < bytes.count else { throw Malformed(offset: position) }
        return bytes[position]
    }

    private mutating func expect(_ byte: UInt8) throws(Malformed) {
        guard try peek() == byte else { throw Malformed(offset: position) }
        position += 1
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, Self.isWhitespace(bytes[position]) { position += 1 }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
    }

    private static func endsScalar(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || isWhitespace(byte)
    }
}
