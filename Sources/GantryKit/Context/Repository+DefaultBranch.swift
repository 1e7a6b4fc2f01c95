import Basics
import Git

extension Repository {
    /// The default branch's ref and tip as a clone knows it: origin's HEAD, else origin's or the
    /// local `main` or `master`.
    var defaultBranch: (reference: String, tip: ObjectID)? {
        var candidates: [String] = []
        if let originHead = symbolicTarget(of: "refs/remotes/origin/HEAD") { candidates.append(originHead) }
        candidates += ["refs/remotes/origin/main", "refs/remotes/origin/master", "refs/heads/main", "refs/heads/master"]
        return candidates.lazy.compactMap { name in self.referenceTarget(name).map { (name, $0) } }.first
    }
}
