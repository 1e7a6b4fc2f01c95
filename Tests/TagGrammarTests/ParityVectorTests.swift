import Foundation
import Testing

/// One §10 vector. Images are dropped: the tag names for the first image are compared.
struct ParityVector: Decodable, Sendable, CustomTestStringConvertible {
    struct Version: Decodable, Sendable {
        var main: String?
        var partial: [String]
        var latest: Bool
    }
    var id: String
    var fixture: String
    var images: [String]
    var tags: [String]
    var flavor: [String]?
    var env: [String: String]?
    var version: Version
    var out: [String]
    var revisionLabel: String?

    enum CodingKeys: String, CodingKey {
        case id, images, tags, flavor, env, version, out
        case fixture = "fx"
        case revisionLabel = "revision_label"
    }

    var testDescription: String { id }

    /// `out` without the `image:` prefix, for the first image only.
    var expectedTagNames: [String] {
        guard let image = images.first?.split(separator: ",").first?.lowercased() else { return out }
        return out.compactMap { $0.droppingPrefix(image + ":") }
    }

    static let all: [ParityVector] = ParityVectors.jsonLines.split(separator: "\n").compactMap { line in
        try? JSONDecoder().decode(ParityVector.self, from: Data(line.utf8))
    }
}

@Suite("docker/metadata-action's own test vectors (parity notes §10)")
struct ParityVectorTests {
    @Test("all 81 vectors are read")
    func allRead() {
        #expect(ParityVector.all.count == 81)
    }

    @Test("version, tags and latest as metadata-action computes them", arguments: ParityVector.all)
    func vector(_ vector: ParityVector) throws {
        let usesHeadSHA = vector.env?["DOCKER_METADATA_PR_HEAD_SHA"] == "true"
        let context = try #require(Fixtures.named(vector.fixture, headSHAOption: usesHeadSHA))
        let result = try evaluate(vector.tags, flavor: vector.flavor ?? [], in: context)
        #expect(result.version == (vector.version.main ?? ""))
        #expect(result.isLatest == vector.version.latest)
        #expect(result.tags == vector.expectedTagNames)
        let expectedMainAndPartials = (vector.version.main.map { [$0] } ?? []) + vector.version.partial
        #expect(Array(result.tags.prefix(expectedMainAndPartials.count)) == expectedMainAndPartials)
        if let revision = vector.revisionLabel { #expect(context.effectiveSHA == revision) }
    }
}
