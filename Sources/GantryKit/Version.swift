/// gantry's version, as `--version` prints it and reports name it.
///
/// The tree says 0.1.0; scripts/release.sh rewrites this file in its copy of the tree to stamp the
/// release's version, so keep it one constant on a line of its own.
package let gantryVersion = "0.1.0"
