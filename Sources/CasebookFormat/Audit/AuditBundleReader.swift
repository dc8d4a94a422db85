import Foundation

/// Reads an audit bundle's plaintext as age decrypts it (a `ByteSink`), in bounded memory:
/// the header lines, then each event line straight into an `AuditLogVerifier`, then the
/// signed checkpoint. The header and every event are handed to the callbacks as they are
/// read, so the caller can look up the exporter and collect events for a report.
///
/// Age wraps what a sink throws into its own error, so the first failure is also kept in
/// `failure` for the caller to report as it was.
public final class AuditBundleReader: ByteSink {
    public private(set) var header: AuditBundleHeader?
    public private(set) var verifier = AuditLogVerifier()
    public private(set) var failure: (any Error)?
    /// Whether any plaintext arrived at all.
    public private(set) var sawBytes = false

    private enum Stage { case header, events, checkpoint }
    private var stage = Stage.header
    private var headerLines: [[UInt8]] = []
    private var carry: [UInt8] = []
    private var tail: [UInt8] = []
    private let onHeader: (AuditBundleHeader) throws -> Void
    private let onEvent: (UInt64, UnsafeRawBufferPointer, AuditEventLine.Fields) throws -> Void

    static let maximumHeaderLineBytes = 8_192

    public init(onHeader: @escaping (AuditBundleHeader) throws -> Void,
                onEvent: @escaping (UInt64, UnsafeRawBufferPointer, AuditEventLine.Fields) throws -> Void) {
        self.onHeader = onHeader
        self.onEvent = onEvent
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if let failure { throw failure }
        do {
            try consume(bytes)
        } catch {
            failure = error
            throw error
        }
    }

    /// After the last byte: the signed checkpoint's bytes. Throws if the bundle stopped short.
    public func finish() throws -> [UInt8] {
        if let failure { throw failure }
        do {
            switch stage {
            case .header:
                guard sawBytes else { throw AuditLogFailure.malformedBundle(line: nil, reason: "it is empty") }
                if headerLines.isEmpty { try AuditBundleHeader.checkFormatLine(carry) }
                throw AuditLogFailure.malformedBundle(line: UInt64(headerLines.count + 1), reason: "the header stops before its end")
            case .events:
                throw AuditLogFailure.truncatedBundle(expected: header?.eventCount ?? 0, found: verifier.count)
            case .checkpoint:
                guard !tail.isEmpty else {
                    throw AuditLogFailure.malformedBundle(line: nil, reason: "it ends after its events: the signed checkpoint is missing")
                }
                return tail
            }
        } catch {
            failure = error
            throw error
        }
    }

    private func consume(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        sawBytes = true
        var position = 0
        while position < bytes.count {
            if stage == .checkpoint {
                if tail.isEmpty && base.load(fromByteOffset: position, as: UInt8.self) == UInt8(ascii: "{") {
                    throw AuditLogFailure.extraEvents(expected: header?.eventCount ?? 0)
                }
                guard tail.count + (bytes.count - position) <= SignedNote.maxNoteBytes else {
                    throw AuditLogFailure.malformedBundle(line: nil, reason: "more than \(SignedNote.maxNoteBytes) bytes follow the events (a checkpoint is smaller)")
                }
                tail.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[position...]))
                return
            }
            let remaining = bytes.count - position
            guard let found = memchr(base + position, 0x0A, remaining) else {
                try keep(UnsafeRawBufferPointer(rebasing: bytes[position...]))
                return
            }
            let end = base.distance(to: UnsafeRawPointer(found))
            if carry.isEmpty {
                try line(UnsafeRawBufferPointer(rebasing: bytes[position..<end]))
            } else {
                try keep(UnsafeRawBufferPointer(rebasing: bytes[position..<end]))
                let whole = carry
                carry.removeAll(keepingCapacity: true)
                try whole.withUnsafeBytes { raw in try line(raw) }
            }
            position = end + 1
        }
    }

    /// Keeps the start of a line that continues in the next piece, within the line limits.
    private func keep(_ piece: UnsafeRawBufferPointer) throws {
        let limit = stage == .header ? Self.maximumHeaderLineBytes : AuditEventLine.maximumByteCount
        guard carry.count + piece.count <= limit else {
            if stage == .header {
                throw AuditLogFailure.malformedBundle(line: UInt64(headerLines.count + 1), reason: "the line is longer than \(limit) bytes")
            }
            throw AuditLogFailure.malformedEvent(index: verifier.count, reason: "the line is longer than \(AuditEventLine.maximumByteCount >> 20) MiB")
        }
        carry.append(contentsOf: piece)
    }

    private func line(_ bytes: UnsafeRawBufferPointer) throws {
        switch stage {
        case .header:
            guard bytes.count <= Self.maximumHeaderLineBytes else {
                throw AuditLogFailure.malformedBundle(line: UInt64(headerLines.count + 1), reason: "the line is longer than \(Self.maximumHeaderLineBytes) bytes")
            }
            headerLines.append(Array(bytes))
            if headerLines.count == 1 {
                // The first line alone says whether this is a bundle at all.
                try AuditBundleHeader.checkFormatLine(headerLines[0])
            } else if headerLines.count == AuditBundleHeader.lineCount {
                let parsed = try AuditBundleHeader.parse(lines: headerLines)
                header = parsed
                try onHeader(parsed)
                stage = .events
            }
        case .events:
            let index = verifier.count
            let fields = try verifier.append(bytes)
            try onEvent(index, bytes, fields)
            if verifier.count == header!.eventCount { stage = .checkpoint }
        case .checkpoint:
            preconditionFailure("checkpoint bytes are not split into lines")
        }
    }
}
