/// One service's image as `gantry tags` computes it: where it is built from and what it is called.
package struct ServiceImage: Codable, Sendable, Equatable {
    /// The service's name.
    package var service: String
    /// The image name without a tag, lowercased as registries require.
    package var image: String
    /// The version: the rules' first tag, as metadata-action's `version` output.
    package var version: String
    /// Full references, `image:tag`, main tag first and `latest` last.
    package var tags: [String]
    /// OCI labels, `org.opencontainers.image.*` and the configured ones.
    package var labels: [String: String]
    /// The build context, relative to the repository root.
    package var context: String
    /// The Dockerfile, relative to the repository root.
    package var dockerfile: String
    /// `build_args`, for the bake file; nil when the service has none.
    package var buildArguments: [String: String]? = nil
    /// `target`, the Dockerfile stage the bake file builds; nil for the last stage.
    package var target: String? = nil
}
