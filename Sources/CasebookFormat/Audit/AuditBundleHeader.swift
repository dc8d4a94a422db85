/// The first lines of an audit bundle's plaintext (docs/formats.md §9.1):
///
///     casebook-audit-bundle/v1
///     origin: casebook.example/vault/<vault id, 32 lower-case hex>
///     created: <YYYY-MM-DDTHH:MM:SSZ>
///     events: <N, decimal>
///     <the exporter's identity card: its 7 lines>
///
/// Nothing here is trusted on its own: the card is checked against the reader's contacts by
/// fingerprint, and `origin`, `events` and `created` must agree with the signed checkpoint
/// and the bundle's own `audit.exported` event.
public struct AuditBundleHeader: Equatable, Sendable {
    public static let formatLine = "casebook-audit-bundle/v1"
    /// Header lines before the card, and the card's own.
    public static let fieldLineCount = 4
    public static let lineCount = fieldLineCount + 7

    public let origin: String
    public let created: String
    public let eventCount: UInt64
    public let card: IdentityCard

    public init(origin: String, created: String, eventCount: UInt64, card: IdentityCard) {
        self.origin = origin
        self.created = created
        self.eventCount = eventCount
        self.card = card
    }

    /// The header's bytes, every line ending in LF.
    public func encoded() -> [UInt8] {
        Array("\(Self.formatLine)\norigin: \(origin)\ncreated: \(created)\nevents: \(eventCount)\n".utf8) + Array(card.rendered().utf8)
    }

    /// Parses the header from its lines (without their LFs): strictly, each line exactly as
    /// `encoded()` writes it. Throws `WireFormatError` for a file that is not an audit bundle
    /// (`notABundle`) or is a newer version, `AuditLogFailure.malformedBundle` otherwise.
    public static func parse(lines: [[UInt8]]) throws -> AuditBundleHeader {
        precondition(lines.count == lineCount)
        try checkFormatLine(lines[0])
        func value(_ line: Int, _ key: String) throws(AuditLogFailure) -> String {
            let prefix = Array((key + ": ").utf8)
            guard lines[line].starts(with: prefix), let found = text(lines[line], from: prefix.count) else {
                throw .malformedBundle(line: UInt64(line + 1), reason: "expected '\(key): …'")
            }
            return found
        }
        let origin = try value(1, "origin")
        guard AuditOrigin.isVaultOrigin(origin) else {
            throw AuditLogFailure.malformedBundle(line: 2, reason: "the origin is not a Casebook vault's (\(AuditOrigin.prefix)<32 hex digits>)")
        }
        let created = try value(2, "created")
        guard UTCTimestamp.problem(in: created) == nil else {
            throw AuditLogFailure.malformedBundle(line: 3, reason: "'created' is not a UTC time YYYY-MM-DDTHH:MM:SSZ")
        }
        let countText = try value(3, "events")
        guard let count = UInt64(countText), String(count) == countText, count >= 1, count <= UInt64(Int64.max) else {
            throw AuditLogFailure.malformedBundle(line: 4, reason: "'events' is not a positive decimal number")
        }
        let card: IdentityCard
        do {
            card = try IdentityCard.parse(bytes: lines[fieldLineCount...].flatMap { $0 + [0x0A] })
        } catch {
            throw AuditLogFailure.malformedBundle(line: UInt64(fieldLineCount + 1), reason: "the exporter's identity card is not valid: \(error)")
        }
        return AuditBundleHeader(origin: origin, created: created, eventCount: count, card: card)
    }

    /// A first line that is not `formatLine` nor a later version of it. Equatable, so the
    /// domain can recognise it and add its own advice on where bundles come from.
    public static let notABundle = WireFormatError(
        .invalid, "this file is not an audit bundle (it does not start with \(formatLine))")

    /// Refuses a first line that is not `formatLine`: another file (`notABundle`), or a
    /// newer version of the format (`unsupportedVersion`, "update Casebook").
    public static func checkFormatLine(_ line: [UInt8]) throws(WireFormatError) {
        let first = String(decoding: line.prefix(80), as: UTF8.self)
        guard line != Array(formatLine.utf8) else { return }
        if first.hasPrefix("casebook-audit-bundle/") {
            throw WireFormatError(.unsupportedVersion, "this audit bundle is in a newer format (\(DisplayText.escaped(first, limit: 100)))",
                                  hint: "update Casebook to verify it")
        }
        throw notABundle
    }

    /// `bytes[start...]` as a string, nil unless strict UTF-8 without control characters.
    private static func text(_ bytes: [UInt8], from start: Int) -> String? {
        let tail = bytes[start...]
        guard !tail.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return nil }
        return tail.withUnsafeBytes { raw in StrictUTF8.string(raw) }
    }
}
