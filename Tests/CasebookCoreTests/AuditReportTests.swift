import CasebookCore
import CasebookFormat
import Foundation
import Testing

/// Reports over a known log: exact CSV and JSON, the period, and hostile values escaped.
@Suite struct AuditReportTests {
    static let supervisor = "FVQE-8S0V-CZY6-4WW4-G44M-JWQD-5EDK-PKA2"
    static let police = "R0JV-M3T6-SXFS-DG2K-92VQ-V8VD-1C7W-PMVH"
    static let owner = "ZYGC-3E40-VFBF-0N3F-3MA0-XNM3-P263-VQG2"

    static func event(_ sequence: Int, _ time: String, _ action: AuditAction, configure: (inout AuditEvent) -> Void = { _ in }) -> AuditEvent {
        var event = AuditEvent(sequence: sequence, time: time, actor: "0204CD979A953B64", action: action)
        event.salt = String(repeating: "0", count: 32)
        configure(&event)
        return event
    }

    static let events: [AuditEvent] = [
        event(4, "2026-11-03T10:00:00Z", .handoverSealed) {
            $0.records = ["R1"]; $0.kinds = ["hii-session"]; $0.recipients = [supervisor]; $0.clients = ["C-0042"]
            $0.fields = ["focus", "plan"]; $0.purpose = "supervision"; $0.basis = ["CBET2MVAFV v1 sha256:7320"]; $0.digest = "d450"
            $0.handover = "23d3"
        },
        event(6, "2026-11-10T09:30:00Z", .handoverRefused) {
            $0.records = ["R2"]; $0.recipients = [police]; $0.client = "C-0043"; $0.purpose = "risk-management"; $0.detail = "denied"
        },
        event(9, "2026-11-20T16:45:10Z", .exportSealed) {
            $0.recipients = [police]; $0.clients = ["C-0042", "C-0043"]; $0.kinds = ["ddp-session", "hii-session"]
            $0.withheld = ["plan"]; $0.excluded = ["R2"]; $0.purpose = "court"; $0.basis = ["A v1 sha256:01", "B v2 sha256:02"]; $0.digest = "e1"
        },
        event(12, "2026-12-01T08:00:00Z", .exportPlaintext) {
            $0.clients = ["C-0042"]; $0.kinds = ["mentor-log"]; $0.purpose = "subject-access"; $0.digest = "f2"
        },
    ]

    static func verification(_ events: [AuditEvent], failure: AuditLogFailure? = nil) throws -> AuditVerification {
        AuditVerification(
            origin: "casebook.example/vault/00112233445566778899aabbccddeeff", ownerName: "Dr Amira Example",
            ownerFingerprint: try IdentityFingerprint(parsing: owner), exported: "2026-12-02T12:00:00Z", eventCount: 14,
            rootHash: MerkleHash.emptyTreeRoot, checkpoint: nil, trusted: [], ignored: [], failure: failure, events: events)
    }

    @Test func csvOfAKnownLog() throws {
        let report = try AuditReport(try Self.verification(Self.events), from: nil, until: nil)
        #expect(report.rows.map(\.outcome) == ["disclosed", "refused", "partial", "plaintext"])
        let expected = [
            "sequence,time,action,outcome,actor,recipients,clients,kinds,fields,withheld,excluded,purpose,basis,digest,detail,flagged",
            #",2026-12-02T12:00:00Z,verification,verified,ZYGC-3E40-VFBF-0N3F-3MA0-XNM3-P263-VQG2,,,,,,,,,47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=,"verified: 14 events, tree root 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=, no trusted checkpoint; log of Dr Amira Example, origin casebook.example/vault/00112233445566778899aabbccddeeff","#,
            "4,2026-11-03T10:00:00Z,handover.sealed,disclosed,0204CD979A953B64,FVQE-8S0V-CZY6-4WW4-G44M-JWQD-5EDK-PKA2,C-0042,hii-session,focus; plan,,,supervision,CBET2MVAFV v1 sha256:7320,d450,,",
            "6,2026-11-10T09:30:00Z,handover.refused,refused,0204CD979A953B64,R0JV-M3T6-SXFS-DG2K-92VQ-V8VD-1C7W-PMVH,C-0043,,all,,,risk-management,,,denied,",
            "9,2026-11-20T16:45:10Z,export.sealed,partial,0204CD979A953B64,R0JV-M3T6-SXFS-DG2K-92VQ-V8VD-1C7W-PMVH,C-0042; C-0043,ddp-session; hii-session,all,plan,R2,court,A v1 sha256:01; B v2 sha256:02,e1,,",
            "12,2026-12-01T08:00:00Z,export.plaintext,plaintext,0204CD979A953B64,,C-0042,mentor-log,all,,,subject-access,,f2,,",
        ].map { $0 + "\r\n" }.joined()
        #expect(report.csv() == expected)
    }

