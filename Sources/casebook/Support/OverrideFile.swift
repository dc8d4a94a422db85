import CasebookCore
import CasebookFormat
import Foundation

/// Reading an override request or approval named on the command line: its size checked with
/// `fstat` before it is read, and at most one byte more than a signed note may have read, so
/// an arbitrary file is never read whole.
enum OverrideFile {
    static func read(_ path: String) throws -> [UInt8] {
        try InputFile(path: path).readAll(atMost: SignedNote.maxNoteBytes, else: CasebookError(
            .invalidInput, "\(path) is larger than \(SignedNote.maxNoteBytes) bytes: not an override file"))
    }
}
