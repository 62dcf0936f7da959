/// How a license is sold and how long it runs.
public enum LicenseModel: String, Sendable, CaseIterable, Codable {
    /// Bought once, runs forever; updates while Update & Support runs.
    case perpetual
    /// Annual License Model: runs a year from purchase, activated within a 30-day test phase;
    /// each renewal adds a year and includes update rights.
    case alm
    /// Held under a service-provider contract, billed for the keys held.
    case serviceProvider = "service_provider"
    /// Runs 30 days.
    case trial
    /// Retrieved free under ALM or the provider model, linked to its parent, ends with it.
    case free
}
