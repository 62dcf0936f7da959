import PortalProtocol

/// Compares an actual reply line with the expected one of a protocol example.
///
/// The rules (protocol/README.md states them too): JSON values must be equal, objects with
/// exactly the same keys and arrays with the same elements in order; integers and other numbers
/// compare by value. These placeholder strings in the expected value stand for what cannot be
/// known in advance:
/// - `"$timestamp"`: any string of RFC 3339 UTC form `YYYY-MM-DDTHH:MM:SSZ`;
/// - `"$string"`: any string;
/// - `"$integer"`: any integer;
/// - `"$number"`: any number.
enum ReplyPattern {
    /// Every difference, each naming where it is (`$.error.code`); empty when the reply matches.
    static func mismatches(expected: JSONValue, actual: JSONValue, at path: String = "$") -> [String] {
        switch (expected, actual) {
        case (.string("$timestamp"), .string(let value)):
            return value.wholeMatch(of: #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/#) != nil
                ? [] : ["\(path): expected a timestamp YYYY-MM-DDTHH:MM:SSZ, got \(actual.text)"]
        case (.string("$string"), .string):
            return []
        case (.string("$integer"), .int):
            return []
        case (.string("$number"), .int), (.string("$number"), .double):
            return []
        case (.string(let placeholder), _) where placeholders.contains(placeholder):
            return ["\(path): expected \(placeholder), got \(actual.text)"]
        case (.object(let expectedMembers), .object(let actualMembers)):
            var differences: [String] = []
            for key in expectedMembers.keys.sorted() {
                if let actualValue = actualMembers[key] {
                    differences += mismatches(expected: expectedMembers[key]!, actual: actualValue, at: "\(path).\(key)")
                } else {
                    differences.append("\(path).\(key): missing (expected \(expectedMembers[key]!.text))")
                }
            }
            for key in actualMembers.keys.sorted() where expectedMembers[key] == nil {
                differences.append("\(path).\(key): unexpected member, value \(actualMembers[key]!.text)")
            }
            return differences
        case (.array(let expectedElements), .array(let actualElements)):
            guard expectedElements.count == actualElements.count else {
                return ["\(path): expected \(expectedElements.count) elements \(expected.text), got \(actualElements.count) \(actual.text)"]
            }
            return zip(expectedElements, actualElements).enumerated().flatMap { index, pair in
                mismatches(expected: pair.0, actual: pair.1, at: "\(path)[\(index)]")
            }
        case (.int(let left), .double(let right)), (.double(let right), .int(let left)):
            return Double(left) == right ? [] : ["\(path): expected \(expected.text), got \(actual.text)"]
        default:
            return expected == actual ? [] : ["\(path): expected \(expected.text), got \(actual.text)"]
        }
    }

    static let placeholders: Set<String> = ["$timestamp", "$string", "$integer", "$number"]
}
