import ZeroMQ

enum LoopbackEndpoint {
    /// A TCP endpoint on 127.0.0.1 that nothing listens on: a port the kernel picked for a socket
    /// that has been closed again.
    static func unused() throws -> String {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context: context, type: .router)
        try socket.setLinger(milliseconds: 0)
        try socket.bind("tcp://127.0.0.1:*")
        let endpoint = try socket.lastEndpoint()
        socket.close()
        context.terminate()
        return endpoint
    }
}
