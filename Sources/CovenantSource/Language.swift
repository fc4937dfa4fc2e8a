/// The languages every user-facing message exists in.
public enum Language: String, Sendable, Hashable, CaseIterable {
    case en
    case zh

    /// Picks the language from a POSIX locale string such as `zh_CN.UTF-8`; English otherwise.
    public static func fromLocale(_ locale: String?) -> Language {
        guard let locale, !locale.isEmpty else { return .en }
        return locale.lowercased().hasPrefix("zh") ? .zh : .en
    }
}

/// A text in both of Covenant's languages.
public struct LocalizedText: Hashable, Sendable {
    /// The English wording.
    public var en: String
    /// The Chinese wording.
    public var zh: String

    /// Creates a text from its two wordings.
    public init(en: String, zh: String) {
        self.en = en
        self.zh = zh
    }

    /// The wording in `language`.
    public func text(_ language: Language) -> String {
        switch language {
        case .en: return en
        case .zh: return zh
        }
    }
}
