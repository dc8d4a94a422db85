import Foundation

/// An override file (docs/formats.md §8): a C2SP signed note whose text is the line
/// `casebook-override/v1` and one line of the request's canonical JSON. The request file
/// carries the requester's signature; the approval file is the same note with the
/// approver's signature added below it. Each key name is
/// `casebook.example/identity/<card fingerprint>` and each key is the Ed25519 key inside
/// that person's minisign key.
///
/// Parsing checks the form only; the signatures are checked by the vault against its
/// contacts (a note verifier per card: `keyName(for:)` and the card's Ed25519 key). Nothing
/// in it may be trusted before that.
public struct OverrideNote: Sendable {
    public static let keyNamePrefix = "casebook.example/identity/"

    public let note: SignedNote
    public let request: OverrideRequest
    /// The fingerprint each signature's key name names, in signature order: the requester
    /// first, then (in an approval) the approver.
    public let signers: [IdentityFingerprint]

    /// The signature key name for a card fingerprint.
    public static func keyName(for fingerprint: IdentityFingerprint) -> String {
        keyNamePrefix + fingerprint.description
    }

    /// The signed text: the format line and the canonical JSON line, each ending in LF;
    /// refused when the JSON line is longer than a signed note allows.
    public static func text(for request: OverrideRequest) throws(WireFormatError) -> String {
        let json = request.canonicalJSON()
        guard json.count <= SignedNote.maxLineBytes else {
            throw WireFormatError(.invalid, "the override request is \(json.count) bytes long as JSON; at most \(SignedNote.maxLineBytes) fit on its signed line",
                                hint: "shorten the justification, the reason or the citation")
        }
        return OverrideRequest.formatName + "\n" + String(decoding: json, as: UTF8.self) + "\n"
    }

    /// Reads an override file strictly: a well-formed signed note; exactly the two text
    /// lines; canonical JSON with exactly the known keys and valid values; one or two
    /// signatures, each by a Casebook identity key name, the first naming the requester.
    /// The request's fields and labels are checked against the domain's (`sectionKeys`,
    /// `specialCategoryLabels`), which Format does not know.
    public init(parsing bytes: [UInt8], sectionKeys: Set<String>, specialCategoryLabels: Set<String>) throws(WireFormatError) {
        func bad(_ message: String, hint: String? = nil) -> WireFormatError {
            WireFormatError(.invalid, "not a valid override file: \(message)", hint: hint)
        }
        let note: SignedNote
        do {
            note = try SignedNote(parsing: bytes)
        } catch .invalidKeyName {
            throw bad("a signature line has an invalid key name")
        } catch {
            throw bad("\(error)")
        }
        let lines = Array(note.text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false)
        let first = String(decoding: lines.first ?? [], as: UTF8.self)
        guard first.utf8.elementsEqual(OverrideRequest.formatName.utf8) else {
            if first.utf8.starts(with: "casebook-override/".utf8) {
                throw WireFormatError(.unsupportedVersion, "this override file has the format '\(DisplayText.escaped(String(first.prefix(40)), limit: 100))'; this Casebook reads only \(OverrideRequest.formatName)",
                                    hint: "update Casebook")
            }
            throw bad("its first line must be \(OverrideRequest.formatName)")
        }
        // "format LF json LF" splits into the format, the JSON and the empty rest.
        guard lines.count == 3, lines[2].isEmpty, !lines[1].isEmpty else {
            throw bad("its text must be exactly two lines: \(OverrideRequest.formatName) and the request's JSON")
        }
        let json = Array(lines[1])
        let request: OverrideRequest
        do {
            request = try JSONDecoder().decode(OverrideRequest.self, from: Data(json))
        } catch let error as DecodingError {
            throw bad("its JSON is not an override request\(Self.place(of: error))")
        } catch {
            throw bad("its JSON is not an override request")
        }
        guard request.canonicalJSON() == json else {
            throw bad("its JSON is not in canonical form (unknown keys, key order, spacing or escapes)")
        }
        self.request = try request.validated(sectionKeys: sectionKeys, specialCategoryLabels: specialCategoryLabels)
        guard (1...2).contains(note.signatures.count) else {
            throw bad("it has \(note.signatures.count) signatures; a request has 1 and an approval 2")
        }
        var signers: [IdentityFingerprint] = []
        for (index, signature) in note.signatures.enumerated() {
            guard let fingerprint = Self.fingerprint(inKeyName: signature.name) else {
                throw bad("signature \(index + 1) is not by a Casebook identity key (\(Self.keyNamePrefix)<fingerprint>)")
            }
            signers.append(fingerprint)
        }
        guard signers[0] == request.requester.fingerprint else {
            throw bad("its first signature is not by the requester it names (\(request.requester.fingerprint))")
        }
        self.note = note
        self.signers = signers
    }

    /// The fingerprint in a key name, only in its displayed (canonical) form.
    public static func fingerprint(inKeyName name: String) -> IdentityFingerprint? {
        guard name.utf8.starts(with: keyNamePrefix.utf8) else { return nil }
        let rest = String(decoding: name.utf8.dropFirst(keyNamePrefix.utf8.count), as: UTF8.self)
        guard let fingerprint = try? IdentityFingerprint(parsing: rest), fingerprint.description.utf8.elementsEqual(rest.utf8) else {
            return nil
        }
        return fingerprint
    }

    /// ` (at 'recipient.kind')`: where in the JSON a decoding error is, when every key on
    /// the way is one of ours (a key from the file is never echoed).
    private static func place(of error: DecodingError) -> String {
        let path: [any CodingKey]
        switch error {
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        @unknown default: path = []
        }
        let names = path.filter { $0.intValue == nil }.map(\.stringValue)
        guard !names.isEmpty, names.allSatisfy(knownKeys.contains) else { return "" }
        return " (at '\(names.joined(separator: "."))')"
    }

    private static let knownKeys: Set<String> = [
        "id", "created", "expires", "requester", "client", "recipient", "purpose", "fields", "special-categories", "citation",
        "justification", "consent-sought", "reason", "client-informed", "kind", "fingerprint", "age", "name", "role",
    ]
}
