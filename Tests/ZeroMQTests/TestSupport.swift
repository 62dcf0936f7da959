import Foundation
import Testing
import ZeroMQ

/// How long any receive or send in these tests may block, so a bug fails a test instead of hanging it.
let testTimeoutMilliseconds: Int32 = 2_000

/// The UTF-8 bytes of `text`.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A socket whose blocking calls give up after `testTimeoutMilliseconds` and that drops unsent
/// messages on close, so neither a test nor the context's termination can hang.
func makeSocket(_ context: ZMQContext, _ type: ZMQSocketType) throws -> ZMQSocket {
    let socket = try ZMQSocket(context: context, type: type)
    try socket.setReceiveTimeout(milliseconds: testTimeoutMilliseconds)
    try socket.setSendTimeout(milliseconds: testTimeoutMilliseconds)
    try socket.setLinger(milliseconds: 0)
    return socket
}

/// Binds `socket` to a free loopback port and returns the concrete endpoint.
func bindToFreePort(_ socket: ZMQSocket) throws -> String {
    try socket.bind("tcp://127.0.0.1:*")
    return try socket.lastEndpoint()
}

/// A bound ROUTER and a DEALER connected to it over loopback TCP.
func routerAndDealer(
    _ context: ZMQContext, dealerID: String? = nil, configureRouter: (ZMQSocket) throws -> Void = { _ in }
) throws -> (router: ZMQSocket, dealer: ZMQSocket) {
    let router = try makeSocket(context, .router)
    try configureRouter(router)
    let endpoint = try bindToFreePort(router)
    let dealer = try makeSocket(context, .dealer)
    if let dealerID { try dealer.setRoutingID(bytes(dealerID)) }
    try dealer.connect(endpoint)
    return (router, dealer)
}

/// Runs `body` and returns how long it took.
func measure<T>(_ body: () throws -> T) rethrows -> (result: T, elapsed: Duration) {
    let clock = ContinuousClock()
    let start = clock.now
    let result = try body()
    return (result, clock.now - start)
}

/// Calls `attempt` every `interval` until it returns a value or `limit` passes (for slow joiners
/// and other asynchronous effects that have no event to wait on).
func eventually<T>(
    within limit: Duration = .seconds(2), every interval: Duration = .milliseconds(10), _ attempt: () throws -> T?
) rethrows -> T? {
    let deadline = ContinuousClock.now + limit
    while true {
        if let value = try attempt() { return value }
        if ContinuousClock.now >= deadline { return nil }
        Thread.sleep(forTimeInterval: Double(interval.components.attoseconds) / 1e18 + Double(interval.components.seconds))
    }
}
