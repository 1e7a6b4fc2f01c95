import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Copies a child's output to gantry's standard error as it comes, and ends its last line when the
/// child left it open: the runner reads a workflow command (gantry's annotations follow on standard
/// error) only at the start of a line, so `::error …` after a test's `ok` without a newline would
/// be lost.
final class OutputRelay: @unchecked Sendable {
    /// The end the child writes to; gantry closes its own copy once the child has it.
    let writeEnd: Int32
    private let readEnd: Int32
    private let finished = DispatchSemaphore(value: 0)

    init() throws(GantryError) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw .usage("cannot create a pipe for a command's output: \(String(cString: strerror(errno)))") }
        (readEnd, writeEnd) = (ends[0], ends[1])
        // Only the child's standard output and error (dup2 clears the flag there) keep the pipe open.
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
        let thread = Thread { [self] in copy() }
        thread.start()
    }

    /// Closes gantry's copy of the write end, once the child has been started with it.
    func closeWriteEnd() { close(writeEnd) }

    /// Waits until everything the child wrote is copied and its last line ended, or `timeout` has
    /// passed (a process outside the child's session may hold the pipe open); after that the
    /// line is ended anyway.
    func finish(timeout: Duration) async {
        let finished = finished
        let copied = await Task.detached { finished.wait(timeout: .now() + .milliseconds(Int(timeout.inMilliseconds))) == .success }.value
        if !copied { Self.writeToStandardError([UInt8(ascii: "\n")]) }
    }

    private func copy() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var endsLine = true
        while true {
            let count = read(readEnd, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            Self.writeToStandardError(buffer[..<count])
            endsLine = buffer[count - 1] == UInt8(ascii: "\n")
        }
        close(readEnd)
        if !endsLine { Self.writeToStandardError([UInt8(ascii: "\n")]) }
        finished.signal()
    }

    private static func writeToStandardError(_ bytes: some Collection<UInt8>) {
        var remaining = Array(bytes)[...]
        while !remaining.isEmpty {
            let written = remaining.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            remaining = remaining.dropFirst(written)
        }
    }
}
