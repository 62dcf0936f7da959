/// Reads the configuration file: `key = value` lines, `#` comments, blank lines.
///
/// It looks like flat TOML, so editors highlight it. Values may be bare (`workers = 4`,
/// `log_level = info`) or double-quoted (`database = "/var/lib/portal/portal.sqlite"`); quotes
/// only delimit, there are no escape sequences.
enum ConfigurationFile {
    static func parse(_ text: String) throws(ConfigurationError) -> [String: String] {
        var values: [String: String] = [:]
        // Split on any line break: "\r\n" is one Character in Swift, so splitting on "\n" alone
        // would glue a whole file with Windows line endings into one line.
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let lineNumber = index + 1
            let line = stripComment(rawLine).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigurationError(setting: "line \(lineNumber)", message: "expected 'key = value'")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0 == "_" }) else {
                throw ConfigurationError(setting: "line \(lineNumber)", message: "'\(key)' is not a setting name")
            }
            if value.hasPrefix("\"") {
                guard value.count >= 2, value.hasSuffix("\"") else {
                    throw ConfigurationError(setting: key, message: "unterminated quoted value on line \(lineNumber)")
                }
                value = String(value.dropFirst().dropLast())
            }
            guard values[key] == nil else {
                throw ConfigurationError(setting: key, message: "set twice (again on line \(lineNumber))")
            }
            values[key] = value
        }
        return values
    }

    /// The line without a `#` comment; a `#` inside double quotes is part of the value.
    private static func stripComment(_ line: Substring) -> String {
        var inQuotes = false
        for index in line.indices {
            switch line[index] {
            case "\"": inQuotes.toggle()
            case "#" where !inQuotes: return String(line[..<index])
            default: continue
            }
        }
        return String(line)
    }
}
