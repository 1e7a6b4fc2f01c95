import Foundation
import TestSupport
import Testing

@testable import Basics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("Child processes")
struct ChildProcessTests {
    @Test("a child inherits no descriptor of gantry's but its standard ones, so it cannot hold a runner's pipe open after gantry exits")
    func inheritsOnlyStandardDescriptors() async throws {
        let directory = try TemporaryDirectory(prefix: "gantry-child")
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        let listing = directory.url("fds")
        let child = try ChildProcess.start(
            "ls /proc/$$/fd > \(listing)", in: directory.path, environment: ["PATH": "/usr/bin:/bin"], output: .discarded)
        #expect(await child.waitForExit(timeout: .seconds(10)) == 0)
        let descriptors = try String(contentsOfFile: listing, encoding: .utf8).split(separator: "\n").compactMap { Int32($0) }
        #expect(!descriptors.contains(ends[0]) && !descriptors.contains(ends[1]), "the child has \(descriptors); the pipe is \(ends)")
    }
}
