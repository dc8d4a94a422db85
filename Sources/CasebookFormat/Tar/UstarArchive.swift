/// POSIX ustar archives (POSIX.1-1988 `ustar` interchange format, as `tar
/// --format=ustar` writes it), restricted to what a Casebook handover payload needs:
/// a few regular files in one directory level (`handover.json`, `handover.json.minisig`).
///
/// What is written, per file: a 512-byte header, the contents, zero padding to a
/// multiple of 512; then two zero blocks; then zero padding of the whole archive
/// to a multiple of 10240 bytes (tar's default 20-block record). Header fields:
///
/// | field | bytes | written |
/// |---|---|---|
/// | name | 0–99 | 1–100 bytes of [A-Za-z0-9._-], NUL-padded |
/// | mode, uid, gid | 100–123 | `0000644\0`, `0000000\0`, `0000000\0` |
/// | size, mtime | 124–147 | 11 octal digits + NUL |
/// | chksum | 148–155 | 6 octal digits + NUL + space: the sum of the header's bytes with this field as spaces |
/// | typeflag | 156 | `0` (regular file) |
/// | linkname | 157–256 | NUL |
/// | magic, version | 257–264 | `ustar\0`, `00` |
/// | uname, gname | 265–328 | empty (NUL) |
/// | devmajor, devminor | 329–344 | `0000000\0` (as GNU tar writes them) |
/// | prefix, padding | 345–511 | NUL |
///
/// The reader accepts exactly that shape, with these tolerances, all of which are
/// canonical ustar and harmless to a reader that never touches the file system:
/// any mode of permission bits only (≤ 0777: no set-user-ID, set-group-ID or sticky
/// bit), since creators' umasks differ; uname and gname empty or `casebook`;
/// devmajor/devminor `0000000\0` or all NUL; and any whole number of 512-byte
/// zero blocks after the two end blocks. uid and gid must be 0. Everything else is
/// refused: bad checksums, non-ustar magic (including GNU's `ustar  `), any type but
/// a regular file (links, directories, devices, pax `x`/`g` and GNU `L`/`K`
/// headers), names with '/', "..", a leading '-' or other bytes, duplicate names,
/// non-canonical numbers, sizes past the end, non-zero padding, a missing end
/// marker, trailing garbage, and more entries or content than the limits allow.
public enum UstarArchive {
    public static let blockSize = 512
    /// Written archives are padded to a multiple of this (20 blocks, like tar).
    public static let recordSize = 10240
    /// Largest size or mtime 11 octal digits hold.
    public static let maximumFieldValue: UInt64 = 0o77777777777

    /// One regular file.
    public struct Entry: Equatable, Sendable {
        public let name: String
        public let contents: [UInt8]
        /// Seconds since 1970-01-01T00:00:00Z.
        public let modificationTime: UInt64

        public init(name: String, contents: [UInt8], modificationTime: UInt64) {
            self.name = name
            self.contents = contents
            self.modificationTime = modificationTime
        }
    }

    /// Bounds on what `read` accepts, set by the caller from what it expects.
    public struct Limits: Equatable, Sendable {
        public var maximumEntryCount: Int
        /// Bound on the sum of the entries' sizes.
        public var maximumTotalByteCount: Int

        public init(maximumEntryCount: Int = 16, maximumTotalByteCount: Int) {
            self.maximumEntryCount = maximumEntryCount
            self.maximumTotalByteCount = maximumTotalByteCount
        }
    }

    // MARK: Writing

