import PathPattern
import Testing

@Suite("A pattern's literal directory and a service's default context")
struct PathPatternDirectoryTests {
    @Test(
        "the literal directory is the text before the first wildcard up to its last slash, runs of slashes collapsed",
        arguments: [
            ("services/api/**", "services/api/"), ("services/api", "services/"), ("*.go", ""), ("**/*.md", ""),
            ("a/b?c/d", "a/"), ("a/[bc]/d", "a/"), ("a/b\\*/c", "a/"), ("a//b//*.go", "a/b/"), ("dienste/café/**", "dienste/café/"),
            ("x/é*/y", "x/"),
        ])
    func literalDirectory(pattern: String, directory: String) throws {
        #expect(try PathPattern(pattern).literalDirectory == directory)
    }

    @Test(
        "the default context is the first included path naming a directory, else its literal directory, else the root",
        arguments: [
            (["services/api/**"], "services/api"), (["services/api"], "services/api"), (["services/api/"], "services/api"),
            (["services/api/main.go"], "services/api"), (["!services/x/**", "libs/café/**"], "libs/café"), (["**/*.proto"], "."),
            ([String](), "."),
        ])
    func defaultContext(patterns: [String], context: String) throws {
        #expect(try PathPatternList(patterns.map { try PathPattern($0) }).defaultContext == context)
    }
}
