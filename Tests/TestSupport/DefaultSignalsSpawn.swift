import Basics
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts `arguments` (the program looked up in PATH) with standard input from /dev/null, its output
/// in the given files, and every signal unblocked and at its default. `Process` would pass on the
/// calling thread's signal mask, and the threads tests run on block SIGTERM and SIGALRM, so neither
/// a signal from the test nor `timeout` could ever end the child.
///
/// - Parameter environment: The child's environment; the test process's own when nil.
func spawnWithDefaultSignals(
    _ arguments: [String], standardOutput: String = "/dev/null", standardError: String = "/dev/null",
    environment: [String: String]? = nil
) throws -> pid_t {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    var files = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&files)
    defer { posix_spawn_file_actions_destroy(&files) }
    posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&files, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&files, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    closeInheritedDescriptors(in: &files)

    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    var variables: [UnsafeMutablePointer<CChar>?] =
        (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for pointer in argv + variables { free(pointer) } }
    var process: pid_t = 0
    let result = posix_spawnp(&process, arguments[0], &files, &attributes, &argv, &variables)
    guard result == 0 else { throw TestFailure("could not start \(arguments[0]): \(String(cString: strerror(result)))") }
    return process
}
