extension JSONWriter {
    /// Copies the members of `object`, the JSON text of an object as `JSONValue.serialized()`
    /// wrote it, into the object being written, in their order, leaving out those whose keys
    /// are in `omitted`: no tree of the stored value is built just to write it out again.
    ///
    /// The kept members must fit the object's key order (they come sorted, so any run of them
    /// does). Keys are compared as written, which is how `JSONValue` writes plain keys.
    public mutating func members(of object: String, omitting omitted: [StaticString]) throws {
        var object = object
        try object.withUTF8 { text in
            var scanner = try JSONObjectScanner(text)
            while let member = try scanner.next() {
                let key = UnsafeBufferPointer(rebasing: text[member.key])
                guard !omitted.contains(where: { $0.withUTF8Buffer { $0.elementsEqual(key) } }) else { continue }
                members(UnsafeBufferPointer(rebasing: text[member.text]))
            }
        }
    }
}
