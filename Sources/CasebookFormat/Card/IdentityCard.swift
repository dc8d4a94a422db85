import CasebookCrypto

/// The identity card a practitioner gives colleagues so they can seal handovers
/// to them and verify what they sign (`casebook whoami --card`). Format v1, UTF-8,
/// exactly these seven LF-terminated lines in this order:
///
///     casebook-card v1
///     name: Dr Amira Example
///     role: psychologist
///     age: age1…
///     minisign: RW…
///     created: 2026-11-24T06:00:00Z
///     signature: <base64 of an Ed25519 signature>
///
/// - `name`: the name rule (`TextRule.nameProblem`): 1–100 characters, at most 1000
///   bytes, no leading or trailing white space, and no control, format (bidirectional
///   among them), line-separator, default-ignorable, private-use or unassigned code
///   point, which could make a name display as another or hide part of it.
/// - `role`: one of `IdentityCard.roles`.
/// - `age`: the X25519 age recipient, lower-case Bech32 with HRP `age`, 32 bytes.
/// - `minisign`: the minisign public key line (`RW…`).
/// - `created`: RFC 3339 in UTC, whole seconds, `Z`.
/// - `signature`: canonical padded base64 of the Ed25519 signature, by the card's
///   own minisign key, over every byte of the card before this line (lines 1–6,
///   each with its LF). It proves the holder of the signing key issued the card;
///   whether that key is the colleague's is settled by comparing the `fingerprint`.
///
/// Each line is `key: value` with exactly one space after the colon. A card of
/// another version, or with missing, reordered, repeated or extra lines, a bad value
/// or a bad signature is refused with the line number.
public struct IdentityCard: Equatable, Sendable {
    public static let versionLine = "casebook-card v1"
    /// The roles a card may name. The same list as the domain's practitioner roles,
    /// kept as strings here because the format layer does not depend on the domain.
    public static let roles = ["psychologist", "mentor", "theological-adviser", "supervisor", "compliance"]
    static let fields = ["name", "role", "age", "minisign", "created", "signature"]

    public let name: String
    public let role: String
    /// The `age1…` recipient to seal handovers to.
    public let ageRecipient: String
    public let minisignKey: MinisignPublicKey
    /// When the card was issued, `YYYY-MM-DDTHH:MM:SSZ`.
    public let created: String
    /// Ed25519 signature over `signedText`.
    public let signature: [UInt8]

    /// A card for `identity`, signed with its Ed25519 key.
    public static func make(name: String, role: String, created: String, identity: borrowing IdentitySecrets) throws(IdentityCardError) -> IdentityCard {
        for (field, value) in [("name", name), ("role", role), ("created", created)] {
            if let problem = problem(field: field, value: value) { throw IdentityCardError(.invalidValue, "the \(field) \(problem)") }
        }
        let recipient = identity.ageRecipient
        let key = identity.minisignPublicKey
        let body = signedText(name: name, role: role, ageRecipient: recipient, minisignKey: key, created: created)
        let signature = identity.signing.signature(for: Array(body.utf8))
        return IdentityCard(name: name, role: role, ageRecipient: recipient, minisignKey: key, created: created, signature: signature)
    }

    private init(name: String, role: String, ageRecipient: String, minisignKey: MinisignPublicKey, created: String, signature: [UInt8]) {
        self.name = name
        self.role = role
        self.ageRecipient = ageRecipient
        self.minisignKey = minisignKey
        self.created = created
        self.signature = signature
    }

    /// The fingerprint of the card's keys (unchanged when a card is re-issued with the same keys).
    public var fingerprint: IdentityFingerprint {
        IdentityFingerprint(ageRecipient: ageRecipient, minisignKey: minisignKey)
    }

    /// The card's text: the signed lines and the signature line.
    public func rendered() -> String {
        signedText + "signature: " + Base64.encode(signature) + "\n"
    }

    /// Lines 1–6 with their LFs: exactly what the signature covers.
    public var signedText: String {
        Self.signedText(name: name, role: role, ageRecipient: ageRecipient, minisignKey: minisignKey, created: created)
    }

    private static func signedText(name: String, role: String, ageRecipient: String, minisignKey: MinisignPublicKey, created: String) -> String {
        versionLine + "\n" + "name: " + name + "\n" + "role: " + role + "\n" + "age: " + ageRecipient + "\n"
            + "minisign: " + minisignKey.encoded + "\n" + "created: " + created + "\n"
    }

    /// Parses and verifies a card (see the type's description for what is refused).
    public static func parse(_ text: String) throws(IdentityCardError) -> IdentityCard {
        try parse(bytes: Array(text.utf8))
    }

