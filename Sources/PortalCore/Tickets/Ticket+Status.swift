extension Ticket.Status {
    /// The statuses `side` may move a ticket to from this one. The company side closes its
    /// tickets and reopens resolved ones; support moves them through the rest of the flow and
    /// may take a resolved ticket up again. Nothing leaves `closed`.
    public func allowedTargets(for side: Ticket.Side) -> [Ticket.Status] {
        switch (side, self) {
        case (_, .closed): []
        case (.customer, .resolved): [.open, .closed]
        case (.customer, _): [.closed]
        case (.support, .open): [.inProgress, .waitingForCustomer, .resolved, .closed]
        case (.support, .inProgress): [.waitingForCustomer, .resolved, .closed]
        case (.support, .waitingForCustomer): [.inProgress, .resolved, .closed]
        case (.support, .resolved): [.inProgress, .closed]
        }
    }

    /// Where a comment of `side` moves the ticket: a customer's answer to a ticket waiting for
    /// it puts it back in support's hands; nil when the status stays.
    public func afterComment(by side: Ticket.Side) -> Ticket.Status? {
        side == .customer && self == .waitingForCustomer ? .inProgress : nil
    }
}
