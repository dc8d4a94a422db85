import CasebookCore

/// An output file named on the command line that Casebook will create: refused at once if
/// something is already there (see `ExclusiveFile.checkAbsent`), before any passphrase is
/// asked for or work is done.
enum NewFile {
    static func checkAbsent(_ path: String, flag: String = "-o") throws {
        guard path != "-" else {
            throw CommandError(.usage, "\(flag) needs a file name; this command does not write to standard output")
        }
        try ExclusiveFile.checkAbsent(path)
    }
}
