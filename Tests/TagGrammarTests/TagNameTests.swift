import Testing
import TagGrammar

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
        #expect(TagName.isValid(expected))
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
        #expect(TagName.isValid(first))
        #expect(first.hasPrefix("feature-very-long-branch-name-"))
        #expect(TagName.sanitized(common + "one") == first)
        #expect(TagName.sanitized(String(repeating: "a", count: 128)) == String(repeating: "a", count: 128))
    }

    @Test("validity follows the registry grammar")
    func validity() {
        #expect(TagName.isValid("v1.2.3"))
        #expect(TagName.isValid("_underscore"))
        #expect(!TagName.isValid(""))
        #expect(!TagName.isValid(".x"))
        #expect(!TagName.isValid("-x"))
        #expect(!TagName.isValid("a/b"))
        #expect(!TagName.isValid(String(repeating: "a", count: 129)))
    }
}
