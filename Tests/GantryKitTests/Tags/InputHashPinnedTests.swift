import Config
import GantryKit
import Git
import TestSupport
import Testing

/// A `type=tree` tag is a contract: if its value changed for the same inputs, every user's images
/// would be rebuilt. These hashes were computed by the code before the shared tree index (commit
/// 5bfbf38) on a repository whose blobs are fixed, so any change in how the inputs are read shows.
@Suite("Input hashes pinned to their values before the tree index")
struct InputHashPinnedTests {
    static let configuration = """
        version: 1
        registry: ghcr.io/acme
        groups:
          common: ["libs/common/**"]
        services:
          root-paths:
            context: .
            dockerfile: services/api/Dockerfile
            paths: ["services/api/**"]
            ignore: ["**/*.md"]
            depends_on: [common]
          root-dockerfile:
            context: .
            dockerfile: services/api/Dockerfile
            inputs: dockerfile
            ignore: ["**/*.txt"]
            build_args: {LIBRARY: libs/common}
          web:
            paths: ["services/web/**"]
            ignore: ["**/*.md", "!services/web/keep.md"]
            depends_on: [root-paths]
          web-dockerfile:
            context: services/web
            inputs: dockerfile
          worker:
            paths: ["services/worker/**"]
          python:
            context: tools
            paths: ["**/*.py"]
          libraries:
            context: libs
            paths: ["libs/**", "!libs/common/docs/**"]
          missing-context:
            context: services/gone
            paths: ["services/gone/**"]

        """

    static let files = [
        "gantry.yml": configuration,
        ".dockerignore": "**/*.md\n",
        "services/api/app.py": "api\n",
        "services/api/README.md": "docs\n",
        "services/api/notes.txt": "notes\n",
        "services/api/Dockerfile": "FROM python:3.12\nARG LIBRARY\nCOPY services/api /app\nCOPY ${LIBRARY}/util.py /lib/\n",
        "services/web/index.js": "web\n",
        "services/web/notes.md": "notes\n",
        "services/web/keep.md": "kept\n",
        "services/web/static/logo.svg": "<svg/>\n",
        "services/web/Dockerfile": "FROM node:22\nCOPY static /srv/static\nCOPY index.js /srv/\n",
        "services/web/.dockerignore": "static/*.png\n",
        "services/worker/main.go": "worker\n",
        "libs/common/util.py": "util\n",
        "libs/common/docs/guide.md": "guide\n",
        "libs/other/other.py": "other\n",
        "docs/readme.md": "readme\n",
        "tools/build.sh": "#!/bin/sh\n",
    ]

    /// The hashes computed before the tree index, by service.
    static let pinned = [
        "root-paths": "6004124b9345d1d7a01617ae0481513d03a3cc2a",
        "root-dockerfile": "42a2b5667a5f8eb12d38173a8c9f54c9f92e52c6",
        "web": "2201b5cd80312239989fd75343b3f87226e44dfa",
        "web-dockerfile": "cdfcaa1e69c395a83718231a898585a3b7450ae2",
        "worker": "c0751bd42504862a5ef3a903a2ed83d5e496edfe",
        "python": "cefb632e2a6b1ab1b3250a56f16d31412db34655",
        "libraries": "5168823ea2657d602ba95ad39e6c99d3c4d7ec24",
        "missing-context": "385eddf0f49869a089071333b204c6bc4fbccf3f",
    ]

    /// A repository with the files above, an executable, a symbolic link and a submodule, all with
    /// fixed ids, so its hashes are the same on every machine.
    static func repository() throws -> GitFixture {
        let fixture = try GitFixture()
        for (path, contents) in files { try fixture.write(path, contents) }
        try fixture.git("add", "--all")
        try fixture.git("update-index", "--chmod=+x", "services/worker/main.go")
        let target = try runCommand(
            "git", ["hash-object", "-w", "--stdin"], in: fixture.path, environment: GitFixture.environment, input: "main.go"
        ).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        try fixture.git("update-index", "--add", "--cacheinfo", "120000,\(target),services/worker/link")
        try fixture.git(
            "update-index", "--add", "--cacheinfo", "160000,\(String(repeating: "ab", count: 20)),services/worker/vendor/lib")
        try fixture.git("commit", "--quiet", "--no-verify", "-m", "pinned")
        return fixture
    }

    @Test("every service's hash is the value it had before the tree index")
    func hashesAreUnchanged() throws {
        let fixture = try Self.repository()
        var (configuration, hasher) = try fixture.inputHash(at: try fixture.git("rev-parse", "HEAD"))
        for service in configuration.services {
            let hash = try hasher.hash(of: service).hex
            #expect(hash == Self.pinned[service.name], "\(service.name): \(hash)")
        }
        // The fixture has what the listing treats specially, so the pinned values cover it.
        let worker = try hasher.manifest(of: try #require(configuration.service(named: "worker")))
        #expect(worker.contains("\n100755 ") && worker.contains("\n120000 ") && worker.contains("\n160000 "))
    }
}

@Suite("Input hashes shared through one tree index")
struct InputHashSharingTests {
    @Test("services hashed in any order with one hasher get the hash each gets from a hasher of its own")
    func sharedSelectionsDoNotLeakBetweenServices() throws {
        let fixture = try InputHashPinnedTests.repository()
        let configuration = try Configuration.load(from: fixture.path + "/gantry.yml", as: "gantry.yml")
        let repository = try Repository(discoveringFrom: fixture.path)
        let commit = ObjectID(hex: try fixture.git("rev-parse", "HEAD"))!
        var shared = InputHash(configuration: configuration, repository: repository, commit: commit)
        for service in configuration.services.reversed() {
            var alone = InputHash(configuration: configuration, repository: repository, commit: commit)
            #expect(try shared.manifest(of: service) == alone.manifest(of: service), "\(service.name)")
        }
    }
}
