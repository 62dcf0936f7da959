import Foundation
import Glibc

/// The machine a suite ran on, as BENCHMARKS.md states it: figures mean little without it.
public struct MachineDescription: Sendable {
    public var cores: Int
    public var processor: String
    public var memoryBytes: UInt64
    public var system: String

    public init(cores: Int, processor: String, memoryBytes: UInt64, system: String) {
        self.cores = cores
        self.processor = processor
        self.memoryBytes = memoryBytes
        self.system = system
    }

    /// This machine, from `/proc/cpuinfo`, `/etc/os-release` and `uname`.
    public static func current() -> MachineDescription {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let processor = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown processor"
        let release = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        let name = release.split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") }
            .map { $0.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) } ?? "unknown system"
        var names = utsname()
        uname(&names)
        let kernel = withUnsafeBytes(of: names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return MachineDescription(
            cores: ProcessInfo.processInfo.activeProcessorCount, processor: processor,
            memoryBytes: ProcessInfo.processInfo.physicalMemory, system: "\(name), Linux \(kernel)")
    }

    /// `2 cores (Intel Xeon …), 23.4 GiB memory, Debian GNU/Linux 12, Linux 6.1.0`.
    public var line: String {
        "\(cores) cores (\(processor)), \(BenchFormat.decimal(Double(memoryBytes) / 1_073_741_824, places: 1)) GiB memory, \(system)"
    }
}
