internal import CSodium

/// One-time libsodium initialisation. Every entry point of this module calls
/// `Sodium.ready()` before touching a primitive; `sodium_init` is idempotent and
/// thread-safe, the `static let` makes the call happen once per process.
enum Sodium {
    private static let initialised: Bool = sodium_init() >= 0

    static func ready() {
        precondition(initialised, "libsodium could not be initialised")
    }
}
