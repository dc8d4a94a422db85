/// `export.md`: a readable rendering of `export.json` for people outside Casebook (a court,
/// a MAPPA partner, the client). It is generated from the manifest and signed beside it;
/// `export.json` stays the authoritative copy.
///
/// The record kinds' titles and their fields' order are the domain's, passed in as plain
/// ``KindTitles`` so a reader without the vault can re-render the file and compare its bytes.
public enum ExportDocument {
    /// A record kind as `export.md` shows it: its title and its sections in order.
    public struct KindTitle: Sendable, Equatable {
        public struct Field: Sendable, Equatable {
            public var key: String
            public var title: String

            public init(key: String, title: String) {
                self.key = key
                self.title = title
            }
        }

        public var title: String
        /// Every section of the kind, in the order it is rendered.
        public var fields: [Field]

        public init(title: String, fields: [Field]) {
            self.title = title
            self.fields = fields
        }
    }

    /// The kinds by their wire name (`hii-session`). A kind not listed is shown by its wire
    /// name, without its sections; withheld sections are then named by their keys.
    public typealias KindTitles = [String: KindTitle]

    public static func markdown(_ manifest: ExportManifest, kinds: KindTitles) -> String {
        var lines: [String] = []
        lines.append("# Casebook export: records of \(manifest.client)")
        lines.append("")
        lines.append("- **Export:** \(manifest.id)")
        lines.append("- **Created:** \(manifest.created)")
        lines.append("- **From:** \(senderDescription(manifest))")
        lines.append("- **To:** \(recipientDescription(manifest.recipient))")
        lines.append("- **Purpose:** \(manifest.purpose)" + (manifest.reason.map { " (\(inline($0)))" } ?? ""))
        lines.append("- **Basis:** " + manifest.basis.map(inline).joined(separator: "; "))
        if let fields = manifest.fields { lines.append("- **Sections asked for:** " + fields.joined(separator: ", ")) }
        lines.append("- **Records:** \(manifest.records.count)")
        lines.append("")
        lines.append("Only what the basis above covers is included. Sections the sender had but did not send are")
        lines.append("listed under each record as withheld. This file is a rendering of `export.json`; both are")
        lines.append("signed by the sender (`export.json.minisig`, `export.md.minisig`).")
        for (number, record) in manifest.records.enumerated() {
            let kind = kinds[record.kind]
            lines.append("")
            lines.append("## \(number + 1). \(kind?.title ?? record.kind), \(record.start)")
            lines.append("")
            lines.append("- **Record:** \(record.id), revision \(record.revision), written by \(inline(record.author)), recorded \(record.recordedAt)")
            var session = ["**Attendance:** \(record.attendance)", "**Modality:** \(record.modality)"]
            if let duration = record.duration { session.insert("**Duration:** \(duration) minutes", at: 0) }
            lines.append("- " + session.joined(separator: " · "))
            if !record.labels.isEmpty { lines.append("- **Labels:** " + record.labels.joined(separator: ", ")) }
            lines.append("- **Sharing summary:** " + inline(record.sharingSummary))
            for field in kind?.fields ?? [] {
                guard let text = record.sections[field.key] else { continue }
                lines.append("")
                lines.append("### \(field.title)")
                lines.append("")
                lines.append(text)
            }
            if !record.withheld.isEmpty {
                let titles = record.withheld.map { key in kind?.fields.first { $0.key == key }?.title ?? key }
                lines.append("")
                lines.append("*Withheld:* " + titles.joined(separator: "; "))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func senderDescription(_ manifest: ExportManifest) -> String {
        let card = try? IdentityCard.parse(manifest.sender.card)
        let who = card.map { "\(inline($0.name)) (\($0.role))" } ?? "the sender"
        return "\(who), card fingerprint \(manifest.sender.fingerprint)"
    }

    private static func recipientDescription(_ recipient: ExportManifest.Recipient) -> String {
        var parts: [String] = []
        switch recipient.kind {
        case "contact": parts.append("\(inline(recipient.name ?? "a contact")) (card fingerprint \(recipient.fingerprint ?? "?"))")
        case "age": parts.append("age recipient \(recipient.age ?? "?")")
        default: parts.append("whoever holds the passphrase")
        }
        if let organisation = recipient.organisation { parts.append("organisation \(organisation)") }
        if let role = recipient.role { parts.append("role \(role)") }
        return parts.joined(separator: ", ")
    }

    /// One line of text: newlines folded, so a value cannot start a heading or list.
    private static func inline(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
