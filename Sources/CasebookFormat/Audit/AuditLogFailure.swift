/// What verifying an audit log found wrong with it: the log itself, or the log measured
/// against checkpoints its owner signed (the bundle's own, and those compliance already
/// holds). Every case is tampering or damage, exit status 6, and names the first entry that
/// is wrong where that can be known (`firstBadIndex`), or the range it lies in.
public enum AuditLogFailure: Error, Equatable, Sendable {
    /// Event line `index` is not a canonical audit event.
    case malformedEvent(index: UInt64, reason: String)
    /// The event at position `index` says it is event `found`: events were inserted, removed
    /// or moved at this position.
    case outOfSequence(index: UInt64, found: UInt64)
    /// A vault's log skips from entry `index` to `next`: entries were deleted from the database.
    case missingEntry(index: UInt64, next: UInt64)
    /// A vault's stored event `index` does not decrypt, or does not match its stored leaf hash.
    case undecryptable(index: UInt64)
    /// The bundle ends after `found` of the `expected` events its header announces.
    case truncatedBundle(expected: UInt64, found: UInt64)
    /// More event lines than the header announces.
    case extraEvents(expected: UInt64)
    /// The bundle's framing (header lines, checkpoint) is broken; `line` 1-based when known.
    case malformedBundle(line: UInt64?, reason: String)
    /// The age layer refused the file: a chunk or the header MAC did not authenticate.
    case damaged(String)
    /// The bundle's checkpoint is not a valid checkpoint of this log signed by its owner.
    case checkpointUnverified(String)
    /// The bundle's signed checkpoint covers `checkpointSize` events, the bundle has `eventCount`.
    case checkpointSizeMismatch(checkpointSize: UInt64, eventCount: UInt64)
    /// The events do not hash to the root the owner signed for them; the first altered entry
    /// is in `firstBad` (narrowed by the trusted checkpoints that still match).
    case checkpointRootMismatch(firstBad: Range<UInt64>)
    /// The last event is not this bundle's own `audit.exported` event, or does not match the header.
    case exportEvent(String)
    /// A trusted checkpoint has more events than the log: events were removed from its end,
    /// or an older copy of the log was presented (rollback).
    case rollback(trusted: String, trustedSize: UInt64, eventCount: UInt64)
    /// The log is not an extension of a trusted checkpoint: history before `trustedSize` was
    /// rewritten; the first altered entry is in `firstBad`.
    case inconsistent(trusted: String, trustedSize: UInt64, firstBad: Range<UInt64>)
    /// Two checkpoints of one size with different roots, both signed by the owner.
    case equivocation(size: UInt64, first: String, second: String)
    /// A trusted checkpoint for this log that its owner's key did not sign.
    case trustedNotSigned(trusted: String, reason: String)
    /// A trusted checkpoint signed by the owner's key for another log (origin): the same
    /// identity keeps, or kept, a second log, which a rollback could hide behind.
    case otherLogOfSigner(trusted: String, origin: String)
    /// A bundle whose log origin was first verified here as another key's log (a contact
    /// re-signed their own log under a colleague's origin): an origin belongs to one key.
    case originOfAnotherSigner(origin: String, pinned: String, sequence: Int, signer: String)

    /// The first entry known to be wrong (missing, altered, or the start of the range it lies in).
    public var firstBadIndex: UInt64? {
        switch self {
        case let .malformedEvent(index, _), let .outOfSequence(index, _), let .missingEntry(index, _), let .undecryptable(index): index
        case let .truncatedBundle(_, found): found
        case let .extraEvents(expected): expected
        case let .checkpointSizeMismatch(checkpointSize, eventCount): min(checkpointSize, eventCount)
        case let .checkpointRootMismatch(range), let .inconsistent(_, _, range): range.lowerBound
        case let .rollback(_, _, eventCount): eventCount
        default: nil
        }
    }

    /// The failure as a wire-format error: always altered or damaged evidence (exit status 6).
    public var wireFormatError: WireFormatError {
        WireFormatError(.integrity, message, hint: hint)
    }

