import Foundation
import Testing
import CasebookTestSupport

@Suite struct NoteCommandTests {
    @Test func templatesForEveryKind() throws {
        let cli = try CLIFixture()
        for kind in SampleDocuments.kinds {
            let result = try cli.run("note", "template", "--kind", kind, "--client", "C-0042")
            #expect(result.status == 0)
            #expect(result.stdout.hasPrefix("---\n"))
            #expect(result.stdout.contains("kind: \(kind)"))
            #expect(result.stdout.contains("client: C-0042"))
            #expect(result.stdout.contains("\n## "))
        }
    }

    @Test func writeFindReadAmendEveryKind() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let memory = try MemoryFolder()
        var ids: [String: String] = [:]

        // HII from --file.
        let hiiFile = try cli.folder.write("hii.md", SampleDocuments.hii(marker: "alpha marker"))
        let hii = try cli.run("note", "new", "--kind", "hii-session", "--client", "C-0042", "--file", hiiFile.path)
        #expect(hii.status == 0, "\(hii.stderr)")
        ids["hii"] = cli.storedID(hii)

        // DDP from standard input.
        let ddp = try cli.run("note", "new", "--kind", "ddp-session", "--client", "C-0042", input: SampleDocuments.ddp(marker: "beta marker"))
        #expect(ddp.status == 0, "\(ddp.stderr)")
        ids["ddp"] = cli.storedID(ddp)

        // Mentor log through a scripted $EDITOR on tmpfs (--edit: the editor even though
        // standard input is not a terminal here).
        let editor = try editorScript(in: cli.folder, writing: SampleDocuments.mentor(client: "C-0077", marker: "gamma marker"))
        let mentor = try cli.run("note", "new", "--kind", "mentor-log", "--client", "C-0077", "--edit",
                                 environment: ["EDITOR": editor, "CASEBOOK_EDIT_DIR": memory.path])
        #expect(mentor.status == 0, "\(mentor.stderr)")
        ids["mentor"] = cli.storedID(mentor)
        #expect(try FileManager.default.contentsOfDirectory(atPath: memory.path).isEmpty)

        // Theological advice from --file -.
        let theo = try cli.run("note", "new", "--kind", "theological-advice", "--client", "C-0077", "--file", "-",
                               input: SampleDocuments.theological(client: "C-0077", marker: "delta marker"))
        #expect(theo.status == 0, "\(theo.stderr)")
        ids["theo"] = cli.storedID(theo)
        #expect(ids.values.count == 4)

        // List and filters.
        let list = try cli.run("note", "list")
        #expect(list.status == 0)
        #expect(list.stdout.split(separator: "\n").count == 5)
        for id in ids.values { #expect(list.stdout.contains(id)) }
        #expect(try cli.run("note", "list", "--client", "C-0077").stdout.split(separator: "\n").count == 3)
        #expect(try cli.run("note", "list", "--kind", "ddp-session").stdout.contains(ids["ddp"]!))
        #expect(try cli.run("note", "list", "--since", "2026-11-05", "--until", "2026-11-05").stdout.split(separator: "\n").count == 2)
        let json = try JSONSerialization.jsonObject(with: Data(try cli.run("note", "list", "--json").stdout.utf8)) as? [[String: Any]]
        #expect(json?.count == 4)
        let theoJSON = json?.first { $0["id"] as? String == ids["theo"] }
        #expect(theoJSON?["labels"] as? [String] == ["religious-belief"])

        // Search: case-insensitive, any field, with filters.
        let search = try cli.run("note", "search", "GAMMA Marker")
        #expect(search.stdout.contains(ids["mentor"]!))
        #expect(search.stdout.split(separator: "\n").count == 2)
        #expect(try cli.run("note", "search", "marker", "--client", "C-0042", "--json").stdout.contains(ids["hii"]!))
        let none = try cli.run("note", "search", "no such words")
        #expect(none.status == 0 && none.stdout.isEmpty && none.stderr.contains("No records match"))

        // Show.
        let show = try cli.run("note", "show", ids["hii"]!)
        #expect(show.stdout.contains("Record \(ids["hii"]!)"))
        #expect(show.stdout.contains("alpha marker"))
        #expect(show.stdout.contains("## Risk: immediate concern"))

        // Amend from stdin and through the editor (pre-filled with the latest revision).
        let amendedText = SampleDocuments.hii(marker: "alpha marker, amended")
        let amend = try cli.run("note", "amend", ids["hii"]!, "--reason", "added detail", input: amendedText)
        #expect(amend.status == 0, "\(amend.stderr)")
        #expect(amend.stdout.contains("revision 2"))
        let editor2 = try editorScript(in: cli.folder, writing: SampleDocuments.hii(marker: "alpha marker, amended twice"), name: "editor2.sh")
        let amend2 = try cli.run("note", "amend", ids["hii"]!, "--reason", "second pass", "--edit",
                                 environment: ["EDITOR": editor2, "CASEBOOK_EDIT_DIR": memory.path])
        #expect(amend2.status == 0, "\(amend2.stderr)")
        let history = try cli.run("note", "history", ids["hii"]!)
        #expect(history.stdout.split(separator: "\n").count == 4)
        #expect(history.stdout.contains("added detail"))
        #expect(history.stdout.contains("second pass"))
        let first = try cli.run("note", "show", ids["hii"]!, "--revision", "1").stdout
        #expect(first.contains("alpha marker.") && !first.contains("amended"))
        #expect(try cli.run("note", "show", ids["hii"]!).stdout.contains("amended twice"))
        let shown = try JSONSerialization.jsonObject(with: Data(try cli.run("note", "show", ids["hii"]!, "--json").stdout.utf8)) as? [String: Any]
        #expect((shown?["revision"] as? [String: Any])?["revision"] as? Int == 3)
        #expect(((shown?["record"] as? [String: Any])?["sections"] as? [String: String])?["session-number"] == "3")
    }

