extension ConfigurationLimits {
    /// The limits on what `inputs: dockerfile` reads from a pull request's tree: a Dockerfile and an
    /// ignore file are as hostile as `gantry.yml`, so each loop over them has one of these bounds, and
    /// passing it is an error at the line where it is passed.
    package enum Dockerfile {
        /// A Dockerfile's or ignore file's size, in bytes: 1 MiB.
        package static let fileSize = 1 << 20
        /// The lines of a Dockerfile or an ignore file.
        package static let lines = 100_000
        /// The physical lines one instruction may continue over (with `\` at their end).
        package static let continuationLines = 10_000
        /// The here-documents of a whole Dockerfile.
        package static let heredocs = 1000
        /// The stages (`FROM` instructions) of a Dockerfile.
        package static let stages = 256
        /// The context sources (`COPY`/`ADD` sources and bind mounts) of a whole Dockerfile.
        package static let sources = 1000
        /// How deeply `${NAME:-${OTHER:-…}}` may nest.
        package static let expansionDepth = 16
        /// The length of one instruction's words once variables are expanded, in bytes.
        package static let expandedLength = 64 * 1024
        /// The patterns of an ignore file.
        package static let ignorePatterns = 10_000
        /// The length of one source, `--exclude` or ignore pattern once expanded, in bytes: git's longest path.
        package static let patternLength = 4096
        /// The matching steps that selecting the context files of one command's Dockerfiles may take,
        /// every service and both commits together (many services may name one hostile Dockerfile),
        /// sources and ignore patterns alike: one live position of a pattern at one byte of a path,
        /// and one per instruction and file. About 2 s in a release build.
        package static let matchSteps = 200_000_000
        /// The files of one build context that are matched against the Dockerfile's sources.
        package static let contextFiles = 200_000
    }
}
