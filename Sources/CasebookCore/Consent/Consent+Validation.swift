public import Foundation
import CasebookFormat

extension Consent {
    /// Longest withdrawal reason.
    public static let maximumReasonLength = 500

    /// Checks every rule of a consent version and returns it unchanged, or throws an
    /// `.invalidInput` error naming the consent, the provision (1-based) and the rule:
    ///
    /// - the id is 10 Crockford base32 characters in canonical (upper-case) form;
    /// - the version is at least 1; `recordedBy` is 1–100 characters, trimmed, no control characters;
    /// - every time is a whole second; `validFrom` is before `validUntil`;
    /// - the evidence hash, when present, is 64 lower-case hex digits;
    /// - a withdrawal is not before `recordedAt`, and its reason is one trimmed line of 1–500 characters;
    /// - there is at least one provision; each names at least one purpose; a permit names at
    ///   least one recipient; a contact's name is valid and no fingerprint appears twice;
    ///   organisation and role tokens are well-formed; every field is a section of one of the
    ///   provision's kinds (of any kind when none is named); every label is well-formed;
    ///   `dataFrom` is before `dataUntil` when both are given.
    @discardableResult
    public func validated() throws(CasebookError) -> Consent {
        guard Self.isCanonicalID(id) else {
            throw CasebookError(.invalidInput, "consent id '\(id.prefix(40))' is not valid",
                                hint: "a consent id is 10 characters of 0-9 and A-Z without I, L, O, U (like a record id)")
        }
        func fail(_ message: String, hint: String? = nil) -> CasebookError {
            CasebookError(.invalidInput, "\(label): \(message)", hint: hint)
        }
        guard version >= 1 else { throw fail("the version must be 1 or more, not \(version)") }
        guard Self.isDisplayText(recordedBy, maximum: 100) else {
            throw fail("recorded-by must be a name of 1 to 100 characters, without surrounding spaces or control characters")
        }
        for (name, date) in [("recorded-at", recordedAt), ("valid-from", validFrom), ("valid-until", validUntil)] {
            guard Self.isWholeSecond(date) else { throw fail("\(name) must be a whole second") }
        }
        guard validFrom < validUntil else {
            throw fail("the validity window is empty: valid-from \(Timestamp.string(validFrom)) is not before valid-until \(Timestamp.string(validUntil))",
                       hint: "valid-until is the first moment the consent no longer covers")
        }
        if let evidenceSHA256 {
            guard evidenceSHA256.utf8.count == 64,
                  evidenceSHA256.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
            else { throw fail("the evidence hash must be a SHA-256 digest: 64 lower-case hex digits") }
        }
        if let withdrawal {
            guard Self.isWholeSecond(withdrawal.time) else { throw fail("the withdrawal time must be a whole second") }
            guard withdrawal.time >= recordedAt else {
                throw fail("withdrawn at \(Timestamp.string(withdrawal.time)), before this version was recorded (\(Timestamp.string(recordedAt)))")
            }
            guard Self.isDisplayText(withdrawal.reason, maximum: Self.maximumReasonLength) else {
                throw fail("the withdrawal reason must be one line of 1 to \(Self.maximumReasonLength) characters, without surrounding spaces or control characters")
            }
        }
        guard !provisions.isEmpty else {
            throw fail("a consent needs at least one provision")
        }
        for (offset, provision) in provisions.enumerated() {
            do throws(CasebookError) {
                try provision.validate()
            } catch {
                throw CasebookError(error.code, "\(label) provision \(offset + 1): \(error.message)", hint: error.hint)
            }
        }
        return self
    }

    /// The next version of this consent, withdrawn at `time` for `reason`, recorded at `time`
    /// by `recordedBy`. Throws when this version is already withdrawn, when `time` is before
    /// it was recorded, or when the reason is not valid.
    public func withdrawn(at time: Date, reason: String, recordedBy: String) throws(CasebookError) -> Consent {
        if let withdrawal {
            throw CasebookError(.refused, "\(label) is already withdrawn (since \(Timestamp.string(withdrawal.time)))",
                                hint: "a withdrawal is final; record a new consent if the client agrees again")
        }
        guard time >= recordedAt else {
            throw CasebookError(.invalidInput, "\(label) cannot be withdrawn at \(Timestamp.string(time)), before it was recorded (\(Timestamp.string(recordedAt)))")
        }
        var next = self
        next.version = version + 1
        next.recordedAt = time
        next.recordedBy = recordedBy
        next.withdrawal = ConsentWithdrawal(time: time, reason: reason)
        return try next.validated()
    }

