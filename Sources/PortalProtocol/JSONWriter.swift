/// Compact JSON text written member by member, without building a `JSONValue` first.
///
/// For replies on the hot path: a tree costs a dictionary per object (hashing every key), a sort
/// of the keys when it is serialized and the release of every node afterwards. The writer leaves
/// the order to its caller, who must give each object's members in ascending key order, as
/// `JSONValue.serialized()` sorts them, so that both write the same bytes for the same value
/// (debug builds check the order). Strings and numbers are written by `JSONValue`'s own code.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// Whether the next member or element follows another in the same object or array.
    private var needsComma = false
    #if DEBUG
    /// The last key of the object being written, to check that keys ascend.
    private var lastKey: [UInt8]?
    #endif

    /// `capacity`: the bytes expected, so that a long reply is not grown (copied) step by step.
    public init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    /// An object as a value (top level or array element); `body` writes its members.
    public mutating func object(_ body: (inout JSONWriter) throws -> Void) rethrows {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        #if DEBUG
        let outerKey = lastKey
        lastKey = nil
        defer { lastKey = outerKey }
        #endif
        try body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// An array as a value; `body` writes its elements.
    public mutating func array(_ body: (inout JSONWriter) throws -> Void) rethrows {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        try body(&self)
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// The member `name` of the object being written, its value to follow. `name` needs no
    /// escaping (a literal key of the protocol).
    public mutating func key(_ name: StaticString) {
        name.withUTF8Buffer { name in
            checkOrder(of: name)
            separate()
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: name)
        }
        // Byte by byte: appending a sequence, even of two bytes, costs some 90 instructions.
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// The member `name`, for keys that are data (escaped as any string).
    public mutating func key(_ name: String) {
        var name = name
        name.withUTF8 { checkOrder(of: $0) }
        separate()
        JSONValue.writeString(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ value: String) {
        separated { JSONValue.writeString(value, to: &$0) }
    }

    /// A string value whose text `write` appends, and that needs no escaping (the caller knows,
    /// as for timestamps): written without making a String of it and without scanning it.
    public mutating func string(unescaped write: (inout [UInt8]) -> Void) {
        separated { bytes in
            bytes.append(UInt8(ascii: "\""))
            write(&bytes)
            bytes.append(UInt8(ascii: "\""))
        }
    }

    public mutating func int(_ value: Int64) {
        separated { JSONValue.writeInteger(value, to: &$0) }
    }

    public mutating func null() {
        separated { $0.append(contentsOf: "null".utf8) }
    }

    /// A value that is a tree already, serialized as `JSONValue.serialized()` does.
    public mutating func value(_ value: JSONValue) {
        separated { value.write(to: &$0) }
    }

    /// Members written already, `"key":value,…` (a part of another object's text), in the
    /// object being written. They are not checked: the caller knows that their keys ascend
    /// and fit among the others.
    mutating func members(_ text: UnsafeBufferPointer<UInt8>) {
        guard !text.isEmpty else { return }
        separated { $0.append(contentsOf: text) }
    }

    /// What follows a comma when it is not the first: a value that holds no others, or a run of
    /// members; `write` appends its text.
    private mutating func separated(_ write: (inout [UInt8]) -> Void) {
        separate()
        write(&bytes)
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// Debug builds stop at a key that does not come after the previous one: its object would
    /// differ from `JSONValue`'s serialization of the same value.
    private mutating func checkOrder(of key: UnsafeBufferPointer<UInt8>) {
        #if DEBUG
        if let lastKey {
            precondition(lastKey.lexicographicallyPrecedes(key), "JSON keys out of order: \(String(decoding: key, as: UTF8.self))")
        }
        lastKey = Array(key)
        #endif
    }
}

extension JSONWriter {
    public mutating func member(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    /// `null` for `nil`.
    public mutating func member(_ name: StaticString, _ value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }

    public mutating func member(_ name: StaticString, _ value: Int64) {
        key(name)
        int(value)
    }

    public mutating func member(_ name: StaticString, _ value: Int) {
        key(name)
        int(Int64(value))
    }

    public mutating func member(_ name: StaticString, _ value: JSONValue) {
        key(name)
        self.value(value)
    }

    /// The member `name` whose value is an object; `body` writes its members.
    public mutating func object(_ name: StaticString, _ body: (inout JSONWriter) throws -> Void) rethrows {
        key(name)
        try object(body)
    }

    /// The member `name` whose value is an array; `body` writes its elements.
    public mutating func array(_ name: StaticString, _ body: (inout JSONWriter) throws -> Void) rethrows {
        key(name)
        try array(body)
    }
}
