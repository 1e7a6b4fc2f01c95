import Config

extension ChangesDocument {
    /// `{"include": [...]}`, ready for `strategy.matrix`: one entry per changed service, or, when more
    /// services changed than a workflow may start jobs, the services packed into balanced entries.
    package struct Matrix: Codable, Sendable, Equatable {
        /// GitHub refuses a matrix of more entries than this.
        package static let gitHubJobLimit = 256

        /// One job's build inputs.
        ///
        /// One service: `service`, `image`, `context`, `dockerfile`, and `target` when it builds a
        /// named stage (`docker/build-push-action`'s `target: ${{ matrix.target }}`). Packed: `service` holds the
        /// names separated by spaces (for a job's name, or `for service in $SERVICES`) and
        /// `services` the same names as a list; `gantry tags --service NAME…` gives their images.
        package struct Entry: Codable, Sendable, Equatable {
            /// The service's name; in a packed entry, the names separated by spaces.
            package var service: String
            /// The names of a packed entry's services, sorted; nil for one service.
            package var services: [String]?
            /// Its image name, without a tag; nil in a packed entry.
            package var image: String?
            /// Its build context; nil in a packed entry.
            package var context: String?
            /// Its Dockerfile; nil in a packed entry.
            package var dockerfile: String?
            /// The Dockerfile stage it builds; nil for the last stage, and in a packed entry.
            package var target: String?
        }

        /// The jobs, in the order of their services' names.
        package var include: [Entry]

        /// One entry per service when there are at most `jobLimit`; otherwise exactly `jobLimit`
        /// entries of consecutive services (by name) whose sizes differ by one at most.
        init(_ services: [Service], jobLimit: Int) {
            precondition(jobLimit >= 1, "a matrix needs room for one job")
            guard services.count > jobLimit else {
                include = services.map {
                    Entry(service: $0.name, image: $0.image, context: $0.context, dockerfile: $0.dockerfile, target: $0.target)
                }
                return
            }
            let (size, larger) = services.count.quotientAndRemainder(dividingBy: jobLimit)
            var start = 0
            include = (0..<jobLimit).map { job in
                let end = start + size + (job < larger ? 1 : 0)
                defer { start = end }
                let names = services[start..<end].map(\.name)
                return Entry(service: names.joined(separator: " "), services: names)
            }
        }
    }
}
