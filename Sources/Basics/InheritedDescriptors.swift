#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Makes a spawn close every descriptor above standard error in the child.
///
/// Without it a child inherits every descriptor its parent has open that is not close-on-exec
/// (Foundation opens pipes and files without it): a runner's or a test harness's pipes, which it
/// would hold open after the parent exits, so whoever waits for the parent's output to end would
/// wait for the child instead; or a file being written, which could then not be executed (ETXTBSY).
package func closeInheritedDescriptors(in actions: inout posix_spawn_file_actions_t) {
    if let addCloseFrom { _ = addCloseFrom(&actions, 3) }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc module
/// does not declare.
private let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
    guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
}()
