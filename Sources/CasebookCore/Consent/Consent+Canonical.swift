import Foundation
import CasebookCrypto
import CasebookFormat

/// The canonical encoding of a consent version (docs/consent.md §Canonical form): JSON, UTF-8,
/// keys sorted, no insignificant whitespace, `/` not escaped, times RFC 3339 UTC with whole
/// seconds, every set as a sorted array (recipients by `contact:FINGERPRINT` / `org:NAME` /
/// `role:ROLE`), provisions in their order, absent optional values omitted. Its SHA-256 is
/// the hash an audit event records for the consent a decision relied on.
extension Consent {
    public static let formatName = ConsentJSON.formatName

    /// The canonical bytes of this version (Format's `ConsentJSON`).
    public func canonicalBytes() -> [UInt8] {
        ConsentJSON(self).canonicalBytes()
    }

    /// SHA-256 of ``canonicalBytes()``, 64 lower-case hex digits.
    public var canonicalHash: String {
        Hex.encode(SHA256.hash(canonicalBytes()))
    }

    /// Reads canonical bytes strictly: they must decode into exactly these fields, describe a
    /// consent that passes ``validated()``, and re-encode to the same bytes.
    public static func decodeCanonical(_ bytes: [UInt8]) throws(CasebookError) -> Consent {
        let decoded: ConsentJSON
        do {
            decoded = try ConsentJSON.decode(bytes)
        } catch {
            throw CasebookError(error)
        }
        let consent = try decoded.consent().validated()
        // Sets that repeat a value decode, but are not this consent's one form.
        guard consent.canonicalBytes() == bytes else { throw CasebookError(ConsentJSON.notCanonical) }
        return consent
    }
}

/// The domain's consent to and from its wire form.
extension ConsentJSON {
    init(_ consent: Consent) {
        self.init(
            id: consent.id, version: consent.version, client: consent.client.rawValue, recordedBy: consent.recordedBy,
            recordedAt: Timestamp.string(consent.recordedAt), method: consent.method.rawValue,
            evidenceSHA256: consent.evidenceSHA256, validFrom: Timestamp.string(consent.validFrom),
            validUntil: Timestamp.string(consent.validUntil),
            withdrawal: consent.withdrawal.map { Withdrawal(time: Timestamp.string($0.time), reason: $0.reason) },
            provisions: ConsentJSON.provisions(of: consent))
    }

    private static func provisions(of consent: Consent) -> [Provision] {
        consent.provisions.map { provision in
            Provision(
                effect: provision.effect.rawValue,
                purposes: provision.purposes.map(\.rawValue).sorted(),
                recipients: provision.recipients.sorted { $0.canonicalKey < $1.canonicalKey }.map { recipient in
                    switch recipient {
                    case .contact(let name, let fingerprint): Recipient(type: "contact", value: fingerprint.description, name: name)
                    case .organisation(let token): Recipient(type: "org", value: token)
                    case .role(let token): Recipient(type: "role", value: token)
                    }
                },
                kinds: provision.kinds.map(\.rawValue).sorted(),
                fields: provision.fields.sorted(),
                labels: provision.labels.sorted(),
                actions: provision.actions.map(\.rawValue).sorted(),
                dataFrom: provision.dataFrom.map(Timestamp.string),
                dataUntil: provision.dataUntil.map(Timestamp.string))
        }
    }

    func consent() throws(CasebookError) -> Consent {
        func bad(_ what: String) -> CasebookError {
            CasebookError(.invalidInput, "the consent record has an invalid \(what)")
        }
        func time(_ text: String, _ what: String) throws(CasebookError) -> Date {
            guard let date = Timestamp.parse(text) else { throw bad(what) }
            return date
        }
        let client: ClientReference
        do { client = try ClientReference(self.client) } catch { throw bad("client reference") }
        guard let method = ConsentMethod(rawValue: method) else { throw bad("method") }
        var provisions: [ConsentProvision] = []
        for encoded in self.provisions {
            guard let effect = ConsentEffect(rawValue: encoded.effect) else { throw bad("provision effect") }
            var purposes = Set<ConsentPurpose>()
            for text in encoded.purposes {
                guard let purpose = ConsentPurpose(rawValue: text) else { throw bad("purpose") }
                purposes.insert(purpose)
            }
            var recipients = Set<ConsentRecipient>()
            for recipient in encoded.recipients {
                switch (recipient.type, recipient.name) {
                case ("contact", let name?):
                    let fingerprint: IdentityFingerprint
                    do { fingerprint = try IdentityFingerprint(parsing: recipient.value) } catch { throw bad("contact fingerprint") }
                    recipients.insert(.contact(name: name, fingerprint: fingerprint))
                case ("org", nil): recipients.insert(.organisation(recipient.value))
                case ("role", nil): recipients.insert(.role(recipient.value))
                default: throw bad("recipient")
                }
            }
            var kinds = Set<RecordKind>()
            for text in encoded.kinds {
                guard let kind = RecordKind(rawValue: text) else { throw bad("record kind") }
                kinds.insert(kind)
            }
            var actions = Set<DisclosureAction>()
            for text in encoded.actions {
                guard let action = DisclosureAction(rawValue: text) else { throw bad("action") }
                actions.insert(action)
            }
            provisions.append(ConsentProvision(
                effect: effect, purposes: purposes, recipients: recipients, kinds: kinds,
                fields: Set(encoded.fields), labels: Set(encoded.labels), actions: actions,
                dataFrom: try encoded.dataFrom.map { text throws(CasebookError) in try time(text, "data-from") },
                dataUntil: try encoded.dataUntil.map { text throws(CasebookError) in try time(text, "data-until") }))
        }
        return Consent(
            id: id, version: version, client: client, recordedBy: recordedBy,
            recordedAt: try time(recordedAt, "recorded-at"), method: method, evidenceSHA256: evidenceSHA256,
            validFrom: try time(validFrom, "valid-from"), validUntil: try time(validUntil, "valid-until"),
            withdrawal: try withdrawal.map { w throws(CasebookError) in
                ConsentWithdrawal(time: try time(w.time, "withdrawal time"), reason: w.reason)
            },
            provisions: provisions)
    }
}
