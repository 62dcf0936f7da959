/// A failure of the test harness itself (a process that would not start, a reply that never
/// came), with a message that says what was being waited for.
struct HarnessError: Error, CustomStringConvertible {
    let message: String

    init(_ message: String) { self.message = message }

    var description: String { message }
}
