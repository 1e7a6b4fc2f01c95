import Testing

/// A tag and what `{{version}}` gives for it under semver and pep440 (nil: not a version of that kind),
/// and whether it is a pre-release for that scheme.
struct VersionCase: Sendable, CustomTestStringConvertible {
    var tag: String
    var semver: String?
    var pep440: String?
    var testDescription: String { tag }
}

@Suite("Version schemes: node-semver strict and PEP 440")
struct VersionTests {
    static let cases: [VersionCase] = [
        VersionCase(tag: "v1.2.3", semver: "1.2.3", pep440: "1.2.3"),
        VersionCase(tag: "1.2.3", semver: "1.2.3", pep440: "1.2.3"),
        VersionCase(tag: "v1.2.3-alpha.1", semver: "1.2.3-alpha.1", pep440: "1.2.3a1"),
        VersionCase(tag: "1.2.3-0.3.7", semver: "1.2.3-0.3.7", pep440: nil),
        VersionCase(tag: "1.2.3-x-y.01", semver: nil, pep440: nil),
        VersionCase(tag: "1.2.3+build.5", semver: "1.2.3", pep440: "1.2.3-build.5"),
        VersionCase(tag: "01.2.3", semver: nil, pep440: "1.2.3"),
        VersionCase(tag: "V1.2.3", semver: nil, pep440: "1.2.3"),
        VersionCase(tag: "1.2", semver: nil, pep440: "1.2"),
        VersionCase(tag: "1", semver: nil, pep440: "1"),
        VersionCase(tag: "1.2.3.4", semver: nil, pep440: "1.2.3.4"),
        VersionCase(tag: "1.1beta2", semver: nil, pep440: "1.1b2"),
        VersionCase(tag: "1.0dev4", semver: nil, pep440: "1.0.dev4"),
        VersionCase(tag: "1.2post1", semver: nil, pep440: "1.2.post1"),
        VersionCase(tag: "1.0c1", semver: nil, pep440: "1.0rc1"),
        VersionCase(tag: "1.0.preview_2", semver: nil, pep440: "1.0rc2"),
        VersionCase(tag: "1.0-r", semver: nil, pep440: "1.0.post0"),
        VersionCase(tag: "1.0a1.post2.dev3", semver: nil, pep440: "1.0a1.post2.dev3"),
        VersionCase(tag: "1.0.", semver: nil, pep440: nil),
        VersionCase(tag: "1.0+", semver: nil, pep440: nil),
        VersionCase(tag: "sometag", semver: nil, pep440: nil),
        VersionCase(tag: "v99999999999999999.0.0", semver: nil, pep440: "99999999999999999.0.0"),
    ]

    @Test("{{version}} of a tag push", arguments: cases)
    func version(_ example: VersionCase) throws {
        let context = Fixtures.context("push", "refs/tags/" + example.tag)
        #expect(
            try evaluate(["type=semver,pattern={{version}}"], flavor: ["latest=false"], in: context).tags
                == (example.semver.map { [$0] } ?? []))
        #expect(
            try evaluate(["type=pep440,pattern={{version}}"], flavor: ["latest=false"], in: context).tags
                == (example.pep440.map { [$0] } ?? []))
    }
}
