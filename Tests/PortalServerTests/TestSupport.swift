@testable import PortalServer
import Testing

/// Loads a configuration, recording an issue and returning the defaults when it is refused.
func loadConfiguration(
    flags: [String: String] = [:], environment: [String: String] = [:], file: String? = nil
) -> ServerConfiguration {
    do {
        return try ConfigurationLoader.load(flags: flags, environment: environment, file: file)
    } catch {
        Issue.record("configuration refused: \(error)")
        return ServerConfiguration()
    }
}

/// The error `ConfigurationLoader.load` reports, or `nil` when the configuration is accepted.
func configurationError(
    flags: [String: String] = [:], environment: [String: String] = [:], file: String? = nil
) -> ConfigurationError? {
    do {
        _ = try ConfigurationLoader.load(flags: flags, environment: environment, file: file)
        return nil
    } catch {
        return error
    }
}

/// The error `ConfigurationFile.parse` reports, or `nil` when the text is accepted.
func fileError(_ text: String) -> ConfigurationError? {
    do {
        _ = try ConfigurationFile.parse(text)
        return nil
    } catch {
        return error
    }
}
