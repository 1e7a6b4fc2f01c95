import Basics
import Config
import Dockerfile
import Git
import PathPattern

/// `type=tree`: a content hash of everything a service's image is built from, at a commit: the files
/// it owns, the files of its build context (Docker sees them; a context of "." is the whole repository,
/// so then every commit changes the hash), both less what `ignore` excludes, as `changes` counts them, the files of the groups and services it
/// depends on (transitively), its Dockerfile, and its own configuration. A commit that touches none of these leaves the hash unchanged, so an image
/// already pushed under that tag need not be rebuilt; any change to them changes it. With `inputs:
/// dockerfile`, the context's files are only those its Dockerfile reads (`DockerfileInputs`), with the
/// Dockerfile, its ignore file and the build arguments.
///
/// The hash is the git blob id of a manifest (one line per input), so `git hash-object` of the same
/// manifest reproduces it.
package struct InputHash {
    /// The configuration the services come from.
    package var configuration: Configuration
    /// The repository.
    package var repository: Repository
    /// The commit whose contents are hashed.
    package var commit: ObjectID

    /// The commit's tree, read once for every service.
    private var index: TreeIndex
    /// What a selection of files from `paths` less `ignore` holds, sorted and rendered once for every
    /// service that makes it; at most `cachedFilesLimit` files in all.
    private var selections: [Selection: ManifestLines] = [:]
    private var cachedFiles = 0
    /// The build contexts of `inputs: dockerfile` services, by directory, counted in `cachedFiles` too.
    private var contexts: [String: BuildContext] = [:]
    /// The last manifest written.
    private var manifest: [UInt8] = []
    /// Holding every selection of 1,000 services over a 200,000-file tree would take gigabytes; past
    /// this many files, a selection is made for the service that asks and not kept.
    private static let cachedFilesLimit = 1_000_000
    /// The matching work every service's `inputs: dockerfile` shares, so a Dockerfile that many
    /// services name costs no more than the limit.
    private var budget = MatchBudget()

    /// Creates a hasher for one commit.
    package init(configuration: Configuration, repository: Repository, commit: ObjectID) {
        self.configuration = configuration
        self.repository = repository
        self.commit = commit
        index = TreeIndex(repository: repository, commit: commit)
    }

    /// The full hash of a service's inputs, 40 hexadecimal digits; tags use a prefix of it.
    package mutating func hash(of service: Service) throws(GantryError) -> ObjectID {
        try write(manifestOf: service)
        return ObjectID(hashingBlob: manifest)
    }

    /// The manifest that is hashed: the configuration line first, then `mode id path` per input file.
    package mutating func manifest(of service: Service) throws(GantryError) -> String {
        try write(manifestOf: service)
        return String(decoding: manifest, as: UTF8.self)
    }

    /// Writes a service's manifest into `manifest`, whose memory every service reuses.
    private mutating func write(manifestOf service: Service) throws(GantryError) {
        var selected: [ManifestLines] = []
        var files: [TreeFile] = []
        var visited = Set<String>()
        try collect(service, into: &selected, visited: &visited)
        let context = service.context == "." ? "**" : service.context + "/**"
        if service.inputsFromDockerfile {
            let context = try buildContext(service.context == "." ? "" : service.context + "/")
            let inputs = try DockerfileInputs(service: service, repository: repository, commit: commit, budget: &budget) { _ in
                context.listing
            }
            files += inputs.readers.keys.flatMap { context.files[$0] ?? [] }.filter { !service.ignore.matches($0.path) }
            for path in [inputs.dockerfile, inputs.ignoreFile].compactMap(\.self) where !service.ignore.matches(path) {
                if let file = try file(at: path) { files.append(file) }
            }
        } else if let contextPattern = try? PathPattern(context) {
            selected.append(try selection(Selection(paths: PathPatternList([contextPattern]), ignore: service.ignore)))
        }
        if let dockerfile = try file(at: service.dockerfile) { files.append(dockerfile) }
        // The largest selection is spliced with the rest, so a shared one is neither copied file by file nor sorted again.
        let largest = selected.indices.max { selected[$0].files.count < selected[$1].files.count }
        if let largest { files += selected.indices.filter { $0 != largest }.flatMap { selected[$0].files } }
        manifest.removeAll(keepingCapacity: true)
        manifest += (Self.configurationLine(of: service) + "\n").utf8
        if let largest {
            selected[largest].append(mergedWith: files, to: &manifest)
        } else {
            manifest += ManifestLines(sorting: files).bytes
        }
    }

    private mutating func collect(_ service: Service, into selected: inout [ManifestLines], visited: inout Set<String>)
        throws(GantryError)
    {
        guard visited.insert("service \(service.name)").inserted else { return }
        selected.append(try selection(Selection(paths: service.paths, ignore: service.ignore)))
        for dependency in service.dependencies {
            if let group = configuration.groups.first(where: { $0.name == dependency.name }) {
                guard visited.insert("group \(group.name)").inserted else { continue }
                selected.append(try selection(Selection(paths: group.paths, ignore: PathPatternList([]))))
            } else if let other = configuration.service(named: dependency.name) {
                try collect(other, into: &selected, visited: &visited)
            }
        }
    }

    /// The commit's files that `selection.paths` include and its `ignore` does not, reading only the
    /// directories the paths can match in.
    private mutating func selection(_ selection: Selection) throws(GantryError) -> ManifestLines {
        if let cached = selections[selection] { return cached }
        let patterns = selection.paths
        let directories = Set(patterns.patterns.filter { !$0.isNegated }.map(\.literalDirectory))
        // A pattern with no literal directory can match anywhere: read the whole tree.
        let roots =
            directories.contains("")
            ? [""]
            : directories.filter { directory in
                !directories.contains { $0 != directory && directory.hasPrefix($0) }
            }
        var files: [TreeFile] = []
        for root in roots.sorted() {
            files += try listing(of: String(root)).filter { patterns.matches($0.path) && !selection.ignore.matches($0.path) }
        }
        let lines = ManifestLines(sorting: files)
        if cachedFiles + lines.files.count <= Self.cachedFilesLimit {
            selections[selection] = lines
            cachedFiles += lines.files.count
        }
        return lines
    }

    /// The files of a build context (its directory, "" or ending in `/`), listed and indexed once for
    /// every `inputs: dockerfile` service built from it, within `cachedFilesLimit` like the selections.
    private mutating func buildContext(_ directory: String) throws(GantryError) -> BuildContext {
        if let known = contexts[directory] { return known }
        let files = try listing(of: directory)
        let context = BuildContext(
            listing: ContextListing(files: files.map { String(decoding: $0.path.utf8.dropFirst(directory.utf8.count), as: UTF8.self) }),
            files: Dictionary(grouping: files, by: \.path))
        if cachedFiles + files.count <= Self.cachedFilesLimit {
            cachedFiles += files.count
            contexts[directory] = context
        }
        return context
    }

    private mutating func listing(of directory: String) throws(GantryError) -> ArraySlice<TreeFile> {
        do {
            return try index.files(under: directory)
        } catch {
            throw .repository("cannot list \(directory.isEmpty ? "the files" : directory) of \(commit.abbreviated): \(error.message)")
        }
    }

    private func file(at path: String) throws(GantryError) -> TreeFile? {
        do {
            return try repository.file(at: commit, path: path)
        } catch {
            throw .repository("cannot read \(path) of \(commit.abbreviated): \(error.message)")
        }
    }

    /// A build context's files: listed for its Dockerfiles' sources, and by repository path.
    private struct BuildContext {
        var listing: ContextListing
        /// Grouped, as `readers` is keyed: two paths Swift deems equal are both inputs when read.
        var files: [String: [TreeFile]]
    }

    /// Files selected by path patterns, less ignored ones.
    private struct Selection: Hashable {
        var paths: PathPatternList
        var ignore: PathPatternList
    }

    /// Everything in the configuration that shapes the image, in a fixed order.
    private static func configurationLine(of service: Service) -> String {
        let parts = [
            "service=\(service.name)", "image=\(service.image)", "context=\(service.context)", "dockerfile=\(service.dockerfile)",
            "paths=\(service.paths.patterns.map(\.description).joined(separator: ","))",
            "ignore=\(service.ignore.patterns.map(\.description).joined(separator: ","))",
            "depends_on=\(service.dependencies.map(\.name).joined(separator: ","))",
        ]
        // Added only when set, so the hashes of services without them stay as they were.
        let inputs = service.inputsFromDockerfile ? ["inputs=dockerfile"] : []
        let arguments = service.buildArguments.sorted { $0.key < $1.key }.map { "build_arg=\($0.key)=\($0.value)" }
        let target = service.target.map { ["target=\($0)"] } ?? []
        return "gantry-inputs v1 " + (parts + inputs + arguments + target).joined(separator: " ")
    }
}
