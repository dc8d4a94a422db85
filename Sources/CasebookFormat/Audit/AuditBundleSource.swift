/// An audit bundle's plaintext produced piece by piece for age to encrypt (a `ByteSource`):
/// the header, one event line per event as `nextEvent` hands them over, then the signed
/// checkpoint. Nothing is held but the piece being read, so a bundle of any size is written
/// in bounded memory.
///
/// Age wraps what a source throws into its own error, so the first failure is also kept in
/// `failure` for the caller to report as it was.
public struct AuditBundleSource: ByteSource {
    private final class State {
        let header: AuditBundleHeader
        let checkpoint: [UInt8]
        let nextEvent: (UInt64) throws -> [UInt8]
        var produced: UInt64 = 0
        var headerDone = false
        var checkpointDone = false
        var pending: [UInt8] = []
        var offset = 0
        var failure: (any Error)?

        init(header: AuditBundleHeader, checkpoint: [UInt8], nextEvent: @escaping (UInt64) throws -> [UInt8]) {
            self.header = header
            self.checkpoint = checkpoint
            self.nextEvent = nextEvent
        }
    }

    private let state: State

    /// `nextEvent(i)` returns event `i`'s canonical bytes (no newline), for i in 0..<header.eventCount.
    public init(header: AuditBundleHeader, checkpoint: SignedNote, nextEvent: @escaping (UInt64) throws -> [UInt8]) {
        state = State(header: header, checkpoint: checkpoint.bytes, nextEvent: nextEvent)
    }

    /// The error `nextEvent` threw, if it did.
    public var failure: (any Error)? { state.failure }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let failure = state.failure { throw failure }
        do {
            return try fill(buffer)
        } catch {
            state.failure = error
            throw error
        }
    }

    private func fill(_ buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var written = 0
        while written < buffer.count {
            if state.offset == state.pending.count {
                state.pending.removeAll(keepingCapacity: true)
                state.offset = 0
                try refill()
                if state.pending.isEmpty { break }
            }
            let count = min(buffer.count - written, state.pending.count - state.offset)
            state.pending.withUnsafeBytes { raw in
                (buffer.baseAddress! + written).copyMemory(from: raw.baseAddress! + state.offset, byteCount: count)
            }
            state.offset += count
            written += count
        }
        return written
    }

    /// The next 64 KiB or so: header, event lines, then the checkpoint; nothing at the end.
    private func refill() throws {
        if !state.headerDone {
            state.headerDone = true
            state.pending = state.header.encoded()
            return
        }
        while state.produced < state.header.eventCount && state.pending.count < 64 * 1024 {
            let line = try state.nextEvent(state.produced)
            guard !line.isEmpty, !line.contains(0x0A) else {
                throw WireFormatError(.invalid, "audit event \(state.produced) cannot be a bundle line")
            }
            state.pending += line
            state.pending.append(0x0A)
            state.produced += 1
        }
        if state.pending.isEmpty && !state.checkpointDone {
            state.checkpointDone = true
            state.pending = state.checkpoint
        }
    }
}
