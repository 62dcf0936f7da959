import Foundation

/// The subscription key handed out with an activation: a key in the license key's format whose
/// first eight characters carry the runtime end and the service end, as days since 2000-01-01
/// (20 bits each; all ones for none), so installed software can read both without the
/// certificate. The rest is derived from the activation key, so each activation has its own. It
/// proves nothing on its own: the signed certificate does.
public enum SubscriptionKey {
    static let epoch = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01T00:00:00Z
    static let none = (1 << 20) - 1

    public static func make(runtimeEnd: Date?, serviceEnd: Date?, activationKey: LicenseKey) -> LicenseKey {
        var data = characters(of: days(runtimeEnd)) + characters(of: days(serviceEnd))
        // The activation key's own characters (without dashes and check digit) fill the rest.
        let tail = activationKey.text.utf8.filter { $0 != UInt8(ascii: "-") }.compactMap(LicenseKey.value(of:))
        data += tail.prefix(LicenseKey.dataLength - data.count)
        return LicenseKey(data: data)
    }

    /// The runtime end and service end a subscription key carries (nil: none), to the day.
    public static func read(_ key: LicenseKey) -> (runtimeEnd: Date?, serviceEnd: Date?) {
        let values = key.text.utf8.filter { $0 != UInt8(ascii: "-") }.compactMap(LicenseKey.value(of:))
        func date(_ slice: ArraySlice<Int>) -> Date? {
            let days = slice.reduce(0) { $0 << 5 | $1 }
            return days == none ? nil : epoch.addingTimeInterval(TimeInterval(days) * 86_400)
        }
        return (date(values[0..<4]), date(values[4..<8]))
    }

    private static func days(_ date: Date?) -> Int {
        guard let date else { return none }
        return min(none - 1, max(0, Int(date.timeIntervalSince(epoch) / 86_400)))
    }

    /// Four base32 characters, most significant first.
    private static func characters(of value: Int) -> [Int] {
        (0..<4).reversed().map { (value >> ($0 * 5)) & 31 }
    }
}
