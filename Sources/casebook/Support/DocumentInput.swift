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
            return try accept(try text(of: InputFile(path: file)))
        }
        if file == "-" || !Terminal.standardInputIsTerminal {
            return try accept(try text(of: InputFile.standardInput()))
        }
        return try EditorSession.edit(try editorInitial(), accept: accept)
    }

    /// The document in `input` (called `name` in messages): its size checked with `fstat`
    /// before it is read, and never more than one byte past the limit read, so a huge file,
    /// a pipe or a device is refused in little memory.
    static func text(of input: InputFile, named name: String? = nil) throws -> String {
        let limit = RecordService.maximumRecordBytes
        let source = name ?? input.path
        let bytes = try input.readAll(atMost: limit, else: CasebookError(.invalidInput, "\(source) is larger than \(limit / 1024) KiB"))
        guard let text = String(data: Data(bytes), encoding: .utf8) else {
            throw CommandError(.invalidInput, "\(source) is not UTF-8 text")
        }
        return text
    }
}
