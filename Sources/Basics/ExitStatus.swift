/// gantry's exit codes, as the README's Commands section documents them. A record keeps the
/// number, so that a summary written by another gantry reads it the same way.
package enum ExitStatus {
    /// The command did its job, and every gate and test it ran passed.
    package static let success: Int32 = 0
    /// A gate, test or teardown failed: a result, not an error.
    package static let failure: Int32 = 1
    /// A usage or configuration error: the command could not do its job.
    package static let usage: Int32 = 2
    /// The run was cancelled (SIGINT or SIGTERM), after its cleanup: 128 + SIGINT, as a shell reports it.
    package static let cancelled: Int32 = 130
}
