#include <git2.h>
// Similarity signatures, for rename detection over gantry's own tree walk.
#include <git2/sys/hashsig.h>
