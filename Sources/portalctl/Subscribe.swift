import CommandLineSupport
import ArgumentParser
import Foundation
import ZeroMQ

/// `portalctl subscribe`: prints the events published on the event socket.
struct Subscribe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print each published event as one JSON line.",
        discussion: """
            Connects a SUB socket to the event endpoint and prints the JSON of every event whose \
            topic starts with one of the --topic prefixes (all events when none is given).
            """
    )

    @Option(help: ArgumentHelp("Event endpoint (env: PORTAL_EVENT_ENDPOINT).", valueName: "endpoint"))
    var endpoint: String?

    @Option(name: .customLong("topic"), help: ArgumentHelp("Topic prefix to receive; repeat for several.", valueName: "prefix"))
    var topics: [String] = []

    @Option(help: ArgumentHelp("Exit after printing this many events.", valueName: "n"))
    var count: Int?

    func run() throws {
        let endpoint = endpoint ?? ProcessInfo.processInfo.environment["PORTAL_EVENT_ENDPOINT"] ?? "tcp://127.0.0.1:5556"
        let context = try ZMQContext()
        let socket = try ZMQSocket(context: context, type: .sub)
        try socket.setLinger(milliseconds: 0)
        for topic in topics.isEmpty ? [""] : topics { try socket.subscribe(Array(topic.utf8)) }
        do {
            try socket.connect(endpoint)
        } catch {
            throw CommandFailure(status: 2, "\(error)")
        }
        var printed = 0
        while count.map({ printed < $0 }) ?? true, let frames = try socket.receive() {
            // Events are [topic, event JSON]; the topic is already in the JSON.
            guard let event = frames.last else { continue }
            FileHandle.standardOutput.write(Data(event + [UInt8(ascii: "\n")]))
            printed += 1
        }
    }
}
