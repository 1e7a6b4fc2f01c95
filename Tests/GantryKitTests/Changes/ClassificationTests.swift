import Basics
import Config
import GantryKit
import TestSupport
import Testing

@Suite("Deciding which services changed")
struct ClassificationTests {
    let repo: Monorepo
    init() throws { repo = try Monorepo() }

    @Test("a service changes when its own files change, with the files as the reason")
    func ownFiles() async throws {
        let head = try repo.fixture.commit(files: ["services/worker/main.go": "v2", "services/worker/lib/x.go": "x"])
        let changes = try await repo.detect(ChangeOptions(base: repo.initial, head: head))
        #expect(changes.changedServiceNames == ["worker"])
        #expect(changes.reasons(of: "worker") == ["files: 2 files"])
        #expect(changes.services.first { $0.service.name == "worker" }?.files == ["services/worker/lib/x.go", "services/worker/main.go"])
        #expect(changes.comparison.base?.hex == repo.initial)
        #expect(changes.comparison.head.hex == head)
    }

    @Test("ignored files do not count")
    func ignoredFiles() async throws {
        let head = try repo.fixture.commit(files: ["services/api/README.md": "more docs", "services/api/docs/guide.md": "x"])
        #expect(try await repo.detect(ChangeOptions(base: repo.initial, head: head)).changedServiceNames == [])
    }

    @Test("a group change reaches its dependants transitively, each with the dependency it came through")
    func transitiveDependencies() async throws {
        let head = try repo.fixture.commit(files: ["libs/common/util.py": "v2"])
        let changes = try await repo.detect(ChangeOptions(base: repo.initial, head: head))
        #expect(changes.changedServiceNames == ["api", "web"])
        #expect(changes.reasons(of: "api") == ["dependency: group common"])
        #expect(changes.reasons(of: "web") == ["dependency: service api"])
        #expect(changes.reasons(of: "worker") == [])
    }

    @Test("a global file marks every service changed, naming the file")
    func globalFiles() async throws {
        let head = try repo.fixture.commit(files: [".github/workflows/ci.yml": "on: [push, pull_request]"])
        let changes = try await repo.detect(ChangeOptions(base: repo.initial, head: head))
        #expect(changes.changedServiceNames == ["api", "web", "worker"])
        let worker = try #require(changes.services.first { $0.service.name == "worker" })
        #expect(worker.reasons == [ChangeReason(kind: .global, detail: "1 global file", files: [".github/workflows/ci.yml"])])
    }

    @Test("a rename counts for the service it left and the one it joined")
    func renames() async throws {
        try repo.fixture.move("services/worker/main.go", to: "services/api/main.go")
        let head = try repo.fixture.commit()
        let changes = try await repo.detect(ChangeOptions(base: repo.initial, head: head))
        #expect(changes.files.map(\.status) == [.renamed])
        #expect(changes.changedServiceNames == ["api", "web", "worker"])
        #expect(changes.reasons(of: "web") == ["dependency: service api"])
    }

    @Test("a deletion counts")
    func deletions() async throws {
        try repo.fixture.remove("services/worker/main.go")
        let head = try repo.fixture.commit()
        #expect(try await repo.detect(ChangeOptions(base: repo.initial, head: head)).changedServiceNames == ["worker"])
    }

    @Test("a submodule bump counts for the service that contains it")
    func submoduleBump() async throws {
        let library = try GitFixture()
        let first = try library.commit(files: ["lib.c": "1"])
        let second = try library.commit(files: ["lib.c": "2"])
        try repo.fixture.git("-c", "protocol.file.allow=always", "submodule", "add", "--quiet", library.path, "services/worker/vendor/lib")
        try repo.fixture.git("-C", "services/worker/vendor/lib", "checkout", "--quiet", first)
        // .gitmodules is a top-level file that no service owns.
        let base = try repo.fixture.commit("add submodule")
        try repo.fixture.git("-C", "services/worker/vendor/lib", "checkout", "--quiet", second)
        let head = try repo.fixture.commit("bump submodule")
        let changes = try await repo.detect(ChangeOptions(base: base, head: head))
        #expect(changes.files.map(\.isSubmodule) == [true])
        #expect(changes.changedServiceNames == ["worker"])
    }

