import Foundation
import TestSupport
import Testing

@testable import Basics
@testable import GitHubActions

@Suite("Writing step outputs")
struct FileCommandWriterTests {
    @Test("writes values that GitHub's parser reads back exactly, whatever they contain")
    func hostileValues() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url("output")
        _ = FileManager.default.createFile(atPath: path, contents: Data("existing=1\n".utf8))
        let hostile = [
            "plain": "true",
            "newline": "a\nevil=injected",
            "heredoc": "x\nEOF\nevil<<EOF\ninjected\nEOF",
            "command": "::error::pwned\n::set-output name=evil::1",
            "percent": "%0Aevil=1",
            "empty": "",
            "json": "[\"api\",\"web\"]",
        ]
        try FileCommandWriter(path: path).write(hostile.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        let parsed = ActionsEnvironment.parseFileCommands(try String(contentsOfFile: path, encoding: .utf8))
        #expect(parsed["existing"] == "1")
        for (name, value) in hostile { #expect(parsed[name] == value, "output \(name)") }
        #expect(parsed["evil"] == nil)
        #expect(parsed.count == hostile.count + 1)
    }

    @Test("uses a different random delimiter for every value")
    func randomDelimiters() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url("output")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        try FileCommandWriter(path: path).write([("a", "1"), ("b", "2")])
        let delimiters = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            .filter { $0.contains("<<") }.map { $0.split(separator: "<")[1] }
        #expect(delimiters.count == 2)
        #expect(Set(delimiters).count == 2)
        #expect(delimiters.allSatisfy { $0.count == "gantry_".count + 32 })
    }

    @Test("refuses an output name GitHub would misread")
    func unsafeNames() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url("output")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        for name in ["a=b", "a<<b", "a\nb", ""] {
            #expect(throws: GantryError.self) { try FileCommandWriter(path: path).write([(name, "x")]) }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8).isEmpty)
    }
}

@Suite("Writing step outputs: delimiter collisions")
struct DelimiterCollisionTests {
    @Test("a value that contains its delimiter is refused rather than written")
    func collision() throws {
        let delimiter = "gantry_0123456789abcdef0123456789abcdef"
        #expect(throws: GantryError.self) {
            try FileCommandWriter.entry(name: "web", value: "x\n\(delimiter)\nweb=false", delimiter: delimiter)
        }
        #expect(try FileCommandWriter.entry(name: "web", value: "true", delimiter: delimiter) == "web<<\(delimiter)\ntrue\n\(delimiter)\n")
    }
}
