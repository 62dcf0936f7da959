import Glibc
import ZeroMQ

extension ZMQSocket {
    /// Binds to a configured endpoint; the error names the socket's role and the endpoint, with
    /// an example when the endpoint's syntax is the problem.
    func bind(_ endpoint: String, role: String) throws {
        do {
            try bind(endpoint)
        } catch let error as ZMQError {
            let hint = [EINVAL, EPROTONOSUPPORT].contains(error.code) ? " (expected e.g. tcp://127.0.0.1:5555)" : ""
            throw ServerError("cannot bind the \(role) endpoint \(endpoint): \(error.reason)\(hint)")
        }
    }
}