    @Test func jsonOfAKnownLogInAPeriod() throws {
        let report = try AuditReport(try Self.verification(Self.events, failure: .outOfSequence(index: 13, found: 14)),
                                     from: "2026-11-10", until: "2026-11-20")
        let expected = """
            {
              "format" : "casebook-audit-report/v1",
              "from" : "2026-11-10",
              "rows" : [
                {
                  "action" : "handover.refused",
                  "actor" : "0204CD979A953B64",
                  "basis" : [

                  ],
                  "clients" : [
                    "C-0043"
                  ],
                  "detail" : "denied",
                  "excluded" : [

                  ],
                  "flagged" : [

                  ],
                  "kinds" : [

                  ],
                  "outcome" : "refused",
                  "purpose" : "risk-management",
                  "recipients" : [
                    "R0JV-M3T6-SXFS-DG2K-92VQ-V8VD-1C7W-PMVH"
                  ],
                  "sequence" : 6,
                  "time" : "2026-11-10T09:30:00Z",
                  "withheld" : [

                  ]
                },
                {
                  "action" : "export.sealed",
                  "actor" : "0204CD979A953B64",
                  "basis" : [
                    "A v1 sha256:01",
                    "B v2 sha256:02"
                  ],
                  "clients" : [
                    "C-0042",
                    "C-0043"
                  ],
                  "digest" : "e1",
                  "excluded" : [
                    "R2"
                  ],
                  "flagged" : [

                  ],
                  "kinds" : [
                    "ddp-session",
                    "hii-session"
                  ],
                  "outcome" : "partial",
                  "purpose" : "court",
                  "recipients" : [
                    "R0JV-M3T6-SXFS-DG2K-92VQ-V8VD-1C7W-PMVH"
                  ],
                  "sequence" : 9,
                  "time" : "2026-11-20T16:45:10Z",
                  "withheld" : [
                    "plan"
                  ]
                }
              ],
              "until" : "2026-11-20",
              "verification" : {
                "events" : 14,
                "exported" : "2026-12-02T12:00:00Z",
                "fingerprint" : "ZYGC-3E40-VFBF-0N3F-3MA0-XNM3-P263-VQG2",
                "first-bad-index" : 13,
                "message" : "FAILED: the audit log is out of order at entry 13: the event there says it is entry 14 (events were inserted, removed or reordered)",
                "origin" : "casebook.example/vault/00112233445566778899aabbccddeeff",
                "owner" : "Dr Amira Example",
                "result" : "FAILED",
                "root" : "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
                "trusted" : [

                ]
              }
            }

            """
        #expect(String(decoding: report.json(), as: UTF8.self) == expected)
    }

    @Test func periodsAreCheckedAndInclusive() throws {
        let verification = try Self.verification(Self.events)
        #expect(try AuditReport(verification, from: "2026-11-03", until: "2026-11-03").rows.map(\.sequence) == [4])
        #expect(try AuditReport(verification, from: "2026-11-04", until: nil).rows.map(\.sequence) == [6, 9, 12])
        #expect(try AuditReport(verification, from: nil, until: "2026-11-30").rows.map(\.sequence) == [4, 6, 9])
        for (from, until) in [("2026-11-31", nil), ("2026-1-01", nil), (nil, "yesterday"), ("2026-11-05", "2026-11-04"), (nil, "2026-11-01T00:00:00Z")] as [(String?, String?)] {
            #expect(throws: CasebookError.self) { _ = try AuditReport(verification, from: from, until: until) }
        }
    }

    /// The log comes from someone else and may be hostile: spreadsheets must not run it,
    /// browsers must not render it as markup.
    @Test func hostileValuesAreDefused() throws {
        let hostile = Self.event(15, "2026-12-05T10:00:00Z", .handoverSealed) {
            $0.recipients = ["<img src=x onerror=alert(1)>"]; $0.clients = ["-2+3", "@SUM(A1)"]
            $0.purpose = #"=HYPERLINK("http://evil.example")"#; $0.detail = "<script>alert('x')</script>\u{202E}"
            $0.basis = ["a,b \"q\"\nline"]; $0.kinds = ["\tx", "+1"]
        }
        let report = try AuditReport(try Self.verification([hostile]), from: nil, until: nil)
        let csv = report.csv()
        let row = try #require(csv.components(separatedBy: "\r\n").dropFirst(2).first)
        #expect(row.contains(#","'=HYPERLINK(""http://evil.example"")","#))
        #expect(row.contains(",'-2+3; @SUM(A1),"))
        #expect(row.contains("'\tx; +1"))
        #expect(csv.contains("\"a,b \"\"q\"\"\nline\""))
        let html = report.html(names: [Self.supervisor: "Dr <b>Sam</b>"])
        #expect(!html.contains("<script") && !html.contains("<img") && !html.contains("\u{202E}"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\u{FFFD}"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        for external in ["href=", "url(", "@import", "<link", "<iframe", "<object"] { #expect(!html.contains(external)) }
    }

    @Test func htmlIsOneSelfContainedPageWithAChart() throws {
        let report = try AuditReport(try Self.verification(Self.events), from: nil, until: nil)
        let html = report.html(names: [Self.supervisor: "Dr Sam Example"])
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("Content-Security-Policy"))
        #expect(html.contains("<strong>VERIFIED</strong>"))
        #expect(html.components(separatedBy: "<svg").count == 2)
        // One lane per recipient, named where the reader knows them, a legend, and one marker per row.
        #expect(html.contains("Dr Sam Example (\(Self.supervisor))"))
        #expect(html.contains(">\(Self.police)</text>"))
        #expect(html.contains("(no recipient)"))
        for label in ["disclosed", "partial (sections or records withheld)", "refused", "plaintext export"] { #expect(html.contains(">\(label)</text>")) }
        #expect(html.contains(">2026-11-03</text>") && html.contains(">2026-12-01</text>"))
        #expect(html.components(separatedBy: "<title>").count - 1 == 1 + Self.events.count)
        let failed = try AuditReport(try Self.verification([], failure: .truncatedBundle(expected: 14, found: 3)), from: nil, until: nil)
        let page = failed.html()
        #expect(page.contains("<strong>VERIFICATION FAILED</strong>"))
        #expect(page.contains("No disclosure or refusal in this period."))
        #expect(page.contains("<dt>First bad entry</dt><dd>3</dd>"))
    }
}