    /// The archive holding `entries` in order. Refuses invalid or duplicate names
    /// and sizes or times that do not fit the header.
    public static func write(_ entries: [Entry]) throws(UstarError) -> [UInt8] {
        var names = Set<String>()
        var output: [UInt8] = []
        for (index, entry) in entries.enumerated() {
            if let problem = nameProblem(Array(entry.name.utf8)) {
                throw UstarError(.invalidName, "entry \(index + 1): the name \(problem)")
            }
            guard names.insert(entry.name).inserted else {
                throw UstarError(.duplicateName, "entry \(index + 1): the name '\(entry.name)' is used twice")
            }
            guard UInt64(entry.contents.count) <= maximumFieldValue else {
                throw UstarError(.limitExceeded, "entry \(index + 1): '\(entry.name)' is too large for a ustar archive")
            }
            guard entry.modificationTime <= maximumFieldValue else {
                throw UstarError(.limitExceeded, "entry \(index + 1): the modification time does not fit a ustar header")
            }
            output += header(for: entry)
            output += entry.contents
            output += [UInt8](repeating: 0, count: paddingCount(entry.contents.count))
        }
        output += [UInt8](repeating: 0, count: 2 * blockSize)
        let remainder = output.count % recordSize
        if remainder != 0 { output += [UInt8](repeating: 0, count: recordSize - remainder) }
        return output
    }

