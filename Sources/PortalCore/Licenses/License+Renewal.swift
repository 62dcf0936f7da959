import Foundation

extension License {
    /// The service level a renewal gives a license that had no Update & Support.
    public static let renewalServiceLevel = "Standard"

    /// The license after a renewal of `years` ordered at `now`.
    ///
    /// A renewal continues from the previous end date, whether that is ahead (renewing early
    /// loses nothing) or behind (a late renewal is back-dated, and may still end in the past).
    /// The service always extends; a license without one gets one from `now`, at the standard
    /// level. The runtime extends for ALM licenses only: perpetual stays perpetual, and trial,
    /// free and service-provider runtimes follow their own rules.
    public func renewed(years: Int, at now: Date) -> License {
        var renewed = self
        if model == .alm, let runtimeEnd {
            renewed.runtimeEnd = Self.adding(years: years, to: runtimeEnd)
        }
        if var service {
            service.end = Self.adding(years: years, to: service.end)
            renewed.service = service
        } else {
            let start = Date(unixSeconds: now.unixSeconds)
            renewed.service = Service(level: Self.renewalServiceLevel, start: start, end: Self.adding(years: years, to: start))
        }
        return renewed
    }

    /// Calendar years in UTC: the same day and time, 29 February becoming 28 February.
    static func adding(years: Int, to date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(byAdding: .year, value: years, to: date) ?? date.addingTimeInterval(Double(years) * 365 * 86_400)
    }
}
