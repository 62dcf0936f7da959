import Foundation
import PortalProtocol

/// Checks JSON values against the schemas in `protocol/`, so that examples and what the server
/// writes are held to the published contract.
///
/// It understands the part of JSON Schema 2020-12 the protocol folder uses, nothing more. A
/// keyword outside that part is an error (`UnsupportedSchema`) wherever it appears in a loaded
/// file, never skipped: a constraint the validator silently ignored would pass everything and
/// prove nothing. References are resolved against the referring file's folder (`$id` is not
/// consulted) and may not leave the protocol folder.
final class JSONSchemaValidator {
    /// One way an instance breaks its schema, at a JSON path such as `$.data.user.status`.
    struct Violation: CustomStringConvertible, Equatable {
        var path: String
        var message: String

        var description: String { "\(path): \(message)" }
    }

    /// The schema uses something this validator cannot check, or refers to what is not there.
    struct UnsupportedSchema: Error, CustomStringConvertible {
        var description: String
    }

    /// Keywords that only document; they constrain nothing.
    static let annotations: Set<String> = [
        "$schema", "$id", "title", "description", "examples", "access", "idempotent", "format", "default", "$comment",
    ]
    /// Keywords that are checked, and `$defs`, which holds schemas for references.
    static let assertions: Set<String> = [
        "type", "const", "enum", "required", "properties", "additionalProperties", "items", "minimum", "maximum",
        "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "oneOf", "anyOf", "allOf", "not",
        "$ref", "$defs",
    ]

    private let folder: URL
    private var documents: [String: JSONValue] = [:]
    private var expressions: [String: NSRegularExpression] = [:]

    init(protocolFolder: URL) {
        folder = protocolFolder.standardizedFileURL
    }

    /// The violations of `instance` against the schema at `reference`: a file in the protocol
    /// folder, optionally with a JSON pointer (`commands/company.get.schema.json#/$defs/result`).
    /// Empty when the instance conforms.
    func validate(_ instance: JSONValue, against reference: String) throws -> [Violation] {
        let (document, schema) = try resolve(reference, from: nil)
        var violations: [Violation] = []
        try check(instance, against: schema, in: document, at: "$", into: &violations)
        return violations
    }

    /// Loads a schema file, refusing it if it uses keywords the validator does not know.
    func load(_ file: String) throws {
        _ = try resolve(file, from: nil)
    }

    // MARK: Documents and references