    public var message: String {
        switch self {
        case let .malformedEvent(index, reason):
            "audit event \(index) is not a canonical audit event: \(reason)"
        case let .outOfSequence(index, found):
            "the audit log is out of order at entry \(index): the event there says it is entry \(found) (events were inserted, removed or reordered)"
        case let .missingEntry(index, next):
            "the audit log is not contiguous: entry \(index) is missing (the next one is \(next))"
        case let .undecryptable(index):
            "audit event \(index) does not decrypt or does not match its stored leaf hash"
        case let .truncatedBundle(expected, found):
            "the audit bundle is truncated: it ends after \(found) of its \(expected) events"
        case let .extraEvents(expected):
            "the audit bundle has more events than the \(expected) its header announces"
        case let .malformedBundle(line, reason):
            "the audit bundle is malformed" + (line.map { " at line \($0)" } ?? "") + ": \(reason)"
        case let .damaged(why):
            "the audit bundle file is damaged, truncated or was altered (\(why))"
        case let .checkpointUnverified(why):
            "the audit bundle's checkpoint does not verify: \(why)"
        case let .checkpointSizeMismatch(checkpointSize, eventCount):
            checkpointSize < eventCount
                ? "the audit bundle's signed checkpoint covers \(checkpointSize) events but the bundle has \(eventCount): an older checkpoint was put in, or events were added after it was signed"
                : "the audit bundle's signed checkpoint covers \(checkpointSize) events but the bundle has only \(eventCount): events were removed from its end"
        case let .checkpointRootMismatch(range):
            "the audit events do not match the checkpoint their owner signed; \(Self.describe(range))"
        case let .exportEvent(why):
            "the audit bundle's last event is not its own export record: \(why)"
        case let .rollback(trusted, trustedSize, eventCount):
            "the audit log has \(eventCount) events but the trusted checkpoint \(trusted) has \(trustedSize): "
                + (trustedSize - eventCount == 1 ? "entry \(eventCount) was" : "entries \(eventCount) to \(trustedSize - 1) were")
                + " removed, or an older copy of the log was presented (rollback)"
        case let .inconsistent(trusted, trustedSize, range):
            "the audit log differs from the trusted checkpoint of size \(trustedSize) (\(trusted)); \(Self.describe(range))"
        case let .equivocation(size, first, second):
            "two checkpoints of size \(size) have different roots, both signed by the log's owner: \(first) and \(second) (the history was rewritten)"
        case let .trustedNotSigned(trusted, reason):
            "the trusted checkpoint \(trusted) is for this log but is not signed by its owner's key: \(reason)"
        case let .originOfAnotherSigner(origin, pinned, sequence, signer):
            "the audit log \(DisplayText.escaped(origin, limit: 100)) was first verified here as the log of \(pinned) (your audit event \(sequence)), but this bundle is signed by \(signer): someone re-signed a log under another practitioner's origin, or that practitioner's key changed"
        case let .otherLogOfSigner(trusted, origin):
            "the trusted checkpoint \(trusted) is signed by the same key for another audit log (\(DisplayText.escaped(origin, limit: 100))): the owner started a second vault with the same identity, which can hide a rollback"
        }
    }

    public var hint: String {
        switch self {
        case .missingEntry, .undecryptable:
            "the vault database was altered or damaged outside Casebook; restore it from a backup"
        case .damaged, .malformedBundle, .truncatedBundle, .extraEvents:
            "ask the sender for a new copy; if a new copy fails the same way, treat the log as tampered with"
        case .trustedNotSigned:
            "remove the file from the trusted folder if it is not a checkpoint of this person's log, or find out who signed it"
        case .originOfAnotherSigner:
            "do not save its checkpoint; ask both practitioners which log this is before trusting either"
        case .otherLogOfSigner:
            "find out why the log restarted (a lost laptop, a reinstalled vault); once explained, move that log's checkpoints out of the trusted folder"
        default:
            "keep this bundle and the trusted checkpoints as evidence; the log was changed after they were signed"
        }
    }

    /// "the first altered entry is 7", or "… is in [3, 7)" (one of 3…6).
    static func describe(_ range: Range<UInt64>) -> String {
        range.count == 1 ? "the first altered entry is \(range.lowerBound)"
            : "the first altered entry is in [\(range.lowerBound), \(range.upperBound))"
    }
}
