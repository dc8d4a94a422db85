import CasebookCore
import CasebookCrypto
import CasebookFormat
import Foundation
import Testing


extension ConsentFixtures {
    @Suite("Consent evaluation")
    struct ConsentEvaluationTests {
        @Test(arguments: cases)
        func rule(_ testCase: EvaluationCase) throws {
            let decision = try ConsentEvaluator.evaluate(testCase.request, consents: testCase.consents)
            #expect(render(decision) == testCase.expected)
            // The outcome and the reasons agree with the records.
            #expect(decision.reasons.isEmpty == (decision.outcome == .permit))
        }

        @Test func reliesOnTheDecidingConsentsWithTheirHashes() throws {
            let first = consent([permit(fields: ["focus"])])
            let second = consent([deny(to: [supervisor], fields: ["plan"])], id: "C0NSENT002")
            let unused = consent([permit([.court])], id: "C0NSENT003")
            let decision = try ConsentEvaluator.evaluate(request(), consents: [unused, second, first])
            #expect(decision.reliedOn == [
                ConsentReliance(consentID: "C0NSENT001", version: 1, hash: first.canonicalHash),
                ConsentReliance(consentID: "C0NSENT002", version: 1, hash: second.canonicalHash),
            ])
            #expect(first.canonicalHash == Hex.encode(SHA256.hash(first.canonicalBytes())))
            #expect(decision.records[0].basis.map(\.description) == [
                "consent C0NSENT001 v1 provision 1", "consent C0NSENT002 v1 provision 1"])
            #expect(decision.reasons == [
                "record R1: no provision permits section 'session-number' for supervision",
                "record R1: no provision permits section 'risk-immediate-concern' for supervision",
                "record R1: section 'plan' denied by consent C0NSENT002 v1 provision 1",
            ])
        }

        @Test func defaultDenyReliesOnNothing() throws {
            let decision = try ConsentEvaluator.evaluate(request(), consents: [consent([permit()], until: requestTime)])
            #expect(decision.outcome == .deny)
            #expect(decision.reliedOn.isEmpty)
            #expect(decision.reasons == [
                "record R1: no provision permits the hii-session record for supervision",
                "consent C0NSENT001 v1 expired at 2026-12-01T12:00:00Z",
            ])
        }

        @Test func withdrawnVersionIsReliedOnBeforeItsWithdrawal() throws {
            let withdrawn = consent([permit()], withdrawal: .init(time: at("2026-12-05T00:00:00Z"), reason: "client asked"))
            let before = try ConsentEvaluator.evaluate(request(), consents: [withdrawn])
            #expect(before.reliedOn == [ConsentReliance(consentID: "C0NSENT001", version: 1, hash: withdrawn.canonicalHash)])
            let after = try ConsentEvaluator.evaluate(request(time: at("2026-12-05T00:00:00Z")), consents: [withdrawn])
            #expect(after.outcome == .deny)
        }

        @Test func withheldSectionsOfAWithheldRecordAreListed() throws {
            let decision = try ConsentEvaluator.evaluate(request(), consents: [])
            let record = decision.records[0]
            #expect(record.withheldKeys == ["session-number", "focus", "risk-immediate-concern", "plan"])
            #expect(record.withheldFields.allSatisfy { $0.reason == .recordWithheld })
            #expect(record.allowedFields.isEmpty)
        }

        @Test func badRequestsAndContradictoryVersionsAreErrors() {
            func message(_ request: DisclosureRequest, _ consents: [Consent] = []) -> String? {
                do {
                    _ = try ConsentEvaluator.evaluate(request, consents: consents)
                    return nil
                } catch {
                    return error.message
                }
            }
            #expect(message(request([])) == "a disclosure request needs at least one record")
            #expect(message(request([hii, hii])) == "record 'R1' is empty or given twice in the request")
            var wrong = hii
            wrong.sections = ["tradition"]
            #expect(message(request([wrong])) == "record R1: 'tradition' is not a section of a hii-session record")
            #expect(message(request(to: DisclosureRecipient(organisation: "Probation London")))
                    == "the recipient's organisation 'Probation London' is not a valid token")
            #expect(message(request(), [consent([permit()]), consent([deny()])]) == "consent C0NSENT001 v1 is given twice")
            #expect(message(request(), [consent([permit()]), consent([permit()], version: 2, recordedAt: at("2025-12-01T00:00:00Z"))])
                    == "consent C0NSENT001 v2 was recorded before consent C0NSENT001 v1")
            let withdrawal = ConsentWithdrawal(time: at("2026-02-01T00:00:00Z"), reason: "client asked")
            #expect(message(request(), [consent([permit()], withdrawal: withdrawal),
                                        consent([permit()], version: 2, recordedAt: at("2026-03-01T00:00:00Z"))])
                    == "consent C0NSENT001 v2 does not keep the withdrawal of consent C0NSENT001 v1")
            var invalid = consent([permit()])
            invalid.provisions = []
            #expect(message(request(), [invalid]) == "consent C0NSENT001 v1: a consent needs at least one provision")
        }
    }

    @Suite("Consent validation and canonical form")
    struct ConsentValidationTests {
        static let invalid: [(String, @Sendable (inout Consent) -> Void, String)] = [
            ("id", { $0.id = "c0nsent001" }, "consent id 'c0nsent001' is not valid"),
            ("id letters", { $0.id = "CONSENT001" }, "consent id 'CONSENT001' is not valid"),
            ("version", { $0.version = 0 }, "consent C0NSENT001 v0: the version must be 1 or more, not 0"),
            ("recorded-by", { $0.recordedBy = " Dr X" },
             "consent C0NSENT001 v1: recorded-by must be a name of 1 to 100 characters, without surrounding spaces or control characters"),
            ("whole second", { $0.recordedAt = Date(timeIntervalSince1970: 1.5) }, "consent C0NSENT001 v1: recorded-at must be a whole second"),
            ("window", { $0.validUntil = $0.validFrom },
             "consent C0NSENT001 v1: the validity window is empty: valid-from 2026-01-01T00:00:00Z is not before valid-until 2026-01-01T00:00:00Z"),
            ("evidence", { $0.evidenceSHA256 = String(repeating: "AB", count: 32) },
             "consent C0NSENT001 v1: the evidence hash must be a SHA-256 digest: 64 lower-case hex digits"),
            ("withdrawal before recording", { $0.withdrawal = .init(time: at("2026-01-01T08:59:59Z"), reason: "x") },
             "consent C0NSENT001 v1: withdrawn at 2026-01-01T08:59:59Z, before this version was recorded (2026-01-01T09:00:00Z)"),
            ("withdrawal reason", { $0.withdrawal = .init(time: at("2026-02-01T00:00:00Z"), reason: "") },
             "consent C0NSENT001 v1: the withdrawal reason must be one line of 1 to 500 characters, without surrounding spaces or control characters"),
            ("no provision", { $0.provisions = [] }, "consent C0NSENT001 v1: a consent needs at least one provision"),
            ("no purpose", { $0.provisions = [permit([])] },
             "consent C0NSENT001 v1 provision 1: a provision must name at least one purpose"),
            ("permit without recipient", { $0.provisions = [deny(), permit(to: [])] },
             "consent C0NSENT001 v1 provision 2: a permit must name at least one recipient"),
            ("fingerprint twice", { $0.provisions = [permit(to: [supervisor, .contact(name: "Other", fingerprint: fpSupervisor)])] },
             "consent C0NSENT001 v1 provision 1: the contact with fingerprint AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH is named twice"),
            ("org token", { $0.provisions = [permit(to: [.organisation("Probation")])] },
             "consent C0NSENT001 v1 provision 1: 'org:Probation' is not a valid organisation"),
            ("role token", { $0.provisions = [permit(to: [.role("offender--manager")])] },
             "consent C0NSENT001 v1 provision 1: 'role:offender--manager' is not a valid role"),
            ("unknown field", { $0.provisions = [permit(fields: ["notes"])] },
             "consent C0NSENT001 v1 provision 1: 'notes' is not a section of any record kind"),
            ("field of another kind", { $0.provisions = [permit(kinds: [.mentorLog, .ddpSession], fields: ["focus"])] },
             "consent C0NSENT001 v1 provision 1: 'focus' is not a section of ddp-session or mentor-log"),
            ("label", { $0.provisions = [permit(labels: ["Health"])] },
             "consent C0NSENT001 v1 provision 1: invalid label 'Health'"),
            ("data period", { $0.provisions = [permit(from: at("2026-02-01T00:00:00Z"), until: at("2026-01-01T00:00:00Z"))] },
             "consent C0NSENT001 v1 provision 1: the data period is empty: data-from 2026-02-01T00:00:00Z is not before data-until 2026-01-01T00:00:00Z"),
        ]

        @Test(arguments: invalid.indices)
        func rejects(_ index: Int) {
            let (_, change, expected) = Self.invalid[index]
            var candidate = consent([permit(), deny(fields: ["plan"])])
            change(&candidate)
            do {
                try candidate.validated()
                Issue.record("accepted: \(Self.invalid[index].0)")
            } catch {
                #expect(error.code == .invalidInput)
                #expect(error.message == expected)
            }
        }

        @Test func acceptsTheFixtures() throws {
            try consent([permit(), deny(fields: ["plan"])]).validated()
            try consent([permit(kinds: [.theologicalAdvice], fields: ["theme"], labels: ["religious-belief"],
                                actions: [.export], from: at("2026-01-01T00:00:00Z"), until: at("2026-06-01T00:00:00Z"))]).validated()
        }

        @Test func canonicalBytesAreExact() {
            let example = Consent(
                id: "C0NSENT001", version: 2, client: client, recordedBy: "Dr Psychologist", recordedAt: at("2026-01-01T09:00:00Z"),
                method: .verbal, validFrom: at("2026-01-01T00:00:00Z"), validUntil: at("2027-01-01T00:00:00Z"),
                provisions: [permit([.supervision, .court], to: [probation, supervisor], fields: ["plan", "focus"]), deny(labels: ["health"])])
            let expected = #"{"client":"C-0042","format":"casebook-consent\/v1","id":"C0NSENT001","method":"verbal","provisions":["#
                .replacingOccurrences(of: "\\/", with: "/")
                + #"{"actions":[],"effect":"permit","fields":["focus","plan"],"kinds":[],"labels":[],"purposes":["court","supervision"],"#
                + #""recipients":[{"name":"Dr Supervisor","type":"contact","value":"AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH"},{"type":"org","value":"probation-london"}]},"#
                + #"{"actions":[],"effect":"deny","fields":[],"kinds":[],"labels":["health"],"purposes":["supervision"],"recipients":[]}],"#
                + #""recorded-at":"2026-01-01T09:00:00Z","recorded-by":"Dr Psychologist","valid-from":"2026-01-01T00:00:00Z","#
                + #""valid-until":"2027-01-01T00:00:00Z","version":2}"#
            #expect(String(decoding: example.canonicalBytes(), as: UTF8.self) == expected)
            #expect(example.canonicalHash == Hex.encode(SHA256.hash(Array(expected.utf8))))
        }

        @Test func canonicalRoundTripAndStrictness() throws {
            let withdrawn = try consent([permit(labels: ["religious-belief"], from: at("2026-01-01T00:00:00Z")), deny(fields: ["plan"])])
                .withdrawn(at: at("2026-03-01T10:00:00Z"), reason: "client withdrew at the session", recordedBy: "Dr Psychologist")
            let bytes = withdrawn.canonicalBytes()
            #expect(try Consent.decodeCanonical(bytes) == withdrawn)
            // Any change in a provision changes the hash.
            var narrower = withdrawn
            narrower.provisions[1].fields = ["focus"]
            #expect(narrower.canonicalHash != withdrawn.canonicalHash)

            let text = String(decoding: bytes, as: UTF8.self)
            func message(_ text: String) -> String? {
                do {
                    _ = try Consent.decodeCanonical(Array(text.utf8))
                    return nil
                } catch {
                    return error.message
                }
            }
            #expect(message(text.replacingOccurrences(of: "\"version\":2", with: "\"version\": 2"))
                    == "the consent record is not in canonical form (unknown keys, order, spacing or escapes)")
            #expect(message(text.replacingOccurrences(of: "\"fields\":[\"plan\"]", with: "\"fields\":[\"plan\",\"plan\"]"))
                    == "the consent record is not in canonical form (unknown keys, order, spacing or escapes)")
            #expect(message(text.replacingOccurrences(of: "\"id\":", with: "\"extra\":1,\"id\":"))
                    == "the consent record is not in canonical form (unknown keys, order, spacing or escapes)")
            #expect(message(text.replacingOccurrences(of: "casebook-consent/v1", with: "casebook-consent/v2"))
                    == "the consent record has format 'casebook-consent/v2', not casebook-consent/v1")
            #expect(message(text.replacingOccurrences(of: "\"verbal\"", with: "\"telepathic\"").replacingOccurrences(of: "\"written\"", with: "\"telepathic\""))
                    == "the consent record has an invalid method")
            #expect(message(text.replacingOccurrences(of: "\"fields\":[\"plan\"]", with: "\"fields\":[\"notes\"]"))
                    == "consent C0NSENT001 v2 provision 2: 'notes' is not a section of any record kind")
            #expect(message("[]") == "not a Casebook consent record (the JSON does not have the consent fields)")
        }

        @Test func withdrawingTwiceIsRefused() throws {
            let withdrawn = try consent([permit()]).withdrawn(at: at("2026-03-01T10:00:00Z"), reason: "client asked", recordedBy: "Dr P")
            #expect(withdrawn.version == 2)
            #expect(withdrawn.withdrawal == ConsentWithdrawal(time: at("2026-03-01T10:00:00Z"), reason: "client asked"))
            #expect(throws: CasebookError(.refused, "consent C0NSENT001 v2 is already withdrawn (since 2026-03-01T10:00:00Z)",
                                          hint: "a withdrawal is final; record a new consent if the client agrees again")) {
                _ = try withdrawn.withdrawn(at: at("2026-03-02T10:00:00Z"), reason: "again", recordedBy: "Dr P")
            }
            #expect(throws: CasebookError(.invalidInput, "consent C0NSENT001 v1 cannot be withdrawn at 2025-03-02T10:00:00Z, before it was recorded (2026-01-01T09:00:00Z)")) {
                _ = try consent([permit()]).withdrawn(at: at("2025-03-02T10:00:00Z"), reason: "too early", recordedBy: "Dr P")
            }
            #expect(throws: CasebookError(.invalidInput, "consent C0NSENT001 v2: the withdrawal reason must be one line of 1 to 500 characters, without surrounding spaces or control characters")) {
                _ = try consent([permit()]).withdrawn(at: at("2026-03-02T10:00:00Z"), reason: "two\nlines", recordedBy: "Dr P")
            }
        }
    }
}
