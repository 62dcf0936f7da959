import Foundation

/// This process's memory as the kernel counts it (Linux's `/proc/self/status`): what operators
/// and load tests watch for growth.
struct ProcessMemory: Equatable {
    /// Resident set size now (`VmRSS`).
    var residentBytes: Int64
    /// The largest resident set size since the process started (`VmHWM`, the high-water mark).
    var peakResidentBytes: Int64

    /// The current figures; nil where there is no `/proc` (macOS).
    static func current() -> ProcessMemory? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        return ProcessMemory(status: status)
    }

    /// Reads the `VmRSS:` and `VmHWM:` lines (in kB) of a `/proc/<pid>/status` text.
    init?(status: String) {
        var fields: [Substring: Int64] = [:]
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") || line.hasPrefix("VmHWM:") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 3, parts[2] == "kB", let kibibytes = Int64(parts[1]) else { return nil }
            fields[parts[0]] = kibibytes * 1_024
        }
        guard let resident = fields["VmRSS:"], let peak = fields["VmHWM:"] else { return nil }
        residentBytes = resident
        peakResidentBytes = peak
    }
}
