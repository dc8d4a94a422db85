public import CasebookFormat
import Foundation

/// How a person confirmed that a card is their colleague's: a card is never added
/// unconfirmed, because a contact's keys decide whom handovers go to and whose signatures
/// count. Made only by ``fingerprint(_:)`` (the fingerprint read out, checked against the
/// card when it is added) or ``askingPerson(card:name:ask:)`` (the person said yes after
/// seeing the card's fingerprint); ``ContactService/add(card:name:confirmation:)`` checks it.
public struct ContactConfirmation: Sendable {
    enum Method: Sendable {
        /// The fingerprint its owner read out, to compare with the card's.
        case fingerprint(IdentityFingerprint)
        /// A person looked at this fingerprint and confirmed it.
        case person(IdentityFingerprint)
    }

    let method: Method

    /// The fingerprint its owner read to you, as typed (`--fingerprint`); refused when it is
    /// not a fingerprint at all.
    public static func fingerprint(_ typed: String) throws(CasebookError) -> ContactConfirmation {
        do {
            return ContactConfirmation(method: .fingerprint(try IdentityFingerprint(parsing: typed)))
        } catch {
            throw CasebookError(.invalidInput, "is not a card fingerprint: \(error.message)", remedy: .typeFingerprintAsShown, argument: .fingerprint)
        }
    }

    /// Asks a person (through `ask`, given the name the contact will have; it shows the
    /// question in the interface's words and returns their answer, nil when there is none)
    /// to compare the card's fingerprint with the one its owner reads out. Anything but `y`
    /// or `yes` is `.refused`: nothing is added unconfirmed.
    public static func askingPerson(card: IdentityCard, name: String? = nil,
                                    ask: (_ localName: String) throws -> String?) throws -> ContactConfirmation {
        let localName = name ?? card.name
        let answer = try ask(localName)
        guard let answer, ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw Self.notConfirmed(localName)
        }
        return ContactConfirmation(method: .person(card.fingerprint))
    }

    /// Refuses unless this confirms `card`: a fingerprint typed must be the card's, and a
    /// person's yes must have been given for this card.
    func check(_ card: IdentityCard, name: String) throws(CasebookError) {
        switch method {
        case .fingerprint(let expected):
            guard expected == card.fingerprint else {
                throw CasebookError(.invalidInput, "the card's fingerprint \(card.fingerprint) does not match the fingerprint given, \(expected); nothing was stored",
                                    hint: "the card may have been altered or be someone else's: get it again from \(card.name) and compare in person or by phone")
            }
        case .person(let confirmed):
            guard confirmed == card.fingerprint else { throw Self.notConfirmed(name) }
        }
    }

    private static func notConfirmed(_ name: String) -> CasebookError {
        CasebookError(.refused, "\(name) was not added: the fingerprint was not confirmed")
    }
}
