import CasebookCore
import Foundation

/// Where a note document comes from: `--file` (or `-`), standard input when it is
/// not a terminal, otherwise the editor.
enum DocumentInput {
    /// The document, turned into a value by `accept` (which validates it). In the
    /// editor, a document that `accept` rejects can be corrected instead of lost.
    static func read<T>(file: String?, edit: Bool, editorInitial: () throws -> String, accept: (String) throws -> T) throws -> T {
        if edit {
            guard file == nil else { throw CommandError(.usage, "use either --file or --edit, not both") }
            return try EditorSession.edit(try editorInitial(), accept: accept)
        }
        if let file, file != "-" {
            return try accept(try readFile(file))
        }
        if file == "-" || !Terminal.standardInputIsTerminal {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return try accept(try decode(data, from: "standard input"))
        }
        return try EditorSession.edit(try editorInitial(), accept: accept)
    }

    static func readFile(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw CommandError(.notFound, "cannot read \(path): no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandError(.notFound, "cannot read \(path): permission denied or unreadable")
        }
        return try decode(data, from: path)
    }

    static func decode(_ data: Data, from source: String) throws -> String {
        guard data.count <= RecordService.maximumRecordBytes else {
            throw CommandError(.invalidInput, "\(source) is larger than \(RecordService.maximumRecordBytes / 1024) KiB")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CommandError(.invalidInput, "\(source) is not UTF-8 text")
        }
        return text
    }
}
