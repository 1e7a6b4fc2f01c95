import Foundation
import Testing

@testable import Basics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("Process sessions")
struct ProcessSessionTests {
    @Test("sessions(_:belongingTo:) keeps, in one pass, exactly the sessions whose processes carry the environment's marker")
    func belongingSessions() async throws {
        func start(marker: String?) throws -> ChildProcess {
            var environment = ["PATH": "/usr/bin:/bin"]
            environment[ProcessSession.environmentVariable] = marker
            return try ChildProcess.start("exec sleep 30", in: "/", environment: environment, output: .discarded)
        }
        let ours = [try start(marker: "run-1"), try start(marker: "run-1")]
        let others = [try start(marker: "run-2"), try start(marker: nil)]
        let gone = try start(marker: "run-1")
        defer { for child in ours + others { kill(child.id, SIGKILL); _ = waitpid(child.id, nil, 0) } }
        kill(gone.id, SIGKILL)
        _ = waitpid(gone.id, nil, 0)
        // The children replace their shells with `sleep`, which carries the environment on; wait for
        // that rather than guess how long a loaded machine takes to get there.
        let deadline = ContinuousClock.now + .seconds(10)
        func isSleeping(_ child: ChildProcess) -> Bool {
            (try? String(contentsOfFile: "/proc/\(child.id)/comm", encoding: .utf8)) == "sleep\n"
        }
        while !(ours + others).allSatisfy(isSleeping) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }

        let ids = (ours + others + [gone]).map(\.id)
        #expect(ProcessSession.sessions(ids, belongingTo: "run-1").map(\.id) == ours.map(\.id))
        #expect(ProcessSession.sessions(ids, belongingTo: "run-2").map(\.id) == [others[0].id])
        #expect(ProcessSession(id: ours[1].id).belongs(to: "run-1"))
        #expect(!ProcessSession(id: others[1].id).belongs(to: "run-1"))
    }
}
