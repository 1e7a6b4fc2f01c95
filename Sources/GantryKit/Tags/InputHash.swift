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

    /// Files listed per directory, so services under one directory list it once.
    private var listings: [Substring: [TreeFile]] = [:]
    /// The matching work every service's `inputs: dockerfile` shares, so a Dockerfile that many
    /// services name costs no more than the limit.
    private var budget = MatchBudget()

    /// Creates a hasher for one commit.
    package init(configuration: Configuration, repository: Repository, commit: ObjectID) {
        self.configuration = configuration
        self.repository = repository
        self.commit = commit
    }

    /// The full hash of a service's inputs, 40 hexadecimal digits; tags use a prefix of it.
    package mutating func hash(of service: Service) throws(GantryError) -> ObjectID {
        ObjectID(hashingBlob: try manifest(of: service))
    }

    /// The manifest that is hashed: the configuration line first, then `mode id path` per input file.
    package mutating func manifest(of service: Service) throws(GantryError) -> String {
        var files: [String: TreeFile] = [:]
        var visited = Set<String>()
        try collect(service, into: &files, visited: &visited)
        let context = service.context == "." ? "**" : service.context + "/**"
        if service.inputsFromDockerfile {
            let inputs = try DockerfileInputs(service: service, repository: repository, commit: commit, budget: &budget)
            for file in try listing(of: Substring(inputs.contextPrefix))
            where inputs.readers[file.path] != nil && !service.ignore.matches(file.path) {
                files[file.path] = file
            }
            for path in [inputs.dockerfile, inputs.ignoreFile].compactMap(\.self) where !service.ignore.matches(path) {
                if let file = try file(at: path) { files[path] = file }
            }
        } else if let contextPattern = try? PathPattern(context) {
            for file in try owned(by: PathPatternList([contextPattern])) where !service.ignore.matches(file.path) {
                files[file.path] = file
            }
        }
        if let dockerfile = try file(at: service.dockerfile) { files[dockerfile.path] = dockerfile }
        let lines = files.values.sorted { $0.path < $1.path }.map { "\(String($0.mode, radix: 8)) \($0.id.hex) \($0.path)" }
        return ([Self.configurationLine(of: service)] + lines).joined(separator: "\n") + "\n"
    }

    private mutating func collect(_ service: Service, into files: inout [String: TreeFile], visited: inout Set<String>) throws(GantryError)
    {
        guard visited.insert("service \(service.name)").inserted else { return }
        for file in try owned(by: service.paths) where !service.ignore.matches(file.path) { files[file.path] = file }
        for dependency in service.dependencies {
            if let group = configuration.groups.first(where: { $0.name == dependency.name }) {
                guard visited.insert("group \(group.name)").inserted else { continue }
                for file in try owned(by: group.paths) { files[file.path] = file }
            } else if let other = configuration.service(named: dependency.name) {
                try collect(other, into: &files, visited: &visited)
            }
        }
    }

    /// The commit's files that `patterns` include, listing only the directories they can match in.
    private mutating func owned(by patterns: PathPatternList) throws(GantryError) -> [TreeFile] {
        let directories = Set(patterns.patterns.filter { !$0.isNegated }.map(\.literalDirectory))
        // A pattern with no literal directory can match anywhere: list the whole tree once.
        let roots =
            directories.contains("")
            ? [""]
            : directories.filter { directory in
                !directories.contains { $0 != directory && directory.hasPrefix($0) }
            }
        var result: [TreeFile] = []
        for root in roots.sorted() {
            result += try listing(of: root).filter { patterns.matches($0.path) }
        }
        return result
    }

    private mutating func listing(of directory: Substring) throws(GantryError) -> [TreeFile] {
        if let cached = listings[directory] { return cached }
        do {
            let files = try repository.files(at: commit, under: String(directory))
            listings[directory] = files
            return files
        } catch {
            throw .repository(
                "cannot list \(directory.isEmpty ? "the files" : String(directory)) of \(commit.abbreviated): \(error.message)")
        }
    }

    private func file(at path: String) throws(GantryError) -> TreeFile? {
        do {
            return try repository.file(at: commit, path: path)
        } catch {
            throw .repository("cannot read \(path) of \(commit.abbreviated): \(error.message)")
        }
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
