import Foundation

/// Finds the `portald` and `portalctl` binaries that the test bundle was built with.
///
/// SwiftPM builds them into the same products folder as the test bundle, because the test target
/// depends on them. `PORTALD_BINARY` / `PORTALCTL_BINARY` point at other builds.
enum TestExecutables {
    static func portald() throws -> URL { try locate("portald", override: "PORTALD_BINARY") }
    static func portalctl() throws -> URL { try locate("portalctl", override: "PORTALCTL_BINARY") }

    private static func locate(_ name: String, override variable: String) throws -> URL {
        if let path = ProcessInfo.processInfo.environment[variable], !path.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw HarnessError("\(variable)=\(path) is not an executable file")
            }
            return URL(fileURLWithPath: path)
        }
        // The test runner is the bundle's executable on Linux (products/X.xctest) and sits inside
        // it on macOS (products/X.xctest/Contents/MacOS/X): look in a few enclosing folders.
        let starts = [CommandLine.arguments.first.map { URL(fileURLWithPath: $0) }, Bundle.main.executableURL]
        var searched: [String] = []
        for start in starts.compactMap({ $0 }) {
            var folder = start.resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = folder.appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                searched.append(folder.path)
                folder.deleteLastPathComponent()
            }
        }
        throw HarnessError("cannot find the \(name) binary (searched \(searched); set \(variable))")
    }
}
