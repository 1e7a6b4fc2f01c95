import GantryKit

/// What `gantry tags` computed, as the state directory records it; `--format json` and the bake
/// file are views of it.
package struct TagsDocument: Codable, Sendable, Equatable {
    /// The event in a few words, such as "push of refs/heads/main".
    package var event: String
    /// The commit the images are built from.
    package var commit: String
    /// Why no service is listed when none is, such as "no service changed".
    package var note: String?
    /// One image per service, in the configuration's order.
    package var images: [ServiceImage]

    /// Creates a document.
    package init(event: String, commit: String, note: String? = nil, images: [ServiceImage]) {
        self.event = event
        self.commit = commit
        self.note = note
        self.images = images
    }
}