    /// The file a reference names (relative to the protocol folder when `document` is nil) and
    /// the schema its pointer leads to.
    private func resolve(_ reference: String, from document: URL?) throws -> (URL, JSONValue) {
        let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let file = String(parts[0])
        let pointer = parts.count > 1 ? String(parts[1]) : ""
        let target: URL
        if file.isEmpty, let document {
            target = document
        } else {
            let base = document?.deletingLastPathComponent() ?? folder
            target = base.appendingPathComponent(file).standardizedFileURL
        }
        var schema = try load(target)
        guard pointer.isEmpty || pointer.hasPrefix("/") else {
            throw UnsupportedSchema(description: "\(reference): only JSON pointers are supported after #, not anchors")
        }
        for token in pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            let name = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let next = schema[name] else {
                throw UnsupportedSchema(description: "\(reference): nothing at '\(name)' in \(target.lastPathComponent)")
            }
            schema = next
        }
        return (target, schema)
    }

    private func load(_ url: URL) throws -> JSONValue {
        if let document = documents[url.path] { return document }
        guard url.path.hasPrefix(folder.path + "/") else {
            throw UnsupportedSchema(description: "\(url.path) is outside the protocol folder")
        }
        let document = try JSONParser.parse(Array(try Data(contentsOf: url)), maxDepth: 64)
        try checkKeywords(document, at: String(url.path.dropFirst(folder.path.count + 1)) + "#")
        documents[url.path] = document
        return document
    }

    /// Refuses unknown keywords anywhere in a document, also where no instance happens to reach
    /// (an unused `$defs` entry, an optional member), so that none goes unchecked unnoticed.
    private func checkKeywords(_ schema: JSONValue, at location: String) throws {
        if case .bool = schema { return }
        guard case .object(let members) = schema else {
            throw UnsupportedSchema(description: "\(location): a schema must be an object or a boolean")
        }
        for (keyword, value) in members {
            guard Self.assertions.contains(keyword) || Self.annotations.contains(keyword) else {
                throw UnsupportedSchema(description: "\(location): unsupported keyword '\(keyword)'")
            }
            switch keyword {
            case "properties", "$defs":
                for (name, subschema) in try objectValue(value, keyword, location) {
                    try checkKeywords(subschema, at: "\(location)/\(keyword)/\(name)")
                }
            case "additionalProperties", "items", "not":
                try checkKeywords(value, at: "\(location)/\(keyword)")
            case "oneOf", "anyOf", "allOf":
                for (index, subschema) in try arrayValue(value, keyword, location).enumerated() {
                    try checkKeywords(subschema, at: "\(location)/\(keyword)/\(index)")
                }
            default:
                break
            }
        }
    }

    // MARK: Checking

    private func check(
        _ instance: JSONValue, against schema: JSONValue, in document: URL, at path: String, into violations: inout [Violation]
    ) throws {
        if case .bool(let allowed) = schema {
            if !allowed { violations.append(Violation(path: path, message: "not allowed here")) }
            return
        }
        guard case .object(let keywords) = schema else {
            throw UnsupportedSchema(description: "\(path): the schema is neither an object nor a boolean")
        }
        func fail(_ message: String) { violations.append(Violation(path: path, message: message)) }
        // Sorted, so that the same instance always gets its violations in the same order.
        for (keyword, value) in keywords.sorted(by: { $0.key < $1.key }) {
            switch keyword {
            case "type":
                let names = try value.arrayValue?.map { try stringValue($0, keyword, path) } ?? [try stringValue(value, keyword, path)]
                if try !names.contains(where: { try Self.has(instance, type: $0) }) {
                    fail("expected \(names.joined(separator: " or ")), found \(instance.typeName)")
                }
            case "const":
                if !Self.same(instance, value) { fail("must be \(Self.text(value)), not \(Self.text(instance))") }
            case "enum":
                let allowed = try arrayValue(value, keyword, path)
                if !allowed.contains(where: { Self.same(instance, $0) }) {
                    fail("\(Self.text(instance)) is not one of \(allowed.map(Self.text).joined(separator: ", "))")
                }
            case "required":
                guard let members = instance.objectValue else { break }
                for name in try arrayValue(value, keyword, path) {
                    let name = try stringValue(name, keyword, path)
                    if members[name] == nil { fail("missing required member '\(name)'") }
                }
            case "properties":
                guard let members = instance.objectValue else { break }
                for (name, subschema) in try objectValue(value, keyword, path).sorted(by: { $0.key < $1.key }) {
                    guard let member = members[name] else { continue }
                    try check(member, against: subschema, in: document, at: "\(path).\(name)", into: &violations)
                }
            case "additionalProperties":
                guard let members = instance.objectValue else { break }
                let declared = keywords["properties"]?.objectValue ?? [:]
                for (name, member) in members.sorted(by: { $0.key < $1.key }) where declared[name] == nil {
                    if value == false {
                        violations.append(Violation(path: "\(path).\(name)", message: "unexpected member (not among the schema's properties)"))
                    } else {
                        try check(member, against: value, in: document, at: "\(path).\(name)", into: &violations)
                    }
                }
            case "items":
                guard let elements = instance.arrayValue else { break }
                for (index, element) in elements.enumerated() {
                    try check(element, against: value, in: document, at: "\(path)[\(index)]", into: &violations)
                }
            case "minimum", "maximum":
                guard let number = Self.number(instance) else { break }
                guard let limit = Self.number(value) else { throw unsupported(keyword, path, "must be a number") }
                if keyword == "minimum" ? number < limit : number > limit { fail("\(Self.text(instance)) is \(keyword == "minimum" ? "below the minimum" : "above the maximum") \(Self.text(value))") }
            case "minLength", "maxLength":
                guard let string = instance.stringValue else { break }
                // JSON Schema counts characters as code points.
                let length = string.unicodeScalars.count
                let limit = try intValue(value, keyword, path)
                if keyword == "minLength" ? length < limit : length > limit { fail("\(length) characters, \(keyword) is \(limit)") }
            case "pattern":
                guard let string = instance.stringValue else { break }
                let pattern = try stringValue(value, keyword, path)
                // Unanchored, as JSON Schema specifies: the pattern says where it must match.
                if try expression(pattern).firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) == nil {
                    fail("\(Self.text(instance)) does not match \(pattern)")
                }
            case "minItems", "maxItems":
                guard let elements = instance.arrayValue else { break }
                let limit = try intValue(value, keyword, path)
                if keyword == "minItems" ? elements.count < limit : elements.count > limit { fail("\(elements.count) items, \(keyword) is \(limit)") }
            case "uniqueItems":
                guard value == true, let elements = instance.arrayValue else { break }
                for (index, element) in elements.enumerated() where elements[..<index].contains(where: { Self.same($0, element) }) {
                    fail("item \(index) (\(Self.text(element))) repeats an earlier item")
                }
            case "allOf":
                for subschema in try arrayValue(value, keyword, path) {
                    try check(instance, against: subschema, in: document, at: path, into: &violations)
                }
            case "anyOf", "oneOf":
                var failures: [[Violation]] = []
                for subschema in try arrayValue(value, keyword, path) {
                    var branch: [Violation] = []
                    try check(instance, against: subschema, in: document, at: path, into: &branch)
                    failures.append(branch)
                }
                let matches = failures.filter(\.isEmpty).count
                if matches == 0 {
                    let reasons = failures.enumerated().map { "alternative \($0.offset + 1): \($0.element.map(\.description).joined(separator: ", "))" }
                    fail("matches none of the \(keyword) alternatives (\(reasons.joined(separator: "; ")))")
                } else if keyword == "oneOf" && matches > 1 {
                    fail("matches \(matches) of the oneOf alternatives, exactly one allowed")
                }
            case "not":
                var matches: [Violation] = []
                try check(instance, against: value, in: document, at: path, into: &matches)
                if matches.isEmpty { fail("matches the schema under 'not'") }
            case "$ref":
                let (target, subschema) = try resolve(try stringValue(value, keyword, path), from: document)
                try check(instance, against: subschema, in: target, at: path, into: &violations)
            case "$defs":
                break  // reached through $ref only
            default:
                // Loading refused every other keyword already; this guards schemas built in code.
                guard Self.annotations.contains(keyword) else { throw unsupported(keyword, path, "is not supported") }
            }
        }
    }

    private func expression(_ pattern: String) throws -> NSRegularExpression {
        if let cached = expressions[pattern] { return cached }
        let compiled = try NSRegularExpression(pattern: pattern)
        expressions[pattern] = compiled
        return compiled
    }

    // MARK: JSON helpers

    private static func has(_ value: JSONValue, type name: String) throws -> Bool {
        switch name {
        case "null": return value.isNull
        case "boolean": return value.boolValue != nil
        case "string": return value.stringValue != nil
        case "array": return value.arrayValue != nil
        case "object": return value.objectValue != nil
        // The parser keeps integers apart from other numbers, but 1.0 is an integer to JSON Schema.
        case "number": return number(value) != nil
        case "integer": return number(value).map { $0 == $0.rounded() } ?? false
        default: throw UnsupportedSchema(description: "unknown type '\(name)'")
        }
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let integer): Double(integer)
        case .double(let double): double
        default: nil
        }
    }

    /// Equality as JSON Schema means it: 1 and 1.0 are the same number.
    private static func same(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.int, .double), (.double, .int):
            return number(lhs) == number(rhs)
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { same($0, $1) }
        case (.object(let left), .object(let right)):
            return left.count == right.count && left.allSatisfy { name, value in right[name].map { same(value, $0) } ?? false }
        default:
            return lhs == rhs
        }
    }

    private static func text(_ value: JSONValue) -> String {
        String(decoding: value.serialized(), as: UTF8.self)
    }

    private func unsupported(_ keyword: String, _ path: String, _ problem: String) -> UnsupportedSchema {
        UnsupportedSchema(description: "\(path): '\(keyword)' \(problem)")
    }

    private func stringValue(_ value: JSONValue, _ keyword: String, _ path: String) throws -> String {
        guard let string = value.stringValue else { throw unsupported(keyword, path, "must be a string") }
        return string
    }

    private func intValue(_ value: JSONValue, _ keyword: String, _ path: String) throws -> Int {
        guard let integer = value.intValue else { throw unsupported(keyword, path, "must be an integer") }
        return Int(integer)
    }

    private func arrayValue(_ value: JSONValue, _ keyword: String, _ path: String) throws -> [JSONValue] {
        guard let array = value.arrayValue else { throw unsupported(keyword, path, "must be an array") }
        return array
    }

    private func objectValue(_ value: JSONValue, _ keyword: String, _ path: String) throws -> [String: JSONValue] {
        guard let object = value.objectValue else { throw unsupported(keyword, path, "must be an object") }
        return object
    }
}
