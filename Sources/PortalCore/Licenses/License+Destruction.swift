import Foundation

extension License {
    /// When the license's activations stop working: the runtime end, or its destruction when
    /// that came first. Nil for a perpetual license that was not destroyed.
    public var activationsEnd: Date? {
        switch (runtimeEnd, destroyedAt) {
        case (let end?, let destroyed?): min(end, destroyed)
        case (let end, nil): end
        case (nil, let destroyed): destroyed
        }
    }
}