    static func header(for entry: Entry) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: blockSize)
        func put(_ bytes: [UInt8], at offset: Int) {
            block.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
        }
        put(Array(entry.name.utf8), at: Field.name.lowerBound)
        put(octal(0o644, digits: 7) + [0], at: Field.mode.lowerBound)
        put(octal(0, digits: 7) + [0], at: Field.uid.lowerBound)
        put(octal(0, digits: 7) + [0], at: Field.gid.lowerBound)
        put(octal(UInt64(entry.contents.count), digits: 11) + [0], at: Field.size.lowerBound)
        put(octal(entry.modificationTime, digits: 11) + [0], at: Field.mtime.lowerBound)
        block[Field.typeflag] = UInt8(ascii: "0")
        put(Array("ustar".utf8) + [0], at: Field.magic.lowerBound)
        put(Array("00".utf8), at: Field.version.lowerBound)
        put(octal(0, digits: 7) + [0], at: Field.devmajor.lowerBound)
        put(octal(0, digits: 7) + [0], at: Field.devminor.lowerBound)
        put(octal(UInt64(checksum(block)), digits: 6) + [0, 0x20], at: Field.checksum.lowerBound)
        return block
    }

    // MARK: Reading

    /// The regular files in `archive`, in order. Refuses anything but the shape
    /// described on the type, and archives beyond `limits`.
    public static func read(_ archive: [UInt8], limits: Limits) throws(UstarError) -> [Entry] {
        guard archive.count % blockSize == 0 else {
            throw UstarError(.malformed, "the archive is \(archive.count) bytes long, not a whole number of 512-byte blocks (truncated or not a tar archive)")
        }
        var entries: [Entry] = []
        var names = Set<String>()
        var total = 0
        var offset = 0
        while true {
            guard offset < archive.count else {
                throw UstarError(.malformed, offset: offset, "the archive ends without its two zero end-of-archive blocks (truncated)")
            }
            let block = archive[offset..<(offset + blockSize)]
            if isZero(block) {
                guard offset + 2 * blockSize <= archive.count, isZero(archive[(offset + blockSize)..<(offset + 2 * blockSize)]) else {
                    throw UstarError(.malformed, offset: offset, "a single zero block is not a valid end of archive (truncated, or data follows)")
                }
                offset += 2 * blockSize
                if !isZero(archive[offset...]) {
                    let garbage = archive[offset...].firstIndex(where: { $0 != 0 })!
                    throw UstarError(.malformed, offset: garbage - garbage % blockSize, "non-zero data after the end of the archive")
                }
                return entries
            }
            let index = entries.count + 1
            guard entries.count < limits.maximumEntryCount else {
                throw UstarError(.limitExceeded, offset: offset, "the archive has more than \(limits.maximumEntryCount) entries")
            }
            let (name, size, mtime) = try parseHeader(block, offset: offset, index: index)
            guard names.insert(name).inserted else {
                throw UstarError(.duplicateName, offset: offset, "entry \(index): the name '\(name)' appears twice")
            }
            guard size <= limits.maximumTotalByteCount - total else {
                throw UstarError(.limitExceeded, offset: offset, "entry \(index) ('\(name)'): the contents exceed the limit of \(limits.maximumTotalByteCount) bytes in total")
            }
            let start = offset + blockSize
            let padded = size + paddingCount(size)
            guard padded <= archive.count - start else {
                throw UstarError(.malformed, offset: offset, "entry \(index) ('\(name)'): the header claims \(size) bytes, past the end of the archive (truncated)")
            }
            guard isZero(archive[(start + size)..<(start + padded)]) else {
                throw UstarError(.malformed, offset: start + size - (start + size) % blockSize, "entry \(index) ('\(name)'): the padding after the contents is not zero")
            }
            total += size
            entries.append(Entry(name: name, contents: Array(archive[start..<(start + size)]), modificationTime: mtime))
            offset = start + padded
        }
    }

    private static func parseHeader(_ block: ArraySlice<UInt8>, offset: Int, index: Int) throws(UstarError) -> (String, Int, UInt64) {
        let header = Array(block)
        func refuse(_ code: UstarError.Code, _ message: String) -> UstarError {
            UstarError(code, offset: offset, "entry \(index): \(message)")
        }
        func fail(_ message: String) -> UstarError { refuse(.malformed, message) }
        func field(_ range: Range<Int>) -> [UInt8] { Array(header[range]) }

        let stored = field(Field.checksum)
        guard let storedSum = canonicalOctal(Array(stored[0..<6])), stored[6] == 0, stored[7] == 0x20 else {
            throw fail("the header checksum field is not 6 octal digits, NUL, space (not a ustar header)")
        }
        guard storedSum == UInt64(checksum(header)) else { throw fail("the header checksum does not match (corrupted header)") }

        guard field(Field.magic) == Array("ustar".utf8) + [0], field(Field.version) == Array("00".utf8) else {
            if field(Field.magic) + field(Field.version) == Array("ustar  ".utf8) + [0] {
                throw fail("this is a GNU-format header; only POSIX ustar is accepted (hint: tar --format=ustar)")
            }
            throw fail("the header is not POSIX ustar (magic 'ustar', version '00')")
        }
        let type = header[Field.typeflag]
        guard type == UInt8(ascii: "0") else {
            let what: String = switch type {
            case 0: "an old-style (V7) regular-file type flag; ustar requires '0'"
            case UInt8(ascii: "1"): "a hard link"
            case UInt8(ascii: "2"): "a symbolic link"
            case UInt8(ascii: "3"), UInt8(ascii: "4"): "a device"
            case UInt8(ascii: "5"): "a directory"
            case UInt8(ascii: "6"): "a FIFO"
            case UInt8(ascii: "x"), UInt8(ascii: "g"): "a pax extended header"
            case UInt8(ascii: "L"), UInt8(ascii: "K"): "a GNU long-name header"
            default: "an entry of unknown type"
            }
            throw refuse(.unsupportedEntry, "\(what); only regular files are accepted")
        }

        let nameField = field(Field.name)
        let nameLength = nameField.firstIndex(of: 0) ?? nameField.count
        guard nameField[nameLength...].allSatisfy({ $0 == 0 }) else { throw refuse(.invalidName, "the name field has bytes after its terminating NUL") }
        let nameBytes = Array(nameField[..<nameLength])
        if let problem = nameProblem(nameBytes) { throw refuse(.invalidName, "the name \(problem)") }
        let name = String(decoding: nameBytes, as: UTF8.self)

        guard let mode = canonicalOctalField(field(Field.mode)) else { throw fail("the mode is not 7 octal digits and a NUL") }
        guard mode <= 0o777 else { throw fail("the mode \(String(mode, radix: 8)) has bits other than permissions (set-user-ID, set-group-ID, sticky)") }
        guard canonicalOctalField(field(Field.uid)) == 0, canonicalOctalField(field(Field.gid)) == 0 else {
            throw fail("the owner and group must be 0, written as 0000000 and a NUL")
        }
        guard let size = canonicalOctalField(field(Field.size)) else { throw fail("the size is not 11 octal digits and a NUL") }
        guard let mtime = canonicalOctalField(field(Field.mtime)) else { throw fail("the modification time is not 11 octal digits and a NUL") }
        guard isZero(field(Field.linkname)[...]) else { throw fail("a regular file has a link name") }
        for (what, range) in [("owner name", Field.uname), ("group name", Field.gname)] {
            let value = field(range)
            let allowed = isZero(value[...]) || value == Array("casebook".utf8) + [UInt8](repeating: 0, count: range.count - 8)
            guard allowed else { throw fail("the \(what) must be empty or 'casebook'") }
        }
        for range in [Field.devmajor, Field.devminor] {
            let value = field(range)
            guard isZero(value[...]) || canonicalOctalField(value) == 0 else {
                throw fail("a regular file has device numbers")
            }
        }
        guard isZero(field(Field.prefix)[...]), isZero(field(Field.padding)[...]) else {
            throw fail("the name prefix and the header's padding must be empty (no directories)")
        }
        guard size <= UInt64(Int.max / 2) else { throw fail("the size is too large") }
        return (name, Int(size), mtime)
    }

    // MARK: Fields and helpers

    enum Field {
        static let name = 0..<100
        static let mode = 100..<108
        static let uid = 108..<116
        static let gid = 116..<124
        static let size = 124..<136
        static let mtime = 136..<148
        static let checksum = 148..<156
        static let typeflag = 156
        static let linkname = 157..<257
        static let magic = 257..<263
        static let version = 263..<265
        static let uname = 265..<297
        static let gname = 297..<329
        static let devmajor = 329..<337
        static let devminor = 337..<345
        static let prefix = 345..<500
        static let padding = 500..<512
    }

    /// Why `name` cannot be an entry name, or nil if it can.
    static func nameProblem(_ name: [UInt8]) -> String? {
        guard !name.isEmpty else { return "is empty" }
        guard name.count <= 100 else { return "is \(name.count) bytes long; at most 100 fit a ustar header" }
        for byte in name {
            let allowed = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            guard allowed else {
                if byte == UInt8(ascii: "/") { return "contains '/'; only files at the top level are allowed" }
                return "contains the byte 0x\(String(byte, radix: 16)); only ASCII letters, digits, '.', '_' and '-' are allowed"
            }
        }
        let text = String(decoding: name, as: UTF8.self)
        guard !text.contains("..") else { return "contains '..'" }
        guard text != "." else { return "is '.'" }
        guard name.first != UInt8(ascii: "-") else { return "starts with '-' (it would read as a command-line option)" }
        return nil
    }

    /// The sum of the header's bytes, its checksum field counted as eight spaces.
    static func checksum(_ header: [UInt8]) -> Int {
        var sum = 0
        for (index, byte) in header.enumerated() {
            sum += Field.checksum.contains(index) ? 0x20 : Int(byte)
        }
        return sum
    }

    /// `value` as exactly `digits` zero-padded octal digits.
    static func octal(_ value: UInt64, digits: Int) -> [UInt8] {
        let text = Array(String(value, radix: 8).utf8)
        precondition(text.count <= digits)
        return [UInt8](repeating: UInt8(ascii: "0"), count: digits - text.count) + text
    }

    /// The value of a string of octal digits only (no spaces, no sign, not empty).
    static func canonicalOctal(_ digits: [UInt8]) -> UInt64? {
        guard !digits.isEmpty else { return nil }
        var value: UInt64 = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else { return nil }
            value = value << 3 | UInt64(digit - UInt8(ascii: "0"))
        }
        return value
    }

    /// A numeric field in canonical form: all but the last byte octal digits, the last NUL.
    static func canonicalOctalField(_ field: [UInt8]) -> UInt64? {
        guard field.last == 0 else { return nil }
        return canonicalOctal(Array(field.dropLast()))
    }

    static func paddingCount(_ size: Int) -> Int {
        (blockSize - size % blockSize) % blockSize
    }

    static func isZero(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBytes { raw in
            var index = 0
            while index + 8 <= raw.count {
                if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) != 0 { return false }
                index += 8
            }
            while index < raw.count {
                if raw[index] != 0 { return false }
                index += 1
            }
            return true
        }
    }
}
