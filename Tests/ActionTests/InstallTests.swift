import Foundation
import TestSupport
import Testing

/// The action's install step against a real release server on 127.0.0.1: every byte it installs is
/// verified against the checksums pinned in the action's tree, and it never falls back to
/// something it has not verified.
@Suite("The action's install step", .serialized)
struct InstallTests {
    static let version = "1.2.3"
    static let name = "gantry-\(version)-linux-\(architecture)"
    static let architecture: String = {
        (try? runCommand("uname", ["-m"]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) == "aarch64"
            ? "aarch64" : "x86_64"
    }()

    let action: CompositeAction
    /// A released copy of the action: its install script and a release/ directory.
    let tree: TemporaryDirectory
    let toolCache: TemporaryDirectory
    let runner: TemporaryDirectory
    let archive: [UInt8]
    let binary = "#!/bin/sh\necho 'gantry \(version)'\n"

    init() throws {
        action = try CompositeAction()
        tree = try TemporaryDirectory(prefix: "gantry-action-tree")
        toolCache = try TemporaryDirectory(prefix: "gantry-tool-cache")
        runner = try TemporaryDirectory(prefix: "gantry-runner")
        try FileManager.default.createDirectory(atPath: tree.url("action"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: tree.url("scripts"), withIntermediateDirectories: true)
        for script in ["action/install.sh", "scripts/apt-install.sh"] {
            try FileManager.default.copyItem(atPath: CompositeAction.root + "/" + script, toPath: tree.url(script))
        }
        let build = try TemporaryDirectory(prefix: "gantry-release-build")
        try FileManager.default.createDirectory(atPath: build.url(Self.name), withIntermediateDirectories: true)
        try Data(binary.utf8).write(to: URL(fileURLWithPath: build.url("\(Self.name)/gantry")))
        try runCommand("tar", ["-czf", "archive.tar.gz", Self.name], in: build.path)
        archive = Array(try Data(contentsOf: URL(fileURLWithPath: build.url("archive.tar.gz"))))
        try release(
            archiveSum: try Self.sha256(of: build.url("archive.tar.gz")), binarySum: try Self.sha256(of: build.url("\(Self.name)/gantry")))
    }

    /// Makes the tree a release of `version` pinning these checksums.
    func release(archiveSum: String, binarySum: String, version: String = version) throws {
        try FileManager.default.createDirectory(atPath: tree.url("release"), withIntermediateDirectories: true)
        try Data("\(version)\n".utf8).write(to: URL(fileURLWithPath: tree.url("release/VERSION")))
        try Data("acme/gantry\n".utf8).write(to: URL(fileURLWithPath: tree.url("release/REPOSITORY")))
        let sums = "\(archiveSum)  \(Self.name).tar.gz\n\(binarySum)  \(Self.name)/gantry\n"
        try Data(sums.utf8).write(to: URL(fileURLWithPath: tree.url("release/SHA256SUMS")))
    }

    static func sha256(of path: String) throws -> String {
        String(try runCommand("sha256sum", [path]).standardOutput.prefix(64))
    }

    /// Runs the install step with the action's own env block, from the released tree.
    func install(
        _ inputs: [String: String], releaseURL: String?, path: String? = nil, timeout: Duration = .seconds(60)
    ) async throws -> (result: CommandResult, outputs: [String: String], path: String) {
        let files = try TemporaryDirectory(prefix: "gantry-install-files")
        for file in ["output", "path"] { _ = FileManager.default.createFile(atPath: files.url(file), contents: Data()) }
        var variables = GitFixture.environment.filter { !$0.key.hasPrefix("GITHUB_") && !$0.key.hasPrefix("RUNNER_") }
        variables["GITHUB_OUTPUT"] = files.url("output")
        variables["GITHUB_PATH"] = files.url("path")
        variables["RUNNER_TOOL_CACHE"] = toolCache.path
        variables["RUNNER_TEMP"] = runner.path
        variables["GANTRY_DOWNLOAD_TIMEOUT"] = "3"
        if let path { variables["PATH"] = path }
        var given = inputs
        if let releaseURL { given["release-url"] = releaseURL }
        let process = try action.start(
            step: "install", inputs: given, context: ["github.server_url": "http://127.0.0.1:9"], variables: variables, in: runner.path,
            scripts: files, actionPath: tree.path)
        defer { process.stop() }
        let status = try #require(await process.wait(timeout: timeout), "the install step did not finish within \(timeout)")
        let result = CommandResult(status: status, standardOutput: process.standardOutput, standardError: process.standardError)
        let added = try String(contentsOfFile: files.url("path"), encoding: .utf8)
        return (result, ActionsEnvironment.parseFileCommands(try String(contentsOfFile: files.url("output"), encoding: .utf8)), added)
    }

    /// A release server that serves `body` for the archive and 404 for anything else.
    static func serving(_ body: [UInt8]) -> TestServer.Behaviour {
        { connection in
            guard let request = connection.readRequest() else { return }
            if request.target.hasSuffix("/\(name).tar.gz") {
                connection.respond(status: 200, headers: [("Content-Type", "application/gzip")], body: body)
            } else {
                connection.respond(status: 404, reason: "Not Found", body: Array("Not Found".utf8))
            }
        }
    }

    @Test("a released tree downloads its archive, verifies it, caches it and puts a private copy on PATH; the next job is warm")
    func releaseThenWarm() async throws {
        let directory = toolCache.path + "/gantry/\(Self.version)/\(Self.architecture)"
        try await withTestServer(Self.serving(archive)) { server in
            let (result, outputs, path) = try await install([:], releaseURL: server.url + "/v1.2.3")
            #expect(result.status == 0, "\(result.standardError)")
            let binary = try #require(outputs["path"])
            #expect(binary.hasPrefix(runner.path + "/gantry-bin-") && binary.hasSuffix("/gantry"), "\(binary)")
            #expect(outputs["version"] == Self.version)
            #expect(outputs["source"] == "release")
            #expect(path == String(binary.dropLast("/gantry".count)) + "\n")
            #expect(try runCommand(binary, []).standardOutput == "gantry \(Self.version)\n")
            #expect(try runCommand(directory + "/gantry", []).standardOutput == "gantry \(Self.version)\n")
            #expect(FileManager.default.fileExists(atPath: directory + ".complete"))
        }
        // No server at all now: the cache alone must serve.
        let (warm, outputs, _) = try await install([:], releaseURL: "http://127.0.0.1:9/unreachable")
        #expect(warm.status == 0, "\(warm.standardError)")
        #expect(outputs["source"] == "cache")
    }

    @Test("the job runs a copy checked after it was copied: replacing the cached binary afterwards changes nothing the job runs")
    func privateCopyOutlivesTheCache() async throws {
        try await withTestServer(Self.serving(archive)) { server in
            let (result, outputs, _) = try await install([:], releaseURL: server.url)
            #expect(result.status == 0, "\(result.standardError)")
            let cached = toolCache.path + "/gantry/\(Self.version)/\(Self.architecture)/gantry"
            try Data("#!/bin/sh\necho owned\n".utf8).write(to: URL(fileURLWithPath: cached))
            #expect(try runCommand(try #require(outputs["path"]), []).standardOutput == "gantry \(Self.version)\n")
        }
    }

    @Test("a cached binary that no longer matches the pinned checksum is replaced, not run")
    func tamperedCache() async throws {
        try await withTestServer(Self.serving(archive)) { server in
            #expect(try await install([:], releaseURL: server.url).result.status == 0)
            let cached = toolCache.path + "/gantry/\(Self.version)/\(Self.architecture)/gantry"
            try Data("#!/bin/sh\necho owned\n".utf8).write(to: URL(fileURLWithPath: cached))
            let (result, outputs, _) = try await install([:], releaseURL: server.url)
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.standardError.contains("replacing it"))
            #expect(outputs["source"] == "release")
            #expect(try runCommand(try #require(outputs["path"]), []).standardOutput == "gantry \(Self.version)\n")
            #expect(try runCommand(cached, []).standardOutput == "gantry \(Self.version)\n")
        }
    }

    @Test(
        "a tampered, truncated or missing archive fails the step, says what was expected and what came, and installs nothing",
        arguments: ["tampered", "truncated", "missing", "cut-off"])
    func refusesBadDownloads(kind: String) async throws {
        var body = archive
        switch kind {
        case "tampered": body[body.count / 2] ^= 0xFF
        case "truncated": body = Array(body.prefix(body.count / 2))
        default: break
        }
        let served = body
        let behaviour: TestServer.Behaviour =
            switch kind {
            case "missing":
                { connection in
                    guard connection.readRequest() != nil else { return }
                    connection.respond(status: 404, reason: "Not Found", body: Array("Not Found".utf8))
                }
            case "cut-off":
                { connection in
                    // Announces the whole archive, sends half of it, and hangs up.
                    guard connection.readRequest() != nil else { return }
                    _ = connection.send("HTTP/1.1 200 OK\r\nContent-Length: \(served.count)\r\n\r\n")
                    _ = connection.send(Array(served.prefix(served.count / 2)))
                }
            default: Self.serving(served)
            }
        try await withTestServer(behaviour) { server in
            let url = server.url
            let (result, outputs, path) = try await install([:], releaseURL: url)
            #expect(result.status != 0)
            #expect(result.standardError.contains("::error title=gantry install::"))
            switch kind {
            case "tampered", "truncated":
                #expect(result.standardError.contains("this action's tree pins"), "\(result.standardError)")
                #expect(result.standardError.contains("nothing was installed"))
            default:
                #expect(result.standardError.contains("could not download \(url)/\(Self.name).tar.gz"), "\(result.standardError)")
            }
            #expect(outputs["path"] == nil)
            #expect(path.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: toolCache.path + "/gantry/\(Self.version)/\(Self.architecture)/gantry"))
        }
    }

    @Test("a server that accepts and never answers fails the step within the download timeout")
    func hangingServer() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        try await withTestServer({ connection in connection.waitUntilClosed() }) { server in
            let (result, _, _) = try await install([:], releaseURL: server.url)
            #expect(result.status != 0)
            #expect(result.standardError.contains("could not download"), "\(result.standardError)")
        }
        // GANTRY_DOWNLOAD_TIMEOUT is 3 s, retried twice.
        #expect(clock.now - start < .seconds(30))
    }

