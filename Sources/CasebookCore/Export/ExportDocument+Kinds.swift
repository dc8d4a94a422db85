public import CasebookFormat

/// `export.md` with this Casebook's record kinds: Format renders it, the domain names the
/// kinds and orders their sections.
extension ExportDocument {
    /// Every ``RecordKind`` with its title and fields, as Format's plain values.
    public static let recordKinds: KindTitles = Dictionary(uniqueKeysWithValues: RecordKind.allCases.map { kind in
        (kind.rawValue, KindTitle(title: kind.title, fields: kind.fields.map { KindTitle.Field(key: $0.key, title: $0.title) }))
    })

    public static func markdown(_ manifest: ExportManifest) -> String {
        markdown(manifest, kinds: recordKinds)
    }
}