    static func isCanonicalID(_ text: String) -> Bool {
        text.utf8.count == 10 && text.utf8.allSatisfy { RecordID.alphabet.contains($0) }
    }

    static func isWholeSecond(_ date: Date) -> Bool {
        let seconds = date.timeIntervalSince1970
        return seconds == seconds.rounded(.down) && abs(seconds) < 1e12
    }

    /// Trimmed, 1…maximum characters, no control characters.
    static func isDisplayText(_ text: String, maximum: Int) -> Bool {
        !text.isEmpty && text.count <= maximum
            && text.trimmingCharacters(in: .whitespacesAndNewlines) == text
            && !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}

extension ConsentProvision {
    /// Checks this provision alone (see ``Consent/validated()``); messages do not name it.
    public func validate() throws(CasebookError) {
        guard !purposes.isEmpty else {
            throw CasebookError(.invalidInput, "a provision must name at least one purpose",
                                hint: "the purposes are: " + ConsentPurpose.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if effect == .permit && recipients.isEmpty {
            throw CasebookError(.invalidInput, "a permit must name at least one recipient",
                                hint: "name a contact, org:NAME or role:ROLE")
        }
        var fingerprints = Set<IdentityFingerprint>()
        for recipient in recipients.sorted(by: { $0.canonicalKey < $1.canonicalKey }) {
            switch recipient {
            case .contact(let name, let fingerprint):
                guard Consent.isDisplayText(name, maximum: 100) else {
                    throw CasebookError(.invalidInput, "a contact's name must be 1 to 100 characters, without surrounding spaces or control characters")
                }
                guard fingerprints.insert(fingerprint).inserted else {
                    throw CasebookError(.invalidInput, "the contact with fingerprint \(fingerprint) is named twice")
                }
            case .organisation(let token):
                guard Self.isToken(token) else {
                    throw CasebookError(.invalidInput, "'org:\(token.prefix(70))' is not a valid organisation",
                                        hint: Self.tokenHint("org:probation-london"))
                }
            case .role(let token):
                guard Self.isToken(token) else {
                    throw CasebookError(.invalidInput, "'role:\(token.prefix(70))' is not a valid role",
                                        hint: Self.tokenHint("role:offender-manager"))
                }
            }
        }
        let scope = kinds.isEmpty ? RecordKind.allCases : RecordKind.allCases.filter(kinds.contains)
        for field in fields.sorted() {
            guard scope.contains(where: { $0.field(forKey: field) != nil }) else {
                let names = kinds.isEmpty ? "any record kind" : scope.map(\.rawValue).joined(separator: " or ")
                throw CasebookError(.invalidInput, "'\(field.prefix(70))' is not a section of \(names)",
                                    remedy: .showTemplate)
            }
        }
        for label in labels.sorted() {
            do throws(RecordInputError) {
                try RecordHeader.validateLabel(label)
            } catch {
                throw CasebookError(.invalidInput, error.message, hint: error.hint)
            }
        }
        for (name, date) in [("data-from", dataFrom), ("data-until", dataUntil)] {
            if let date, !Consent.isWholeSecond(date) {
                throw CasebookError(.invalidInput, "\(name) must be a whole second")
            }
        }
        if let dataFrom, let dataUntil, dataFrom >= dataUntil {
            throw CasebookError(.invalidInput,
                                "the data period is empty: data-from \(Timestamp.string(dataFrom)) is not before data-until \(Timestamp.string(dataUntil))",
                                hint: "data-until is the first session start the provision no longer covers")
        }
    }

    /// `[a-z0-9]+(-[a-z0-9]+)*`, at most ``ConsentRecipient/maximumTokenLength`` characters.
    static func isToken(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= ConsentRecipient.maximumTokenLength else { return false }
        var previousWasDash = true
        for byte in bytes {
            if byte == UInt8(ascii: "-") {
                if previousWasDash { return false }
                previousWasDash = true
            } else {
                guard (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) else { return false }
                previousWasDash = false
            }
        }
        return !previousWasDash
    }

    static func tokenHint(_ example: String) -> String {
        "use lower-case letters and digits, words joined by single '-', at most \(ConsentRecipient.maximumTokenLength) characters (e.g. \(example))"
    }
}
