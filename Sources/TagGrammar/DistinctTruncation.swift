import Git

extension String {
    /// The name cut to `maximumLength` characters when it is longer, ending in `-` and 8 hex digits
    /// of a hash of `raw` (the text the name was made from), so that two long names that share a
    /// beginning stay apart; `separators` are dropped from the end of the cut part. Image tags and
    /// environment names are both cut this way.
    package func truncated(to maximumLength: Int, distinguishing raw: String, trimming separators: Set<Character>) -> String {
        guard count > maximumLength else { return self }
        let suffix = "-" + ObjectID(hashingBlob: raw).hex.prefix(8)
        var cut = String(prefix(maximumLength - suffix.count))
        while let last = cut.last, separators.contains(last) { cut.removeLast() }
        return cut + suffix
    }
}
