import Basics
import Testing

@testable import Dockerfile

/// Random mutations of a real Dockerfile and ignore file: each is read, or refused with an error at a
/// line, within the README's limits (ConfigurationLimits.Dockerfile); none crashes or hangs.
@Suite("Mutated Dockerfiles")
struct MutationTests {
    static let dockerfile = Array(
        """
        # syntax=docker/dockerfile:1.7
        ARG NODE=20
        FROM node:${NODE} AS build
        WORKDIR /web
        COPY --parents package*.json ./
        RUN --mount=type=cache,target=/root/.npm npm ci
        COPY --exclude=**/*.md . .
        RUN <<EOF
        npm run build
        EOF
        FROM nginx
        COPY --from=build /web/dist /usr/share/nginx/html
        ADD https://example.com/x.tgz /x

        """.utf8)
    static let pieces = [
        "\\\n", "<<EOF", "${A:-${B:-", "}", "[", "**/", "*a", "../", "!", "\n", "COPY ", "FROM x AS y\n", "$", "\"", "'", "--", "=",
    ]

    @Test func mutationsAreReadOrRefusedAtALine() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let files = ["package.json", "src/app.js", "docs/a.md", "dist/x"]
        for _ in 0..<400 {
            var bytes = Self.dockerfile
            for _ in 0..<(1 + next(6)) {
                let position = next(bytes.count + 1)
                switch next(4) {
                case 0: if position < bytes.count { bytes[position] = UInt8(next(128)) }
                case 1: bytes.insert(contentsOf: Array(Self.pieces[next(Self.pieces.count)].utf8), at: position)
                case 2: bytes.removeSubrange(position..<min(bytes.count, position + next(20)))
                default:
                    let piece = Array(Self.pieces[next(Self.pieces.count)].utf8)
                    bytes.insert(contentsOf: Array(repeating: piece, count: 50).joined(), at: position)
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                let plan = try BuildPlan(DockerfileSyntax(text: text, file: "Dockerfile"), buildArguments: [:])
                let ignore = (try? IgnoreFile(text: text, file: ".dockerignore")) ?? IgnoreFile()
                var budget = MatchBudget()
                _ = try ContextSelection(plan: plan, ignore: ignore, files: files, budget: &budget)
            } catch {
                // The text is both the Dockerfile and the ignore file; matching may pass a limit in either.
                #expect(["Dockerfile", ".dockerignore"].contains(error.location.file) && error.location.line >= 1, "\(error)")
            }
        }
    }
}
