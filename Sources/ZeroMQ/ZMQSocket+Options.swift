import CZeroMQ
import Glibc

/// Socket options, named; the raw setters stay available for anything not named here.
extension ZMQSocket {
    public func setOption(_ option: Int32, _ value: Int32) throws {
        var value = value
        guard zmq_setsockopt(try checkedHandle(), option, &value, MemoryLayout<Int32>.size) == 0 else {
            throw ZMQError.last("setsockopt \(option)")
        }
    }

    public func setOption(_ option: Int32, _ value: Int64) throws {
        var value = value
        guard zmq_setsockopt(try checkedHandle(), option, &value, MemoryLayout<Int64>.size) == 0 else {
            throw ZMQError.last("setsockopt \(option)")
        }
    }

    public func setOption(_ option: Int32, _ bytes: [UInt8]) throws {
        let handle = try checkedHandle()
        let result = bytes.withUnsafeBytes { buffer in
            zmq_setsockopt(handle, option, buffer.baseAddress, buffer.count)
        }
        guard result == 0 else { throw ZMQError.last("setsockopt \(option)") }
    }

    public func int32Option(_ option: Int32) throws -> Int32 {
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        guard zmq_getsockopt(try checkedHandle(), option, &value, &size) == 0 else {
            throw ZMQError.last("getsockopt \(option)")
        }
        return value
    }

    /// Milliseconds that unsent messages are kept after `close()` (-1: forever, 0: drop at once).
    public func setLinger(milliseconds: Int32) throws { try setOption(ZMQ_LINGER, milliseconds) }

    /// Messages queued per peer before sends block or fail (0: unlimited).
    public func setSendHighWaterMark(_ messages: Int32) throws { try setOption(ZMQ_SNDHWM, messages) }

    public func setReceiveHighWaterMark(_ messages: Int32) throws { try setOption(ZMQ_RCVHWM, messages) }

    /// ROUTER only: report unroutable and blocked sends (`EHOSTUNREACH`, `EAGAIN`) instead of
    /// dropping the message silently.
    public func setRouterMandatory(_ enabled: Bool) throws { try setOption(ZMQ_ROUTER_MANDATORY, Int32(enabled ? 1 : 0)) }

    /// A peer that sends a larger message is disconnected by libzmq (-1: no limit).
    public func setMaxMessageSize(_ bytes: Int64) throws { try setOption(ZMQ_MAXMSGSIZE, bytes) }

    /// The identity a ROUTER peer will see for this socket; set before connecting.
    public func setRoutingID(_ id: [UInt8]) throws { try setOption(ZMQ_ROUTING_ID, id) }

    /// SUB only: receive messages whose first frame starts with `prefix` (empty: everything).
    public func subscribe(_ prefix: [UInt8]) throws { try setOption(ZMQ_SUBSCRIBE, prefix) }

    public func unsubscribe(_ prefix: [UInt8]) throws { try setOption(ZMQ_UNSUBSCRIBE, prefix) }

    /// Milliseconds a blocking receive waits before returning `nil` (-1: forever).
    public func setReceiveTimeout(milliseconds: Int32) throws { try setOption(ZMQ_RCVTIMEO, milliseconds) }

    /// Milliseconds a blocking send waits before failing with `EAGAIN` (-1: forever).
    public func setSendTimeout(milliseconds: Int32) throws { try setOption(ZMQ_SNDTIMEO, milliseconds) }

    /// Queue messages only to completed connections, so sends before the peer is up block instead.
    public func setImmediate(_ enabled: Bool) throws { try setOption(ZMQ_IMMEDIATE, Int32(enabled ? 1 : 0)) }

    /// The endpoint last bound, with a wildcard port resolved (`tcp://127.0.0.1:*` → `…:41234`).
    public func lastEndpoint() throws -> String {
        var buffer = [CChar](repeating: 0, count: 1_024)
        var size = buffer.count
        guard zmq_getsockopt(try checkedHandle(), ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else {
            throw ZMQError.last("getsockopt ZMQ_LAST_ENDPOINT")
        }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
