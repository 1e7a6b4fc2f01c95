/// One service's image as `gantry tags` computes it: where it is built from and what it is called.
public struct ImagePlan: Codable, Sendable, Equatable {
    /// The service's name.
    public var service: String
    /// The image name without a tag, lowercased as registries require.
    public var image: String
    /// The version: the rules' first tag, as metadata-action's `version` output.
    public var version: String
    /// Full references, `image:tag`, main tag first and `latest` last.
    public var tags: [String]
    /// OCI labels, `org.opencontainers.image.*` and the configured ones.
    public var labels: [String: String]
    /// The build context, relative to the repository root.
    public var context: String
    /// The Dockerfile, relative to the repository root.
    public var dockerfile: String
}
