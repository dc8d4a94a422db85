internal import CSodium

/// Comparisons whose running time does not depend on where the inputs differ.
public enum ConstantTime {
    /// True when `a` and `b` have the same length and the same bytes.
    public static func equals(_ a: some ContiguousBytesView, _ b: some ContiguousBytesView) -> Bool {
        Sodium.ready()
        return a.withBytes { left in
            b.withBytes { right in
                guard left.count == right.count else { return false }
                if left.count == 0 { return true }
                return sodium_memcmp(address(left), address(right), left.count) == 0
            }
        }
    }
}
