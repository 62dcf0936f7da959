import ArgumentParser
import CommandLineSupport
import Foundation
import ZeroMQ

/// `portalctl subscribe`: prints the published events, each once and in order, filling the gaps
/// of the live stream from the server's event log.
struct Subscribe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print each published event as one JSON line, each once and in seq order.",
        discussion: """
            Subscribes to the event endpoint (to every event whose topic starts with one of the \
            --topic prefixes, all events when none is given, and to the heartbeat), then asks the \
            command endpoint with events.since for what the live stream misses: the events from \
            --from on, events the event socket dropped, and those published while the server \
            restarted. Without --from, printing starts with the next event committed.

            Events are printed as received, one JSON line each, in increasing seq. A single \
            topic of the form event/<type>/ or event/<type>/<company>/ is also used as the replay \
            filter; other topics are replayed whole and filtered here.

            Replaying needs a session: --auth, or --email and --password to log in (and to log \
            in again when the session expires). Without either, only live events are printed and \
            lost ones are reported when they can be noticed. A request unanswered within \
            --timeout is sent again, as long as it takes.

            Exit status: 0 after --count events; 2 when the events from --from on are no longer \
            kept (the message names the oldest one available), or on any other failure.

            Example: portalctl subscribe --email service@demo.example --password portal-demo \
            --from 1 --topic event/license.status/
            """
    )

    @Option(help: ArgumentHelp("Event endpoint (env: PORTAL_EVENT_ENDPOINT).", valueName: "endpoint"))
    var endpoint: String?

    @Option(help: ArgumentHelp("Command endpoint, for replays (env: PORTAL_COMMAND_ENDPOINT).", valueName: "endpoint"))
    var commandEndpoint: String?

    @Option(name: .customLong("topic"), help: ArgumentHelp("Topic prefix to receive; repeat for several.", valueName: "prefix"))
    var topics: [String] = []

    @Option(help: ArgumentHelp("Print the events from this seq on (default: from now).", valueName: "seq"))
    var from: Int64?

    @Option(help: ArgumentHelp("Exit after printing this many events.", valueName: "n"))
    var count: Int?

    @Option(help: ArgumentHelp("Log in as this user (env: PORTAL_EMAIL).", valueName: "email"))
    var email: String?

    @Option(help: ArgumentHelp("The user's password (env: PORTAL_PASSWORD).", valueName: "password"))
    var password: String?

    @Option(help: ArgumentHelp("Session token to replay with (env: PORTAL_AUTH).", valueName: "token"))
    var auth: String?

    @Option(help: ArgumentHelp("Seconds to wait for each replay reply before asking again.", valueName: "seconds"))
    var timeout: Double = 5

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        if let from, from < 1 { throw ValidationError("--from must be at least 1") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let email = email ?? environment["PORTAL_EMAIL"]
        let password = password ?? environment["PORTAL_PASSWORD"]
        let token = auth ?? environment["PORTAL_AUTH"]
        guard (email == nil) == (password == nil) else {
            throw ValidationError("--email and --password go together")
        }
        let credentials = email.flatMap { email in password.map { ReplayClient.Credentials(email: email, password: $0) } }

        let context = try ZMQContext()
        let replay: ReplayClient? =
            if token != nil || credentials != nil {
                try ReplayClient(
                    context: context,
                    endpoint: CommandEndpoint.resolve(commandEndpoint),
                    timeout: timeout, token: token, credentials: credentials)
            } else {
                nil
            }
        var session = try SubscribeSession(
            context: context, endpoint: endpoint ?? environment["PORTAL_EVENT_ENDPOINT"] ?? "tcp://127.0.0.1:5556",
            topics: topics, replay: replay, count: count)
        try session.run(from: from)
    }
}
