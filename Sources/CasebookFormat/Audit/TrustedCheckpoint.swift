/// A signed checkpoint of one audit log whose signature has been checked, with where it
/// came from (a file name in the trusted folder, or "the bundle's checkpoint").
public struct TrustedCheckpoint: Equatable, Sendable {
    public let name: String
    public let checkpoint: Checkpoint
    /// The signed note exactly as read.
    public let note: [UInt8]

    public init(name: String, checkpoint: Checkpoint, note: [UInt8]) {
        self.name = name
        self.checkpoint = checkpoint
        self.note = note
    }
}
