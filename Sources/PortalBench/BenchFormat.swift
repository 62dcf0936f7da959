import Foundation

/// Numbers as the bench's human output writes them.
public enum BenchFormat {
    /// `10`, `2.5`: whole numbers without a fraction, others with what they need (up to 3 places).
    public static func number(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    public static func decimal(_ value: Double, places: Int) -> String {
        String(format: "%.\(places)f", value)
    }

    /// `1,234,567`.
    public static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return value < 0 ? "-" + text : text
    }

    /// A latency given in nanoseconds: `850 µs`, `1.23 ms`, `2.50 s`.
    public static func latency(_ nanoseconds: Int64) -> String {
        let value = Double(nanoseconds)
        if value < 1e6 { return "\(decimal(value / 1e3, places: value < 1e4 ? 1 : 0)) µs" }
        if value < 1e9 { return "\(decimal(value / 1e6, places: value < 1e7 ? 2 : 1)) ms" }
        return "\(decimal(value / 1e9, places: 2)) s"
    }

    /// `48.2 MiB`.
    public static func mebibytes(_ bytes: Int64) -> String {
        "\(decimal(Double(bytes) / 1_048_576, places: 1)) MiB"
    }
}
