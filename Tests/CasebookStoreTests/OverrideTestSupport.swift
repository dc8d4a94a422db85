import Testing
import Foundation
import CasebookCore
import CasebookCrypto
import CasebookFormat
import CasebookStore
import CasebookTestSupport

// What the override test files share: the fake clock, a requester and supervisor pair,
// and the check that a refusal changed nothing.
/// 2026-11-24T10:00:00Z: the fake "now" of these tests.
let start = Date(timeIntervalSince1970: 1_795_514_400)
let day: TimeInterval = 86_400

extension Party {
    var keyName: String { OverrideNote.keyName(for: fingerprint) }

    /// A card with this person's signing key but a new age key: another fingerprint, the same signer.
    func twinCard(name: String, role: PractitionerRole) throws -> IdentityCard {
        let keyID = raw.withUnsafeBytes { Array($0[64..<72]) }
        let twin = IdentitySecrets(agreement: X25519.PrivateKey(), signing: try signingKey(), signingKeyID: keyID)
        return try IdentityCard.make(name: name, role: role.rawValue, created: "2026-11-24T09:00:00Z", identity: twin)
    }
}

func lookUp(_ parties: HandoverParty...) -> (IdentityFingerprint) -> HandoverParty? {
    { fingerprint in parties.first { $0.card.fingerprint == fingerprint } }
}

func bytes(_ url: URL) throws -> [UInt8] { try [UInt8](Data(contentsOf: url)) }

/// Runs `body`, which must fail with `code`, and checks that the vault's database and audit
/// log did not change and that `output` (when given) was not created.
@discardableResult
func expectRefusal(_ code: CasebookError.Code, in person: Party, output: URL? = nil,
                           sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) throws -> CasebookError? {
    let before = try person.fixture.databaseBytes()
    let events = try person.vault().audit.events().count
    let error = expectCasebookError(code, body)
    #expect(error != nil, "expected a \(code) error", sourceLocation: sourceLocation)
    #expect(try person.fixture.databaseBytes() == before, "the database changed", sourceLocation: sourceLocation)
    #expect(try person.vault().audit.events().count == events, "an audit event was added", sourceLocation: sourceLocation)
    if let output { #expect(!FileManager.default.fileExists(atPath: output.path), "\(output.lastPathComponent) was written", sourceLocation: sourceLocation) }
    return error
}

/// Ada (psychologist) and Sam (supervisor), each with the other as a contact.
struct Pair {
    let ada: Party
    let sam: Party

    init() throws {
        ada = try Party("Dr Ada Example", role: .psychologist, clock: start)
        sam = try Party("Sam Supervisor", role: .supervisor, clock: start)
        try ada.vault().contacts.add(card: sam.card, confirmation: .fingerprint(sam.card.fingerprint.description))
        try sam.vault().contacts.add(card: ada.card, confirmation: .fingerprint(ada.card.fingerprint.description))
    }

    /// Ada requests an override to Sam (as a contact) at `time`, expiring a day later.
    func request(at time: Date = start, name: String = "request.txt", fields: [String] = ["risk-new-information", "risk-actions"],
                 specialCategories: [String] = [], expires: Date? = nil) throws -> (OverrideRequest, URL) {
        let url = ada.file(name)
        let (request, _) = try ada.vault(at: time).overrides.request(
            client: try ClientReference("C-0042"), to: .contact(sam.fingerprint), purpose: .riskManagement, fields: fields,
            specialCategories: specialCategories, citation: "Crime and Disorder Act 1998 s.115",
            justification: "Serious risk of harm to a named person; the police need the risk sections today.",
            consentSought: .unsafe, reason: "Asking would alert the client and raise the risk.", clientInformed: .deferred,
            expires: expires ?? time.addingTimeInterval(day), writingTo: url)
        return (request, url)
    }

    /// Sam approves the request file at `time`.
    func approve(_ request: URL, at time: Date = start.addingTimeInterval(3600), name: String = "approval.txt") throws -> URL {
        let url = sam.file(name)
        try sam.vault(at: time).overrides.approve(try bytes(request), requester: lookUp(ada.party), writingTo: url)
        return url
    }
}

