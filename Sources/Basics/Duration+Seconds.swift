extension Duration {
    /// The duration in seconds, for reports and records, which keep plain numbers.
    package var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// The duration in milliseconds.
    package var inMilliseconds: Double { inSeconds * 1000 }

    /// A duration of `seconds`, as records keep it.
    package init(seconds: Double) { self = .microseconds(Int64((seconds * 1_000_000).rounded())) }
}
