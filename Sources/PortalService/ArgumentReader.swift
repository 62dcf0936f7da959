import Foundation
import PortalCore
import PortalProtocol

/// Reads a command's `args` with messages that name the argument and say what was expected.
public struct ArgumentReader: Sendable {
    private let values: [String: JSONValue]
    /// How messages name the object read: `args`, or `args.filter` for a nested one.
    private let path: String

    public init(_ values: [String: JSONValue], path: String = "args") {
        self.values = values
        self.path = path
    }

    /// A required, non-empty string, trimmed of surrounding white space, at most `maxLength` characters.
    public func string(_ name: String, maxLength: Int = 1_000) throws -> String {
        guard let value = try optionalString(name, maxLength: maxLength) else {
            throw PortalError.badRequest("\(path).\(name) is required")
        }
        return value
    }

    /// A string when present (null counts as absent); empty after trimming is an error.
    public func optionalString(_ name: String, maxLength: Int = 1_000) throws -> String? {
        switch values[name] ?? .null {
        case .null:
            return nil
        case .string(let raw):
            // Trimming through Foundation costs microseconds a call; most values need none.
            let padded = Self.mayBePadded(raw)
            let value = padded ? raw.trimmingCharacters(in: .whitespacesAndNewlines) : raw
            guard !value.isEmpty else { throw PortalError.badRequest("\(path).\(name) must not be empty") }
            // Counting characters walks grapheme clusters; the byte count bounds it from above.
            guard value.utf8.count <= maxLength || value.count <= maxLength else {
                throw PortalError.badRequest("\(path).\(name) is longer than \(maxLength) characters")
            }
            return value
        case let other:
            throw PortalError.badRequest("\(path).\(name) must be a string, not \(other.typeName)")
        }
    }

    /// Whether `text` may begin or end with white space. Decided from the bytes when the first
    /// and last are ASCII (imports read millions of values), from the characters otherwise.
    private static func mayBePadded(_ text: String) -> Bool {
        guard let first = text.utf8.first, let last = text.utf8.last else { return false }
        func isASCIISpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        guard first < 0x80, last < 0x80 else { return text.first?.isWhitespace == true || text.last?.isWhitespace == true }
        return isASCIISpace(first) || isASCIISpace(last)
    }

    /// An integer when present, within `range`.
    public func optionalInt(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        switch values[name] ?? .null {
        case .null:
            return nil
        case .int(let value) where range.contains(Int(value)):
            return Int(value)
        case .int:
            throw PortalError.badRequest("\(path).\(name) must be between \(range.lowerBound) and \(range.upperBound)")
        case let other:
            throw PortalError.badRequest("\(path).\(name) must be an integer, not \(other.typeName)")
        }
    }

    /// `true` or `false` when present.
    public func optionalBool(_ name: String) throws -> Bool? {
        switch values[name] ?? .null {
        case .null: return nil
        case .bool(let value): return value
        case let other: throw PortalError.badRequest("\(path).\(name) must be true or false, not \(other.typeName)")
        }
    }

    /// A list of strings when present.
    public func optionalStrings(_ name: String) throws -> [String]? {
        switch values[name] ?? .null {
        case .null:
            return nil
        case .array(let elements):
            return try elements.enumerated().map { index, element in
                guard case .string(let value) = element else {
                    throw PortalError.badRequest("\(path).\(name)[\(index)] must be a string, not \(element.typeName)")
                }
                return value
            }
        case let other:
            throw PortalError.badRequest("\(path).\(name) must be an array of strings, not \(other.typeName)")
        }
    }

    /// One of a fixed set of values, given by its raw string.
    public func optionalEnum<Value: RawRepresentable & CaseIterable>(_ name: String, _: Value.Type) throws -> Value?
    where Value.RawValue == String {
        guard let raw = try optionalString(name) else { return nil }
        guard let value = Value(rawValue: raw) else {
            throw PortalError.badRequest(
                "\(path).\(name) must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", ")), not '\(raw)'")
        }
        return value
    }

    /// One string or an array of strings, when present; `[]` when absent.
    public func stringOrStrings(_ name: String) throws -> [String] {
        if case .string(let single)? = values[name] { return [single] }
        return try optionalStrings(name) ?? []
    }

    /// The most values a list filter takes, each of at most `maxFilterValueLength` characters:
    /// every value is bound in the query, and SQLite takes a bounded number of them.
    public static let maxFilterValues = 100
    public static let maxFilterValueLength = 100

    /// `stringOrStrings` for a filter: at most `maxFilterValues` values of at most
    /// `maxFilterValueLength` characters, else `bad_request`.
    public func filterValues(_ name: String) throws -> [String] {
        let values = try stringOrStrings(name)
        guard values.count <= Self.maxFilterValues else {
            throw PortalError.badRequest("\(path).\(name) takes at most \(Self.maxFilterValues) values, not \(values.count)")
        }
        guard values.allSatisfy({ $0.utf8.count <= Self.maxFilterValueLength || $0.count <= Self.maxFilterValueLength }) else {
            throw PortalError.badRequest("\(path).\(name) takes values of at most \(Self.maxFilterValueLength) characters")
        }
        return values
    }

    /// One value or an array of values of a fixed set, each given by its raw string.
    public func enumSet<Value: RawRepresentable & CaseIterable & Hashable>(_ name: String, _: Value.Type) throws -> Set<Value>
    where Value.RawValue == String {
        Set(try stringOrStrings(name).map { raw in
            guard let value = Value(rawValue: raw) else {
                throw PortalError.badRequest(
                    "\(path).\(name) must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", ")), not '\(raw)'")
            }
            return value
        })
    }

    /// An RFC 3339 timestamp, when present.
    public func optionalTimestamp(_ name: String) throws -> Date? {
        guard let text = try optionalString(name, maxLength: 40) else { return nil }
        guard let date = RFC3339.date(from: text) else {
            throw PortalError.badRequest("\(path).\(name) must be an RFC 3339 timestamp such as 2026-11-29T00:00:00Z")
        }
        return date
    }

    /// Whether the argument is given at all (null included), for arguments where null means "remove".
    public func has(_ name: String) -> Bool { values[name] != nil }

    /// A nested object when present and not null, read with its own path in messages.
    public func optionalObject(_ name: String) throws -> ArgumentReader? {
        switch values[name] ?? .null {
        case .null: return nil
        case .object(let members): return ArgumentReader(members, path: "\(path).\(name)")
        case let other: throw PortalError.badRequest("\(path).\(name) must be an object, not \(other.typeName)")
        }
    }
}
