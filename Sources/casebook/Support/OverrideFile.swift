import CasebookCore
import CasebookFormat
import Foundation

/// Reading an override request or approval named on the command line: at most one byte more
/// than a signed note may have, so an arbitrary file is never read whole.
enum OverrideFile {
    static func read(_ path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path),
              let data = try? handle.read(upToCount: SignedNote.maxNoteBytes + 1) ?? Data() else {
            throw CommandError(.notFound, "cannot read \(path)")
        }
        try? handle.close()
        guard data.count <= SignedNote.maxNoteBytes else {
            throw CommandError(.invalidInput, "\(path) is larger than \(SignedNote.maxNoteBytes) bytes: not an override file")
        }
        return Array(data)
    }
}
