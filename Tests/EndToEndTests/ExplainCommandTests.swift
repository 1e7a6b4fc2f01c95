import Foundation
import TestSupport
import Testing

/// `gantry changes` and `gantry explain` on a service with `inputs: dockerfile`, through the binary.
@Suite("gantry explain and inputs: dockerfile")
struct ExplainCommandTests {
    let fixture: GitFixture
    let base: String

    init() throws {
        fixture = try GitFixture()
        base = try fixture.commit(
            files: [
                "gantry.yml":
                    "version: 1\nservices:\n  api:\n    context: .\n    dockerfile: services/api/Dockerfile\n    inputs: dockerfile\n",
                "services/api/Dockerfile":
                    "FROM python:3.12\nCOPY services/api/app.py /app/\nCOPY libs/common /app/libs/common\nADD https://example.com/x.tgz /x\n",
                ".dockerignore": "**/__pycache__\n",
                "services/api/app.py": "app\n",
                "libs/common/text.py": "text\n",
                "libs/common/__pycache__/text.pyc": "bytes\n",
                "docs/readme.md": "docs\n",
            ], message: "initial")
    }

    @Test func changesNamesTheFileAndTheDockerfileLine() throws {
        let head = try fixture.commit(files: ["libs/common/text.py": "v2\n", "docs/readme.md": "v2\n"])
        let result = try runGantry(["changes", "--base", base, "--head", head], in: fixture.path)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("● api  libs/common/text.py, copied by services/api/Dockerfile:3"))
        let unread = try fixture.commit(files: ["docs/readme.md": "v3\n", "libs/common/__pycache__/text.pyc": "v2\n"])
        let unchanged = try runGantry(["changes", "--base", head, "--head", unread, "--format", "json"], in: fixture.path)
        #expect(unchanged.standardOutput.contains("\"changed\" : [\n\n  ]") || unchanged.standardOutput.contains("\"changed\" : []"))
    }

    @Test func explainListsEachLineWhatItReadsAndWhatIsOutside() throws {
        let text = try runGantry(["explain", "api"], in: fixture.path)
        #expect(text.status == 0, "\(text.standardError)")
        #expect(
            text.standardOutput.contains(
                "3  COPY libs/common /app/libs/common\n     reads libs/common/text.py\n     ignored libs/common/__pycache__/text.pyc (.dockerignore:1)"
            ))
        #expect(text.standardOutput.contains("outside the repository: the base image python:3.12"))
        #expect(text.standardOutput.contains("outside the repository: the URL https://example.com/x.tgz"))
        let json = try runGantry(["explain", "api", "--format", "json"], in: fixture.path)
        let document = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        #expect(document?["inputs"] as? Int == 4)  // app.py, text.py, the Dockerfile, the ignore file
        let unknown = try runGantry(["explain", "nope"], in: fixture.path)
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("no service `nope`"))
    }
}
