#include <git2.h>
// Similarity signatures, for rename detection over gantry's own tree walk.
#include <git2/sys/hashsig.h>

// git_libgit2_opts is variadic, which Swift cannot call: one shim per option gantry sets.
static inline int gantry_git_set_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}
