import Basics

/// What `gantry tags` is told beyond the configuration and the event.
package struct TagOptions: Sendable {
    /// A ref to tag as, such as `refs/tags/v1.2.0`, instead of the event's (or the checked-out branch).
    package var ref: String?
    /// For pull requests, tag the pull request's head commit rather than the merge commit, as
    /// metadata-action's `DOCKER_METADATA_PR_HEAD_SHA` does.
    package var usesPullRequestHeadSHA: Bool
    /// How many hex digits a short sha has, as metadata-action's `DOCKER_METADATA_SHORT_SHA_LENGTH`.
    package var shortSHALength: Int

    /// Creates options; by default metadata-action's defaults.
    package init(ref: String? = nil, usesPullRequestHeadSHA: Bool = false, shortSHALength: Int = 7) {
        self.ref = ref
        self.usesPullRequestHeadSHA = usesPullRequestHeadSHA
        self.shortSHALength = shortSHALength
    }

    /// Options from metadata-action's environment variables, so a workflow that set them keeps its tags.
    package init(ref: String?, environment: [String: String]) throws(GantryError) {
        self.init(ref: ref)
        // metadata-action tests the value with an unanchored, case-insensitive /true/.
        usesPullRequestHeadSHA = environment["DOCKER_METADATA_PR_HEAD_SHA"]?.lowercased().contains("true") ?? false
        if let length = environment["DOCKER_METADATA_SHORT_SHA_LENGTH"], !length.isEmpty {
            guard let value = Int(length), value > 0 else {
                throw .invalidValue(subject: "DOCKER_METADATA_SHORT_SHA_LENGTH", expected: "be a positive whole number", found: length)
            }
            shortSHALength = value
        }
    }
}
