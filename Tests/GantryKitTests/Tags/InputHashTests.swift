import Config
import GantryKit
import Git
import TestSupport
import Testing

/// `type=tree` is only useful if it is stable exactly when a service's inputs are.
@Suite("The content hash of a service's inputs")
struct InputHashTests {
    let repo: Monorepo
    init() throws { repo = try Monorepo() }

    /// Every service's hash at a commit.
    func hashes(at commit: String) throws -> [String: String] { try repo.fixture.treeHashes(at: commit) }

    @Test("two files whose names differ only in how é is encoded are two lines of the manifest, as git keeps them")
    func pathsAreComparedByTheirBytes() throws {
        let composed = "services/api/caf\u{E9}.txt"
        let decomposed = "services/api/cafe\u{301}.txt"
        // Not a dictionary literal: Swift takes the two names for one key.
        try repo.fixture.write(composed, "1")
        try repo.fixture.write(decomposed, "2")
        let commit = try repo.fixture.commit()
        var (configuration, hasher) = try repo.fixture.inputHash(at: commit)
        let lines = try hasher.manifest(of: try #require(configuration.service(named: "api"))).split(separator: "\n")
        #expect(lines.filter { $0.utf8.suffix(composed.utf8.count).elementsEqual(composed.utf8) }.count == 1)
        #expect(lines.filter { $0.utf8.suffix(decomposed.utf8.count).elementsEqual(decomposed.utf8) }.count == 1)
    }

    @Test("a commit that touches none of a service's inputs leaves its hash unchanged")
    func unrelatedCommit() throws {
        let before = try hashes(at: repo.initial)
        let after = try hashes(at: try repo.fixture.commit(files: ["services/worker/main.go": "v2", "docs/readme.md": "x"]))
        #expect(after["api"] == before["api"])
        #expect(after["web"] == before["web"])
        #expect(after["worker"] != before["worker"])
    }

    @Test("ignored files do not count; renames and deletions of inputs do")
    func ignoredAndRenamed() throws {
        let before = try hashes(at: repo.initial)
        #expect(try hashes(at: try repo.fixture.commit(files: ["services/api/README.md": "more docs"]))["api"] == before["api"])
        try repo.fixture.move("services/api/app.py", to: "services/api/main.py")
        let renamed = try hashes(at: try repo.fixture.commit())
        #expect(renamed["api"] != before["api"])
        try repo.fixture.remove("services/api/main.py")
        #expect(try hashes(at: try repo.fixture.commit())["api"] != renamed["api"])
    }

    @Test("a change in a group or in a service depended on changes the dependants' hashes, transitively")
    func dependencies() throws {
        let before = try hashes(at: repo.initial)
        let group = try hashes(at: try repo.fixture.commit(files: ["libs/common/util.py": "v2"]))
        #expect(group["api"] != before["api"])
        #expect(group["web"] != before["web"])
        #expect(group["worker"] == before["worker"])
    }

    @Test("the Dockerfile and the service's own configuration count, other services' configuration does not")
    func dockerfileAndConfiguration() throws {
        let before = try hashes(at: repo.initial)
        let configured = try hashes(
            at: try repo.fixture.commit(files: [
                "gantry.yml": Monorepo.configuration.replacingOccurrences(
                    of: "  worker:\n    paths: [\"services/worker/**\"]",
                    with: "  worker:\n    paths: [\"services/worker/**\"]\n    dockerfile: docker/worker.Dockerfile")
            ]))
        #expect(configured["worker"] != before["worker"])
        #expect(configured["api"] == before["api"])
        let withDockerfile = try hashes(at: try repo.fixture.commit(files: ["docker/worker.Dockerfile": "FROM scratch\n"]))
        #expect(withDockerfile["worker"] != configured["worker"])
        #expect(withDockerfile["api"] == before["api"])
    }

    @Test("files of the build context count even outside the service's paths")
    func buildContext() throws {
        try repo.fixture.commit(files: [
            "gantry.yml": Monorepo.configuration.replacingOccurrences(
                of: "  worker:\n    paths: [\"services/worker/**\"]",
                with: "  worker:\n    paths: [\"services/worker/src/**\"]\n    context: services/worker")
        ])
        let before = try hashes(at: try repo.fixture.git("rev-parse", "HEAD"))
        let after = try hashes(at: try repo.fixture.commit(files: ["services/worker/requirements.txt": "flask\n"]))
        #expect(after["worker"] != before["worker"])
        #expect(after["api"] == before["api"])
    }

    @Test("the hash is git's blob id of the manifest, so git can reproduce it")
    func reproducibleWithGit() throws {
        var (configuration, hasher) = try repo.fixture.inputHash(at: repo.initial)
        let web = try #require(configuration.service(named: "web"))
        let manifest = try hasher.manifest(of: web)
        #expect(manifest.contains(" services/web/index.js\n"))
        #expect(manifest.contains(" services/api/app.py\n"))
        #expect(manifest.contains(" libs/common/util.py\n"))
        #expect(!manifest.contains("README.md"))
        let result = try runCommand("git", ["hash-object", "--stdin"], in: repo.path, environment: GitFixture.environment, input: manifest)
        #expect(try hasher.hash(of: web).hex == result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
