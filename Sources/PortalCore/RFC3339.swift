import Foundation

/// Timestamps as the protocol writes them: RFC 3339, UTC, whole seconds (`2026-11-29T08:15:00Z`).
public enum RFC3339 {
    public static func string(from date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    public static func date(from string: String) -> Date? {
        try? Date.ISO8601FormatStyle().parse(string)
    }
}
