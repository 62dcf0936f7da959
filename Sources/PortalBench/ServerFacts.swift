import Foundation
import PortalProtocol

/// What `system.info` tells about the server at one moment: its memory and counters. Every
/// member is optional: an older server, or `portalctl echo-server`, tells nothing.
public struct ServerFacts: Sendable, Equatable {
    public var rssBytes: Int64?
    public var rssPeakBytes: Int64?
    public var busyLines: Int64?
    public var undeliverableReplies: Int64?
    public var workers: Int64?

    public init(systemInfo result: JSONValue) {
        rssBytes = result["rss_bytes"]?.intValue
        rssPeakBytes = result["rss_peak_bytes"]?.intValue
        busyLines = result["stats"]?["busy_lines"]?.intValue
        undeliverableReplies = result["stats"]?["undeliverable_replies"]?.intValue
        workers = result["workers"]?.intValue
    }

    /// The server's facts, asked until it answers or `patienceSeconds` pass: right after an
    /// overload it may answer `busy`, or nothing for a while, until its backlog drains. All
    /// unknown when it never answers (it has crashed) or answers with an error (not a portald).
    public static func ask(_ client: BlockingClient, patienceSeconds: Double = 60) -> ServerFacts {
        let deadline = ContinuousClock.now + .milliseconds(Int64(patienceSeconds * 1_000))
        while true {
            do {
                return ServerFacts(systemInfo: try client.call("system.info"))
            } catch let failure as BlockingClient.Failure where failure.code == nil || failure.code == "busy" {
                guard ContinuousClock.now < deadline else { return ServerFacts(systemInfo: [:]) }
                Thread.sleep(forTimeInterval: 0.2)
            } catch {
                return ServerFacts(systemInfo: [:])
            }
        }
    }

    var json: JSONValue {
        var members: [String: JSONValue] = [:]
        members["rss_bytes"] = rssBytes.map(JSONValue.int)
        members["rss_peak_bytes"] = rssPeakBytes.map(JSONValue.int)
        members["busy_lines"] = busyLines.map(JSONValue.int)
        members["undeliverable_replies"] = undeliverableReplies.map(JSONValue.int)
        members["workers"] = workers.map(JSONValue.int)
        return .object(members)
    }
}
