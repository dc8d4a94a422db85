import CasebookCore
import Glibc

/// An output file named on the command line that Casebook will create: refused at once if
/// something is already there (checked again, atomically, when it is created), before any
/// passphrase is asked for or work is done.
enum NewFile {
    static func checkAbsent(_ path: String, flag: String = "-o") throws {
        guard path != "-" else {
            throw CommandError(.usage, "\(flag) needs a file name; this command does not write to standard output")
        }
        var info = stat()
        if lstat(path, &info) == 0 {
            throw CommandError(.alreadyExists, "\(path) already exists", hint: "choose a new file name; Casebook does not overwrite files")
        }
    }
}