    @Test("a version this tree pins no checksum for is refused with what to do, and nothing is downloaded")
    func unpinnedVersion() async throws {
        let (result, _, _) = try await install(["version": "9.9.9"], releaseURL: "http://127.0.0.1:9")
        #expect(result.status != 0)
        #expect(
            result.standardError.contains("pins no checksum for gantry-9.9.9-linux-\(Self.architecture).tar.gz"), "\(result.standardError)")
    }

    @Test("an unreleased tree builds from source once, keyed by a hash of its sources, and is warm until they change")
    func sourceBuildIsCachedByItsSources() async throws {
        // The tree as a checkout of main has it: no release/, no Package.resolved (git ignores it).
        try FileManager.default.removeItem(atPath: tree.url("release"))
        try FileManager.default.createDirectory(atPath: tree.url("Sources/gantry"), withIntermediateDirectories: true)
        try Data("// swift-tools-version: 6.0\n".utf8).write(to: URL(fileURLWithPath: tree.url("Package.swift")))
        try Data("print(1)\n".utf8).write(to: URL(fileURLWithPath: tree.url("Sources/gantry/main.swift")))
        // A stand-in for the toolchain: `swift build` writes a binary into the scratch path and
        // counts its builds; the real build is what the workflow suite runs under act.
        let tools = try TemporaryDirectory(prefix: "gantry-fake-swift")
        let swift = """
            #!/bin/sh
            scratch=""; show=""
            while [ $# -gt 0 ]; do
                case "$1" in --scratch-path) scratch="$2"; shift ;; --show-bin-path) show=1 ;; esac
                shift
            done
            if [ -n "$show" ]; then echo "$scratch/release"; exit 0; fi
            mkdir -p "$scratch/release"
            printf '#!/bin/sh\necho \"built from %s\"\n' "$(cat Sources/gantry/main.swift)" > "$scratch/release/gantry"
            chmod +x "$scratch/release/gantry"
            echo build >> "\(tools.path)/builds"
            """
        try writeExecutable(swift, to: tools.url("swift"))
        let path = tools.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")

        let (built, outputs, _) = try await install([:], releaseURL: nil, path: path)
        #expect(built.status == 0, "\(built.standardError)")
        #expect(outputs["source"] == "build")
        #expect(built.standardError.contains("building gantry from source: this action's tree is no release"))
        let version = try #require(outputs["version"])
        #expect(version.hasPrefix("source-"))
        #expect(try runCommand(try #require(outputs["path"]), []).standardOutput == "built from print(1)\n")

        let (warm, again, _) = try await install([:], releaseURL: nil, path: path)
        #expect(warm.status == 0, "\(warm.standardError)")
        #expect(again["source"] == "cache")
        #expect(again["version"] == version)

        try Data("print(2)\n".utf8).write(to: URL(fileURLWithPath: tree.url("Sources/gantry/main.swift")))
        let (rebuilt, changed, _) = try await install([:], releaseURL: nil, path: path)
        #expect(rebuilt.status == 0, "\(rebuilt.standardError)")
        #expect(changed["source"] == "build")
        #expect(changed["version"] != version)
        #expect(try String(contentsOfFile: tools.url("builds"), encoding: .utf8) == "build\nbuild\n")
    }

    @Test("a version that is no semantic version is refused before it names a file, and cannot issue a workflow command")
    func hostileVersion() async throws {
        for version in ["1.2.3/../../../etc", "1.2\n::warning::injected", "latest"] {
            let (result, _, _) = try await install(["version": version], releaseURL: "http://127.0.0.1:9")
            #expect(result.status != 0)
            #expect(result.standardError.contains("must be a release such as 1.4.0"), "\(result.standardError)")
            #expect(!result.standardError.contains("\n::warning"), "the message started a workflow command")
        }
    }

    @Test("an unreleased tree asked for a release fails rather than build or download something unverified")
    func unreleasedTreeRefusesRelease() async throws {
        for file in ["VERSION", "SHA256SUMS", "REPOSITORY"] { try FileManager.default.removeItem(atPath: tree.url("release/\(file)")) }
        let (result, _, _) = try await install(["install": "release", "version": Self.version], releaseURL: "http://127.0.0.1:9")
        #expect(result.status != 0)
        #expect(result.standardError.contains("not a release"), "\(result.standardError)")
        let (invalid, _, _) = try await install(["install": "latest"], releaseURL: nil)
        #expect(invalid.status != 0)
        #expect(invalid.standardError.contains("expected auto, release or source"))
    }
}
