import ArgumentParser
import CommandLineSupport
import Foundation
import Glibc
import PortalBench
import ZeroMQ

/// `portalctl echo-server`: the transport's ceiling for `portalctl bench`.
struct EchoServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo-server",
        abstract: "Answer every request line with an empty success: the transport's ceiling for benchmarks.",
        discussion: """
            Binds a ZeroMQ ROUTER and answers each request line with {"id":…,"ok":true,"result":{}} \
            (the id echoed as sent), one reply frame per request frame, on one thread, as \
            portald's broker would without decoding or executing anything. A bench of the ping \
            scenario against it, at the same connections and window as against portald, tells \
            what fraction of the transport's ceiling the real server reaches.

            Prints one line, "echo-server listening on ENDPOINT", once bound (a port of * is \
            resolved), then runs until it is killed (SIGINT, SIGTERM).

            Example: portalctl echo-server --endpoint 'tcp://127.0.0.1:*'
            """
    )

    @Option(help: ArgumentHelp("Endpoint to bind (env: PORTAL_COMMAND_ENDPOINT).", valueName: "endpoint"))
    var endpoint: String?

    func run() throws {
        // Killing is how it stops: make sure the signals do, even when whoever started it had
        // them blocked (the mask survives exec; a test runner's threads block them). Before the
        // context is made: its threads inherit the mask.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)
        let endpoint = CommandEndpoint.resolve(endpoint)
        let context = try ZMQContext()
        let server: EchoServer
        do {
            server = try EchoServer(context: context, endpoint: endpoint)
        } catch let error as ZMQError {
            throw CommandFailure("\(error)")
        }
        // Written at once, unbuffered: whoever started the server waits for this line.
        FileHandle.standardOutput.write(Data("echo-server listening on \(server.endpoint)\n".utf8))
        try server.run()
    }
}
