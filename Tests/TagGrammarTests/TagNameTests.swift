import TagGrammar
import Testing

/// Whether `tag` is a tag as registries accept it, `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`, written
/// apart from `TagName` so that the tests check it against the grammar rather than against itself.
func isRegistryValid(_ tag: String) -> Bool {
    tag.wholeMatch(of: /[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}/) != nil
}

@Suite("Registry-valid tag names")
struct TagNameTests {
    @Test(
        "invalid characters become one dash; leading dots and dashes go",
        arguments: [
            ("main", "main"), ("feature/login-page", "feature-login-page"), ("Feature/UPPER", "Feature-UPPER"),
            ("fix//double", "fix-double"), ("release/1.2", "release-1.2"), ("naïve café", "na-ve-caf-"),
            ("-leading", "leading"), (".hidden/x", "hidden-x"), ("pr#12", "pr-12"), ("v1.2.3+build.7", "v1.2.3-build.7"),
            ("a\nb::error::c", "a-b-error-c"), ("under_score", "under_score"),
        ])
    func sanitizing(raw: String, expected: String) {
        #expect(TagName.sanitized(raw) == expected)
        #expect(isRegistryValid(expected))
    }

    @Test("nothing usable is nil")
    func empty() {
        #expect(TagName.sanitized("") == nil)
        #expect(TagName.sanitized("///") == nil)
        #expect(TagName.sanitized("-.-") == nil)
    }

    @Test("long names are cut to 128 with a hash suffix, so long branches that share a beginning differ")
    func longNames() throws {
        let common = "feature/" + String(repeating: "very-long-branch-name-", count: 10)
        let first = try #require(TagName.sanitized(common + "one"))
        let second = try #require(TagName.sanitized(common + "two"))
        #expect(first.count <= 128)
        #expect(second.count <= 128)
        #expect(first != second)
        #expect(isRegistryValid(first))
        #expect(first.hasPrefix("feature-very-long-branch-name-"))
        #expect(TagName.sanitized(common + "one") == first)
        #expect(TagName.sanitized(String(repeating: "a", count: 128)) == String(repeating: "a", count: 128))
    }

    @Test("validity follows the registry grammar")
    func validity() {
        #expect(isRegistryValid("v1.2.3"))
        #expect(isRegistryValid("_underscore"))
        #expect(!isRegistryValid(""))
        #expect(!isRegistryValid(".x"))
        #expect(!isRegistryValid("-x"))
        #expect(!isRegistryValid("a/b"))
        #expect(!isRegistryValid(String(repeating: "a", count: 129)))
    }
}