    @Test func badDocumentsAreRefusedWithTheirLine() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let good = SampleDocuments.hii()
        try cli.expectFailure(3, ["note", "new", "--kind", "hii-session", "--client", "C-0042"],
                              input: good.replacingOccurrences(of: "## Focus", with: "## Foccus"), message: "line ")
        try cli.expectFailure(3, ["note", "new", "--kind", "hii-session", "--client", "C-0042"],
                              input: good.replacingOccurrences(of: "## Session number\n3\n", with: ""), message: "session")
        try cli.expectFailure(3, ["note", "new", "--kind", "mentor-log", "--client", "C-0042"], input: good, message: "--kind")
        try cli.expectFailure(3, ["note", "new", "--kind", "hii-session", "--client", "C-0043"], input: good, message: "--client")
        try cli.expectFailure(3, ["note", "new", "--kind", "hii-session", "--client", "C-0042"],
                              input: good.replacingOccurrences(of: "2026-11-03T10:00:00Z", with: "2026-13-03T10:00:00Z"), message: "line 4: month 13")
        try cli.expectFailure(3, ["note", "new", "--kind", "hii-session", "--client", "C-0042"],
                              input: good.replacingOccurrences(of: "client: C-0042", with: "client: Jane Doe"), message: "line 3")
        try cli.expectFailure(3, ["note", "new", "--kind", "hii-session", "--client", "C-0042"], input: "", message: "line 1: expected '---'")
        try cli.expectFailure(4, ["note", "new", "--kind", "hii-session", "--client", "C-0042", "--file", "/nonexistent/note.md"],
                              message: "cannot read")
        try cli.expectFailure(3, ["note", "new", "--kind", "hii-session", "--client", "C-0042"], input: "\u{FFFE}binary\0junk", message: "NUL")
        try cli.expectFailure(4, ["note", "show", "0000000000"], message: "no record")
        try cli.expectFailure(3, ["note", "show", "bad id!"], message: "not a record id")
        try cli.expectFailure(2, ["note", "amend", "0000000000", "--file", "x"], message: "reason")
        #expect(try cli.run("note", "list").stdout.isEmpty)
    }

    @Test func editorIsRefusedWithoutAnInMemoryFolder() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let editor = try editorScript(in: cli.folder, writing: SampleDocuments.mentor())
        try cli.expectFailure(9, ["note", "new", "--kind", "mentor-log", "--client", "C-0042", "--edit"],
                              environment: ["EDITOR": editor, "CASEBOOK_EDIT_DIR": "/nonexistent/shm"], message: "in-memory")
        // A folder on a disk filesystem is refused too (when the test's temporary folder is not tmpfs).
        if try !isTmpfs(cli.folder.path) {
            try cli.expectFailure(9, ["note", "new", "--kind", "mentor-log", "--client", "C-0042", "--edit"],
                                  environment: ["EDITOR": editor, "CASEBOOK_EDIT_DIR": cli.folder.path], message: "not tmpfs")
        }
        // The editor never sees the passphrase.
        let memory0 = try MemoryFolder()
        let document = try cli.folder.write("m.md", SampleDocuments.mentor())
        let nosy = try cli.folder.write("nosy.sh", "#!/bin/sh\n[ -z \"$CASEBOOK_PASSPHRASE\" ] || exit 4\ncat '\(document.path)' > \"$1\"\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: nosy.path)
        let stored = try cli.run("note", "new", "--kind", "mentor-log", "--client", "C-0042", "--edit",
                                 environment: ["EDITOR": nosy.path, "CASEBOOK_EDIT_DIR": memory0.path])
        #expect(stored.status == 0, "\(stored.stderr)")
        // An editor that leaves swap files and a subfolder behind: all wiped.
        let messy = try cli.folder.write("messy.sh", "#!/bin/sh\ncat '\(document.path)' > \"$1\"\nmkdir \"$(dirname \"$1\")/sub\"\necho secret > \"$(dirname \"$1\")/sub/.note.md.swp\"\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: messy.path)
        #expect(try cli.run("note", "new", "--kind", "mentor-log", "--client", "C-0042", "--edit",
                            environment: ["EDITOR": messy.path, "CASEBOOK_EDIT_DIR": memory0.path]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: memory0.path).isEmpty)

        let failing = try cli.folder.write("fail.sh", "#!/bin/sh\nexit 3\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: failing.path)
        let memory = try MemoryFolder()
        try cli.expectFailure(9, ["note", "new", "--kind", "mentor-log", "--client", "C-0042", "--edit"],
                              environment: ["EDITOR": failing.path, "CASEBOOK_EDIT_DIR": memory.path], message: "editor exited")
        #expect(try FileManager.default.contentsOfDirectory(atPath: memory.path).isEmpty)
    }

    @Test func importIsAllOrNothing() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        func line(_ client: String, extra: String = "") -> String {
            #"{"kind":"mentor-log","client":"\#(client)","start":"2026-10-01T09:00:00Z","duration":30,"modality":"phone","attendance":"attended","labels":[],"sharing-summary":"","sections":{"contact-type":"Phone","planned":"planned","initiated-by":"mentor"\#(extra)}}"#
        }
        let bad = try cli.folder.write("bad.jsonl", [line("C-0001"), line("C-0002"), line("C-0003", extra: #","mood":"x""#)].joined(separator: "\n") + "\n")
        try cli.expectFailure(3, ["note", "import", bad.path], message: "line 3")
        let good = try cli.folder.write("good.jsonl", (1...25).map { line(String(format: "C-%04d", $0)) }.joined(separator: "\n") + "\n")
        let result = try cli.run("note", "import", good.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Imported 25 records."))
        #expect(try cli.run("note", "list", "--json").stdout.components(separatedBy: "\"id\"").count == 26)
        try cli.expectFailure(4, ["note", "import", cli.folder.file("missing.jsonl").path], message: "cannot read")
    }

    @Test func malformedColumnIsAnIntegrityErrorNotACrash() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        try sqlite(cli, "UPDATE vault SET kdf_opslimit = 'abc'")
        try cli.expectFailure(6, ["note", "list"], message: "malformed")
    }

    @Test func revisionPointerRolledBackIsDetected() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let id = cli.storedID(try cli.run("note", "new", "--kind", "hii-session", "--client", "C-0042", input: SampleDocuments.hii()))!
        #expect(try cli.run("note", "amend", id, "--reason", "detail", input: SampleDocuments.hii(marker: "more")).status == 0)
        try sqlite(cli, "UPDATE records SET latest_revision = 1")
        try cli.expectFailure(6, ["note", "show", id], message: "revision count")
        try cli.expectFailure(6, ["note", "history", id], message: "revision count")
        // A pointer past the last revision: listings report it instead of dropping the record.
        try sqlite(cli, "UPDATE records SET latest_revision = 5")
        try cli.expectFailure(6, ["note", "list"], message: "summary does not decrypt")
        try cli.expectFailure(6, ["note", "list", "--json"], message: "no readable latest revision")
        try cli.expectFailure(6, ["note", "search", "x"], message: "no readable latest revision")
    }

    private func sqlite(_ cli: CLIFixture, _ sql: String) throws {
        try cli.sql(sql)
    }

    @Test func tamperedRowIsAnIntegrityError() throws {
        let cli = try CLIFixture()
        try cli.initVault()
        let first = cli.storedID(try cli.run("note", "new", "--kind", "hii-session", "--client", "C-0042", input: SampleDocuments.hii()))!
        let second = cli.storedID(try cli.run("note", "new", "--kind", "hii-session", "--client", "C-0042",
                                              input: SampleDocuments.hii(marker: "second")))!
        let sql = """
            DROP TRIGGER revisions_append_only_update;
            UPDATE revisions SET sealed_body = (SELECT sealed_body FROM revisions WHERE record_id = '\(first)') WHERE record_id = '\(second)';
            """
        try cli.sql(sql)
        try cli.expectFailure(6, ["note", "show", second], message: "record integrity")
        // A listing summary copied onto another record is refused too.
        try sqlite(cli, "UPDATE records SET sealed_summary = (SELECT sealed_summary FROM records WHERE id = '\(first)') WHERE id = '\(second)'")
        try cli.expectFailure(6, ["note", "list"], message: "summary does not decrypt")
        // A search reads the records its text may be in: the altered one is among them.
        try cli.expectFailure(6, ["note", "search", "second"], message: "record integrity")
        #expect(try cli.run("note", "show", first).status == 0)
    }
}

func isTmpfs(_ path: String) throws -> Bool {
    let process = Process()
    let output = Pipe()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/stat")
    process.arguments = ["-f", "-c", "%T", path]
    process.standardOutput = output
    try process.run()
    process.waitUntilExit()
    return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).hasPrefix("tmpfs")
}
