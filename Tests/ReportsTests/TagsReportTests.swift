import Foundation
import Testing

@testable import Basics
@testable import GantryKit
@testable import Reports

/// The views of `gantry tags`' result: JSON for scripts, a bake file, outputs and text.
@Suite("Tags report")
struct TagsReportTests {
    let document = TagsDocument(
        event: "push of refs/heads/main", commit: String(repeating: "a", count: 40),
        images: [
            ServiceImage(
                service: "api", image: "ghcr.io/acme/api", version: "main",
                tags: ["ghcr.io/acme/api:main", "ghcr.io/acme/api:sha-aaaaaaa"],
                labels: ["org.opencontainers.image.title": "api"], context: "services/api", dockerfile: "services/api/Dockerfile"),
            ServiceImage(
                service: "web", image: "ghcr.io/acme/web", version: "main", tags: ["ghcr.io/acme/web:main"], labels: [:],
                context: ".", dockerfile: "docker/web.Dockerfile"),
        ])

    @Test("--format json is {services: {NAME: {image, version, tags, labels}}}")
    func json() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(TagsReport(document).json().utf8)) as? [String: Any])
        #expect(Array(object.keys) == ["services"])
        let services = try #require(object["services"] as? [String: [String: Any]])
        #expect(Set(services.keys) == ["api", "web"])
        #expect(Set(services["api"]?.keys ?? [:].keys) == ["image", "version", "tags", "labels"])
        #expect(services["api"]?["tags"] as? [String] == ["ghcr.io/acme/api:main", "ghcr.io/acme/api:sha-aaaaaaa"])
        #expect(services["api"]?["labels"] as? [String: String] == ["org.opencontainers.image.title": "api"])
    }

    @Test("the bake file has one target per service and a default group of all")
    func bake() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(TagsReport(document).bakeFile().utf8)) as? [String: Any])
        let group = try #require(object["group"] as? [String: [String: [String]]])
        #expect(group["default"]?["targets"] == ["api", "web"])
        let targets = try #require(object["target"] as? [String: [String: Any]])
        #expect(targets["api"]?["context"] as? String == "services/api")
        #expect(targets["api"]?["dockerfile"] as? String == "Dockerfile", "bake reads the Dockerfile relative to the context")
        #expect(targets["web"]?["dockerfile"] as? String == "docker/web.Dockerfile")
        #expect(targets["web"]?["tags"] as? [String] == ["ghcr.io/acme/web:main"])
    }

    @Test(
        "a Dockerfile path relative to the context, going up where it must",
        arguments: [
            ("services/api/Dockerfile", "services/api", "Dockerfile"),
            ("services/api/docker/Dockerfile", "services/api", "docker/Dockerfile"),
            ("docker/api.Dockerfile", "services/api", "../../docker/api.Dockerfile"),
            ("services/Dockerfile.api", "services/api", "../Dockerfile.api"),
            ("Dockerfile", ".", "Dockerfile"),
            ("Dockerfile", "app", "../Dockerfile"),
        ])
    func dockerfilePath(file: String, context: String, expected: String) {
        #expect(TagsReport.path(of: file, relativeTo: context) == expected)
    }

    @Test("the outputs: every reference on its own line, and the JSON on one line")
    func outputs() {
        let outputs = Dictionary(TagsReport(document).stepOutputs(), uniquingKeysWith: { first, _ in first })
        #expect(outputs["tags"] == "ghcr.io/acme/api:main\nghcr.io/acme/api:sha-aaaaaaa\nghcr.io/acme/web:main")
        #expect(outputs["json"]?.contains("\n") == false)
        #expect(outputs["json"]?.hasPrefix("{\"services\":") == true)
    }

    @Test("the text names each service's image and version, and lists its references")
    func text() {
        let lines = TagsReport(document).text().components(separatedBy: "\n")
        #expect(lines.first == "push of refs/heads/main at aaaaaaa")
        #expect(lines.contains("api  ghcr.io/acme/api  version main"))
        #expect(lines.contains("  ghcr.io/acme/api:sha-aaaaaaa"))
    }
}
