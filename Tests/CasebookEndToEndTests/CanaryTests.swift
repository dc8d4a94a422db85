import Foundation
import Testing
import CasebookTestSupport

/// A whole session with a unique canary string in the notes; afterwards no file in
/// the vault folder or the editing area may contain it, in any encoding we can think of.
@Suite struct CanaryTests {
    @Test func plaintextNeverReachesTheVaultOrTheTempArea() throws {
        let cli = try CLIFixture()
        let memory = try MemoryFolder()
        let canary = "CANARY-\(UUID().uuidString)"
        try cli.initVault(name: "Canary Practitioner")
        let client = "C-\(Int.random(in: 1000...9999))"

        var ids: [String] = []
        for kind in SampleDocuments.kinds {
            let result = try cli.run("note", "new", "--kind", kind, "--client", client,
                                     input: SampleDocuments.document(kind: kind, client: client, marker: canary))
            #expect(result.status == 0, "\(result.stderr)")
            ids.append(cli.storedID(result) ?? "")
        }
        let editor = try editorScript(in: cli.folder, writing: SampleDocuments.hii(client: client, marker: canary + " edited"))
        let edited = try cli.run("note", "amend", ids[0], "--reason", "canary \(canary) in the reason", "--edit",
                                 environment: ["EDITOR": editor, "CASEBOOK_EDIT_DIR": memory.path])
        #expect(edited.status == 0, "\(edited.stderr)")
        let jsonl = try cli.folder.write("import.jsonl", #"{"kind":"mentor-log","client":"\#(client)","start":"2026-10-01T09:00:00Z","modality":"phone","attendance":"attended","sections":{"contact-type":"\#(canary)","planned":"planned","initiated-by":"mentor"}}"# + "\n")
        #expect(try cli.run("note", "import", jsonl.path).status == 0)
        #expect(try cli.run("note", "search", canary).stdout.split(separator: "\n").count == 6)
        #expect(try cli.run("note", "show", ids[0]).stdout.contains(canary))
        #expect(try cli.run("passwd", environment: ["CASEBOOK_NEW_PASSPHRASE": "another long passphrase"]).status == 0)

        let needles = [canary, String(canary.reversed()), canary.lowercased(), client, "Canary Practitioner"]
        var files = FolderSnapshot.files(in: cli.vault)
        files.merge(FolderSnapshot.files(in: URL(fileURLWithPath: memory.path))) { first, _ in first }
        #expect(!files.isEmpty)
        for (path, data) in files {
            for needle in needles {
                #expect(data.range(of: Data(needle.utf8)) == nil, "\(needle) in \(path)")
                #expect(data.range(of: Data(needle.utf16.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] })) == nil, "UTF-16 \(needle) in \(path)")
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: memory.path).isEmpty)
    }
}
