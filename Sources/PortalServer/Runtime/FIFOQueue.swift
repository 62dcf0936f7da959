/// A first-in, first-out queue with O(1) amortised push and pop, for the broker's backlog.
struct FIFOQueue<Element> {
    private var incoming: [Element] = []
    private var outgoing: [Element] = []

    var isEmpty: Bool { incoming.isEmpty && outgoing.isEmpty }
    var count: Int { incoming.count + outgoing.count }

    mutating func push(_ element: Element) { incoming.append(element) }

    mutating func pop() -> Element? {
        if outgoing.isEmpty {
            outgoing = incoming.reversed()
            incoming.removeAll(keepingCapacity: true)
        }
        return outgoing.popLast()
    }

    var first: Element? { outgoing.last ?? incoming.first }
}
