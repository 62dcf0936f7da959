/// A worker's routing id on the broker's in-process socket: a tag and the worker's number, so the
/// broker finds what a worker runs by index, without hashing or comparing ids, for every batch.
enum WorkerIdentity {
    private static let tag = UInt8(ascii: "W")

    /// The routing id of worker `number` (0 to 65,535).
    static func routingID(number: Int) -> [UInt8] {
        precondition((0...0xFFFF).contains(number), "worker numbers fit two bytes")
        return [tag, UInt8(number >> 8), UInt8(number & 0xFF)]
    }

    /// The number of the worker with that routing id; nil for any other id.
    static func number(of routingID: [UInt8]) -> Int? {
        guard routingID.count == 3, routingID[0] == tag else { return nil }
        return Int(routingID[1]) << 8 | Int(routingID[2])
    }
}
