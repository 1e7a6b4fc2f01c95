import Foundation

/// Ends a server process a test started under `timeout`, and reaps it, so none is left behind:
/// SIGTERM, which `timeout` passes on to its command (SIGKILL would end `timeout` alone and leave
/// the server running), then SIGKILL if it has not exited within `grace`.
public func terminateAndReap(_ process: pid_t, grace: Duration = .seconds(2)) {
    kill(process, SIGTERM)
    let deadline = ContinuousClock.now + grace
    var status: Int32 = 0
    while waitpid(process, &status, WNOHANG) == 0 {
        if ContinuousClock.now > deadline {
            kill(process, SIGKILL)
            waitpid(process, &status, 0)
            return
        }
        usleep(10_000)
    }
}