    @Test("paths with spaces and non-ASCII characters match their service")
    func unusualPaths() async throws {
        let head = try repo.fixture.commit(files: ["services/web/static/naïve café.css": "x", "services/web/国際化/テスト.js": "y"])
        let changes = try await repo.detect(ChangeOptions(base: repo.initial, head: head))
        #expect(changes.changedServiceNames == ["web"])
        #expect(
            changes.services.first { $0.service.name == "web" }?.files == ["services/web/static/naïve café.css", "services/web/国際化/テスト.js"])
    }

    @Test("a change outside every service's paths changes nothing")
    func unownedFiles() async throws {
        let head = try repo.fixture.commit(files: ["docs/index.md": "x", "Makefile": "all:"])
        let changes = try await repo.detect(ChangeOptions(base: repo.initial, head: head))
        #expect(changes.changedServiceNames == [])
        #expect(changes.files.count == 2)
    }

    @Test("patterns of every shape find their files: wildcards first, literal paths, doubled slashes, negations")
    func patternShapes() async throws {
        let base = try repo.fixture.commit(files: [
            "gantry.yml": """
            version: 1
            services:
              go-anywhere: {paths: ["**/*.go"]}
              literal: {paths: ["tools/build.sh", "docs"]}
              doubled: {paths: ["services//web/**"]}
              negated: {paths: ["services/api/**", "!services/api/tests/**", "services/api/tests/keep.py"]}

            """
        ])
        let head = try repo.fixture.commit(files: [
            "services/worker/main.go": "v3", "tools/build.sh": "x", "docs/deep/page.md": "x",
            "services/web/index.js": "v3", "services/api/tests/skip.py": "x", "services/api/tests/keep.py": "x",
        ])
        let changes = try await repo.detect(ChangeOptions(base: base, head: head))
        let files = Dictionary(uniqueKeysWithValues: changes.services.map { ($0.service.name, $0.files) })
        #expect(files["go-anywhere"] == ["services/worker/main.go"])
        #expect(files["literal"] == ["docs/deep/page.md", "tools/build.sh"])
        #expect(files["doubled"] == ["services/web/index.js"])
        #expect(files["negated"] == ["services/api/tests/keep.py"])
    }

    @Test("--all changes every service with the reason")
    func all() async throws {
        let changes = try await repo.detect(ChangeOptions(all: true))
        #expect(changes.changedServiceNames == ["api", "web", "worker"])
        #expect(changes.reasons(of: "web") == ["all: --all was given"])
        #expect(changes.comparison.base == nil)
    }

    @Test("--working-tree adds uncommitted and untracked files")
    func workingTree() async throws {
        try repo.fixture.write("services/worker/new.go", "x")
        try repo.fixture.write("services/web/index.js", "edited")
        let changes = try await repo.detect(ChangeOptions(base: "HEAD", includesWorkingTree: true))
        #expect(changes.changedServiceNames == ["web", "worker"])
        #expect(try await repo.detect(ChangeOptions(base: "HEAD")).changedServiceNames == [])
        try repo.fixture.commit(files: ["services/api/app.py": "v2"])
        await #expect(throws: GantryError.self) {
            try await repo.detect(ChangeOptions(base: repo.initial, head: repo.initial, includesWorkingTree: true))
        }
    }

    @Test("--working-tree compares the base with the working tree once: no file twice, undone commits do not count")
    func workingTreeAgainstBase() async throws {
        try repo.fixture.commit(files: ["services/web/index.js": "committed", "services/worker/main.go": "committed"])
        try repo.fixture.write("services/web/index.js", "edited again")
        try repo.fixture.write("services/worker/main.go", "worker\n")  // back to the base's contents
        let changes = try await repo.detect(ChangeOptions(base: repo.initial, includesWorkingTree: true))
        #expect(changes.files.map(\.path) == ["services/web/index.js"])
        #expect(changes.changedServiceNames == ["web"])
    }

    @Test("--base that names nothing is a usage error that says so")
    func unknownBase() async throws {
        await #expect {
            try await repo.detect(ChangeOptions(base: "no-such-branch"))
        } throws: { error in
            guard case .usage(let message) = error as? GantryError else { return false }
            return message.hasPrefix("cannot resolve --base 'no-such-branch' to a commit")
        }
    }

    @Test("a file is matched against every service whose directory holds it: nested, at the root, wildcards first, non-ASCII names")
    func ownersAtEveryDepth() async throws {
        let fixture = try GitFixture()
        let base = try fixture.commit(files: [
            "gantry.yml": """
            version: 1
            services:
              all: {paths: ["services/**"]}
              api: {paths: ["services/api/**"]}
              deep: {paths: ["services/api/v2/handlers/**"]}
              docs: {paths: ["**/*.md"]}
              cafe: {paths: ["services/café/**"]}
              root: {paths: ["Makefile"]}

            """
        ])
        let head = try fixture.commit(files: [
            "services/api/v2/handlers/list.py": "1", "services/café/menu.md": "1", "Makefile": "1",
        ])
        let configuration = try Configuration.load(from: fixture.path + "/gantry.yml", as: "gantry.yml")
        let changes = try await ChangeDetector(repositoryPath: fixture.path, context: nil)
            .detect(ChangeOptions(base: base, head: head), configuration: configuration)
        let files = Dictionary(uniqueKeysWithValues: changes.services.map { ($0.service.name, $0.files) })
        #expect(files["all"] == ["services/api/v2/handlers/list.py", "services/café/menu.md"])
        #expect(files["api"] == ["services/api/v2/handlers/list.py"])
        #expect(files["deep"] == ["services/api/v2/handlers/list.py"])
        #expect(files["docs"] == ["services/café/menu.md"])
        #expect(files["cafe"] == ["services/café/menu.md"])
        #expect(files["root"] == ["Makefile"])
    }
}