    /// Parses and verifies a card read from a file.
    public static func parse(bytes: some Collection<UInt8>) throws(IdentityCardError) -> IdentityCard {
        let lines: [String]
        switch TextLines.split(bytes) {
        case .success(let split):
            lines = split
        case .failure(.empty):
            throw IdentityCardError(.malformed, "the card is empty")
        case .failure(.missingFinalNewline(let line)):
            throw IdentityCardError(.malformed, line: line, "the card is truncated: the line does not end with a newline")
        case .failure(.carriageReturn(let line)):
            throw IdentityCardError(.malformed, line: line, "the card has a carriage return; use Unix (LF) line endings")
        case .failure(.invalidUTF8(let line)):
            throw IdentityCardError(.malformed, line: line, "the card is not valid UTF-8")
        }

        guard TextLines.same(lines[0], versionLine) else {
            if let version = TextLines.value(of: lines[0], after: "casebook-card ") {
                throw IdentityCardError(.unsupportedVersion, line: 1, "the card has version '\(DisplayText.escaped(version))'; this Casebook reads only 'v1' cards (hint: update Casebook)")
            }
            throw IdentityCardError(.malformed, line: 1, "not a Casebook identity card (the first line must be '\(versionLine)')")
        }

        var values: [String] = []
        for (index, field) in fields.enumerated() {
            let number = index + 2
            guard number <= lines.count else {
                throw IdentityCardError(.malformed, line: number, "the card ends before the '\(field):' line")
            }
            let line = lines[number - 1]
            let found = fieldName(line)
            guard TextLines.same(found, field) else {
                if fields[..<index].contains(where: { TextLines.same($0, found) }) {
                    throw IdentityCardError(.malformed, line: number, "the card repeats the '\(DisplayText.escaped(found)):' line; expected '\(field):' here")
                }
                if fields[index...].contains(where: { TextLines.same($0, found) }) {
                    throw IdentityCardError(.malformed, line: number, "the '\(DisplayText.escaped(found)):' line is out of order; expected '\(field):' here")
                }
                throw IdentityCardError(.malformed, line: number, "unexpected line; expected '\(field): …'")
            }
            guard let value = TextLines.value(of: line, after: field + ": ") else {
                throw IdentityCardError(.malformed, line: number, "expected '\(field): ' with one space after the colon")
            }
            if let problem = problem(field: field, value: value) {
                throw IdentityCardError(.invalidValue, line: number, "the \(field) \(problem)")
            }
            values.append(value)
        }
        if lines.count > fields.count + 1 {
            let number = fields.count + 2
            let found = fieldName(lines[number - 1])
            if fields.contains(where: { TextLines.same($0, found) }) {
                throw IdentityCardError(.malformed, line: number, "the card repeats the '\(DisplayText.escaped(found)):' line after the signature")
            }
            throw IdentityCardError(.malformed, line: number, "unexpected line after the signature line")
        }

        // The values were validated above, so these conversions succeed.
        guard let key = try? MinisignPublicKey(encoded: values[3]), let signature = Base64.decode(values[5]) else {
            throw IdentityCardError(.invalidValue, "the card's key or signature could not be decoded")
        }
        let card = IdentityCard(name: values[0], role: values[1], ageRecipient: values[2], minisignKey: key, created: values[4], signature: signature)
        guard key.key.isValidSignature(signature, for: Array(card.signedText.utf8)) else {
            throw IdentityCardError(.badSignature, line: 7, "the card's signature does not verify: the card was altered, or it was not signed by its own minisign key")
        }
        return card
    }

    /// What comes before the first ':' of a line (the whole line if there is none).
    static func fieldName(_ line: String) -> String {
        String(decoding: line.utf8.prefix { $0 != UInt8(ascii: ":") }, as: UTF8.self)
    }

    /// Why `value` is not acceptable for `field`, or nil when it is.
    static func problem(field: String, value: String) -> String? {
        switch field {
        case "name": return TextRule.nameProblem(value)
        case "role":
            return roles.contains(where: { TextLines.same($0, value) }) ? nil : "'\(DisplayText.escaped(value))' is not a known role; expected one of \(roles.joined(separator: ", "))"
        case "age": return ageRecipientProblem(value)
        case "minisign":
            do {
                _ = try MinisignPublicKey(encoded: value)
                return nil
            } catch {
                return "key \(error.message)"
            }
        case "created": return UTCTimestamp.problem(in: value)
        case "signature":
            guard let raw = Base64.decode(value) else { return "is not canonical base64" }
            return raw.count == Ed25519.signatureByteCount ? nil : "holds \(raw.count) bytes, expected 64"
        default: return "is not a card field"
        }
    }

    static func ageRecipientProblem(_ recipient: String) -> String? {
        let decoded: (hrp: String, data: [UInt8])
        do {
            decoded = try Bech32.decode(Array(recipient.utf8))
        } catch {
            return "recipient \(error.message)"
        }
        guard decoded.hrp == "age" else { return "recipient has the prefix '\(DisplayText.escaped(decoded.hrp))1', not 'age1'" }
        guard decoded.data.count == 32 else { return "recipient holds \(decoded.data.count) bytes, expected 32" }
        guard !recipient.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return "recipient must be lower case" }
        return nil
    }
}
