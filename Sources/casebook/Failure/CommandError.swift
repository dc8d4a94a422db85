/// A failure the command line itself finds (a bad option value, no terminal, an editor that
/// failed), already in the terms of its exit statuses. The libraries' errors are classified
/// by `ErrorClassifier`; this one only passes through it.
struct CommandError: Error, Equatable, Sendable {
    let status: ExitStatus
    let message: String
    let hint: String?

    init(_ status: ExitStatus, _ message: String, hint: String? = nil) {
        self.status = status
        self.message = message
        self.hint = hint
    }
}
