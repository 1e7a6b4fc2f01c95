#!/usr/bin/env python3
"""Generate the synthetic monorepo used by scripts/bench/changes.sh.

Creates (or reuses) a git repository at <dir>/repo with:
  * services/svc-000 .. svc-NNN, each with exactly --files-per-service files
    over nested directories (src/, tests/, docs/*.md, scripts/, deeper levels),
  * libs/common-00 .. common-09 (--lib-files files each), shared via depends_on,
  * a few top-level files, .github/workflows/ci.yml and gantry.yml,
then a BASE commit and a HEAD commit changing ~2,000 files across many
services (modified / added / deleted / renamed exact and inexact, plus a
couple of changes under libs/). Nothing under .github/ or gantry.yml changes
in HEAD, so no global path short-circuits the work.

Everything is deterministic (fixed seed, identity and dates), so BASE/HEAD
shas are identical across machines for the same parameters.

On success it writes <dir>/bench-meta.json and prints it as one JSON line
on stdout (keys: repo, base, head, files, change counts, ...). If <dir>
already holds a repository generated with the same parameters by the same
generator version, it is reused as is.

Python 3 standard library only. Usage:
  generate-monorepo.py --dir /tmp/gantry-bench [--services 200]
      [--files-per-service 450] [--lib-files 1000] [--diff-files 2000] [--seed 42]
      [--no-checkout]

--diff-files scales the whole change mix below (modified, added, deleted,
renamed) to about that many files. --no-checkout writes only gantry.yml to the
work tree instead of checking HEAD out (for the scaling table: much faster,
and gantry reads only gantry.yml from disk).
"""

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time

GENERATOR_VERSION = 1
META_NAME = "bench-meta.json"
N_GROUPS = 10

# Change mix of the HEAD commit for --diff-files 2000 (services only; lib changes come on top);
# other sizes scale every count alike.
N_MODIFIED = 1200
N_ADDED = 300
N_DELETED = 200
N_RENAMED = 300
N_RENAMED_INEXACT = 60  # of N_RENAMED, renamed with a small content edit
N_TOUCHED_SERVICES = 160  # services getting code changes
N_DOCS_ONLY_SERVICES = 20  # services whose only changes are ignored *.md files

SRC_MODULES = ["api", "core", "db", "handlers", "models", "util", "workers", "config"]
SRC_SUBDIRS = ["impl", "internal", "public"]
WORDS = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
         "omicron pi rho sigma tau upsilon phi chi psi omega request response cache "
         "queue token session index buffer stream record schema handler router").split()


def log(msg):
    print(f"[generate-monorepo] {msg}", file=sys.stderr, flush=True)


def git_env(date):
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("GIT_"):
            del env[k]
    env.update({
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_AUTHOR_NAME": "Gantry Bench",
        "GIT_AUTHOR_EMAIL": "bench@gantry.invalid",
        "GIT_COMMITTER_NAME": "Gantry Bench",
        "GIT_COMMITTER_EMAIL": "bench@gantry.invalid",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "LC_ALL": "C",
    })
    return env


def git(repo, *args, date="2024-01-01T00:00:00+00:00", capture=False):
    res = subprocess.run(["git", "-C", repo, *args], env=git_env(date), check=True,
                         stdout=subprocess.PIPE if capture else subprocess.DEVNULL)
    return res.stdout.decode().strip() if capture else None


# ---------------------------------------------------------------- layout

def service_layout(n_files):
    """Relative paths (inside one service) for exactly n_files files."""
    paths = ["README.md", "Dockerfile", "Makefile", "service.yml", ".dockerignore"]
    paths += [f"docs/{w}.md" for w in WORDS[:15]]
    paths += [f"docs/adr/{i:04d}-decision.md" for i in range(1, 11)]
    paths += [f"docs/runbooks/{w}.md" for w in WORDS[15:20]]
    for m in SRC_MODULES:
        paths += [f"src/{m}/{m}_{k}.swift" for k in ("main", "types", "errors")]
        for s in SRC_SUBDIRS:
            paths += [f"src/{m}/{s}/{w}_{m}.swift" for w in WORDS[:9]]
    paths += [f"src/core/internal/engine/v2/{w}.swift" for w in WORDS[:15]]
    paths += [f"src/core/internal/engine/v2/plugins/{w}/plugin.swift" for w in WORDS[15:25]]
    for m in SRC_MODULES:
        paths += [f"tests/{m}/{w}_{m}_tests.swift" for w in WORDS[:15]]
    paths += [f"tests/fixtures/data/{w}.json" for w in WORDS[:20]]
    paths += [f"scripts/{w}.sh" for w in WORDS[:10]]
    i = 0
    while len(paths) < n_files:  # pad deterministically if asked for more
        paths.append(f"src/gen/p{i // 20:03d}/gen_{i:05d}.swift")
        i += 1
    # Fewer files than the layout holds: an even sample, so small services keep their mix of code and docs.
    return [paths[k * len(paths) // n_files] for k in range(n_files)]


def lib_layout(n_files):
    paths = []
    pkg = 0
    while len(paths) < n_files:
        for sub in range(5):
            paths += [f"src/pkg{pkg:02d}/sub{sub}/{w}.swift" for w in WORDS[:10]]
        pkg += 1
    return paths[:n_files]


def content_for(path, salt=""):
    """Deterministic, unique-per-file text of 12..60 lines."""
    h = hashlib.blake2b((path + salt).encode(), digest_size=16).hexdigest()
    n = 12 + int(h[:4], 16) % 49
    if path.endswith(".md"):
        lines = [f"# {path}", ""]
        lines += [f"{WORDS[(int(h[i % 30:i % 30 + 2], 16) + i) % len(WORDS)]} paragraph {i} of {h[:12]}"
                  for i in range(n)]
    else:
        lines = [f"// {path}", f"// id {h}"]
        lines += [f"let {WORDS[(int(h[i % 30:i % 30 + 2], 16) + i) % len(WORDS)]}_{i} = \"{h[i % 24:i % 24 + 8]}-{i}\""
                  for i in range(n)]
    return "\n".join(lines) + "\n"


def gantry_yml(n_services):
    out = ["version: 1", "registry: ghcr.io/acme",
           'global: [".github/workflows/**", "gantry.yml"]', "groups:"]
    for g in range(N_GROUPS):
        out.append(f'  common-{g:02d}: ["libs/common-{g:02d}/**"]')
    out.append("services:")
    for i in range(n_services):
        deps = []
        kind = i % 4
        if kind in (0, 2):
            deps.append(f"common-{(i * 7) % N_GROUPS:02d}")
        if kind in (1, 2) and i >= 5:
            deps.append(f"svc-{i - 1 - (i % 5):03d}")  # always a lower index: acyclic
        out.append(f"  svc-{i:03d}:")
        out.append(f'    paths: ["services/svc-{i:03d}/**"]')
        out.append('    ignore: ["**/*.md"]')
        if deps:
            out.append(f"    depends_on: [{', '.join(deps)}]")
    return "\n".join(out) + "\n"


CI_YML = """name: ci
on: [push, pull_request]
jobs:
  changes:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: {fetch-depth: 0}
      - run: gantry changes --format json
"""


# ---------------------------------------------------------------- generation

def generate_base(args):
    """Return {path: content} of the BASE tree."""
    files = {}
    svc_paths = service_layout(args.files_per_service)
    lib_paths = lib_layout(args.lib_files)
    for i in range(args.services):
        base = f"services/svc-{i:03d}/"
        for rel in svc_paths:
            files[base + rel] = content_for(base + rel)
    for g in range(N_GROUPS):
        base = f"libs/common-{g:02d}/"
        for rel in lib_paths:
            files[base + rel] = content_for(base + rel)
    files.update({
        "README.md": "# acme monorepo\n\nSynthetic repository for gantry benchmarks.\n",
        ".gitignore": ".build/\n*.swp\n",
        "Makefile": "all:\n\t@echo build\n",
        "docs/ARCHITECTURE.md": "# Architecture\n\nServices live in services/, shared code in libs/.\n",
        ".github/workflows/ci.yml": CI_YML,
        "gantry.yml": gantry_yml(args.services),
    })
    return files


def apply_change(files, args):
    """Compute the HEAD change against the BASE tree `files`.

    Returns (deleted_paths, {path: new_content}, counts); renames appear as a
    deletion of the source plus a write of the destination (git records trees,
    not renames, so this is the same commit `git mv` would produce).
    """
    rng = random.Random(args.seed)
    scale = args.diff_files / 2000
    n_modified, n_new, n_deleted, n_renamed, n_renamed_inexact = (
        round(n * scale) for n in (N_MODIFIED, N_ADDED, N_DELETED, N_RENAMED, N_RENAMED_INEXACT))
    svc_paths = service_layout(args.files_per_service)
    code_paths = [p for p in svc_paths if not p.endswith(".md")]
    md_paths = [p for p in svc_paths if p.endswith(".md")]
    services = [f"svc-{i:03d}" for i in range(args.services)]
    order = services[:]
    rng.shuffle(order)
    n_touched = min(N_TOUCHED_SERVICES, len(order))
    touched = order[:n_touched]
    docs_only = order[n_touched:n_touched + N_DOCS_ONLY_SERVICES]

    used = set()

    def pick(svcs, pool):
        for _ in range(10000):
            p = f"services/{rng.choice(svcs)}/{rng.choice(pool)}"
            if p not in used:
                used.add(p)
                return p
        raise SystemExit("could not pick an unused file; increase --files-per-service")

    # Modified: mostly code in touched services, some docs, plus docs-only services
    # (their *.md edits are ignored, so they must not be reported changed by paths).
    n_docs_only_mods = min(n_modified // 20, 3 * len(docs_only))
    modified = [pick(docs_only, md_paths) for _ in range(n_docs_only_mods)] if docs_only else []
    n_left = n_modified - len(modified)
    modified += [pick(touched, md_paths if k % 10 == 0 else code_paths) for k in range(n_left)]
    deleted = [pick(touched, code_paths if k % 5 else svc_paths) for k in range(n_deleted)]
    rename_src = [pick(touched, code_paths) for _ in range(n_renamed)]

    writes = {}
    removes = list(deleted)
    for k, p in enumerate(modified):
        lines = files[p].split("\n")
        idx = 2 + (k % max(1, len(lines) - 3))
        lines[idx] = lines[idx] + f" // edited {k}"
        if k % 3 == 0:
            lines.insert(idx + 1, f"let added_in_head_{k} = {k}")
        writes[p] = "\n".join(lines)

    inexact = 0
    for k, src in enumerate(rename_src):
        parts = src.split("/")  # services/svc-xxx/...
        svc = parts[1]
        if k % 10 == 9:  # ~10% move to another service
            svc = rng.choice(touched)
        rest = parts[2:]
        if k % 2 == 0:
            rest = rest[:-1] + ["moved"] + rest[-1:]  # new directory level
        else:
            stem, ext = os.path.splitext(rest[-1])
            rest = rest[:-1] + [f"{stem}_renamed{ext}"]
        dst = "/".join(["services", svc] + rest)
        while dst in used or dst in files:
            stem, ext = os.path.splitext(dst)
            dst = f"{stem}_x{ext}"
        used.add(dst)
        text = files[src]
        # Exact vs inexact: every 5th rename (60 of 300) also edits its content.
        if k % 5 == 4 and inexact < n_renamed_inexact:
            inexact += 1
            lines = text.split("\n")
            lines[3] = lines[3] + " // tweaked while moving"
            lines.insert(4, f"let moved_marker_{k} = true")
            text = "\n".join(lines)
        removes.append(src)
        writes[dst] = text

    n_added = 0
    for k in range(n_new):
        svc = touched[k % len(touched)]
        if k % 3 == 0:
            rel = f"src/features/feature_{k:03d}/entry_{k:03d}.swift"
        elif k % 3 == 1:
            rel = f"src/{SRC_MODULES[k % 8]}/{SRC_SUBDIRS[k % 3]}/new_{k:03d}.swift"
        else:
            rel = f"tests/{SRC_MODULES[k % 8]}/new_{k:03d}_tests.swift"
        p = f"services/{svc}/{rel}"
        writes[p] = content_for(p, salt="added")
        n_added += 1

    # A couple of changes in shared libs (they cascade through depends_on).
    lib_paths = lib_layout(args.lib_files)
    for rel in (lib_paths[7], lib_paths[421 % len(lib_paths)]):
        p = f"libs/common-03/{rel}"
        writes[p] = files[p] + "// lib change in head\n"
    p = "libs/common-07/src/pkg00/sub0/new_helper.swift"
    writes[p] = content_for(p, salt="added")

    counts = {
        "modified": len(modified), "added": n_added, "deleted": len(deleted),
        "renamed": len(rename_src), "renamed_inexact": inexact,
        "lib_changes": 3,
        "services_touched": len(touched), "services_docs_only": len(docs_only),
    }
    return removes, writes, counts


def fast_import(repo, files, removes, writes):
    """Write BASE (all of `files`) and HEAD (removes + writes) with one
    `git fast-import` run: a single packfile, no loose objects, no repack."""
    ident = "Gantry Bench <bench@gantry.invalid>"
    proc = subprocess.Popen(["git", "-C", repo, "fast-import", "--quiet", "--date-format=raw"],
                            stdin=subprocess.PIPE, env=git_env("2024-01-01T00:00:00+00:00"))
    out = proc.stdin
    buf = []
    size = 0

    def emit(s):
        nonlocal size
        b = s.encode()
        buf.append(b)
        size += len(b)
        if size > (4 << 20):
            flush()

    def flush():
        nonlocal size
        out.write(b"".join(buf))
        buf.clear()
        size = 0

    def data(text):
        emit(f"data {len(text.encode())}\n{text}\n")

    def commit(mark, when, msg, parent=None):
        emit(f"commit refs/heads/main\nmark :{mark}\n"
             f"author {ident} {when} +0000\ncommitter {ident} {when} +0000\n")
        data(msg)
        if parent:
            emit(f"from :{parent}\n")

    commit(1, 1704067200, "BASE: synthetic monorepo")
    for path in sorted(files):
        emit(f"M 100644 inline {path}\n")
        data(files[path])
    commit(2, 1704070800, "HEAD: 2,000-file change", parent=1)
    for path in sorted(removes):
        emit(f"D {path}\n")
    for path in sorted(writes):
        emit(f"M 100644 inline {path}\n")
        data(writes[path])
    emit("done\n")
    flush()
    out.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--services", type=int, default=200)
    ap.add_argument("--files-per-service", type=int, default=450)
    ap.add_argument("--lib-files", type=int, default=1000)
    ap.add_argument("--diff-files", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--no-checkout", action="store_true", help="write only gantry.yml to the work tree")
    ap.add_argument("--force", action="store_true", help="regenerate even if reusable")
    args = ap.parse_args()

    root = os.path.abspath(args.dir)
    repo = os.path.join(root, "repo")
    meta_path = os.path.join(root, META_NAME)
    with open(os.path.abspath(__file__), "rb") as f:
        gen_hash = hashlib.sha256(f.read()).hexdigest()[:16]
    params = {"generator_version": GENERATOR_VERSION, "generator_sha": gen_hash,
              "services": args.services, "files_per_service": args.files_per_service,
              "lib_files": args.lib_files, "diff_files": args.diff_files, "seed": args.seed,
              "checkout": not args.no_checkout}

    if os.path.exists(meta_path) and not args.force:
        try:
            with open(meta_path) as f:
                meta = json.load(f)
            if meta.get("params") == params:
                git(repo, "cat-file", "-e", meta["base"] + "^{commit}")
                git(repo, "cat-file", "-e", meta["head"] + "^{commit}")
                if os.path.isfile(os.path.join(repo, "gantry.yml")):
                    log(f"reusing {repo}")
                    meta["reused"] = True
                    print(json.dumps(meta))
                    return
        except (OSError, ValueError, KeyError, subprocess.CalledProcessError):
            pass
        log("existing bench dir has different parameters or is incomplete; regenerating")

    # Only ever delete what this generator created.
    if os.path.exists(root):
        entries = set(os.listdir(root))
        if entries - {"repo", META_NAME}:
            raise SystemExit(f"{root} exists and contains files this generator did not create; "
                             "refusing to touch it (pick another BENCH_DIR)")
        if os.path.exists(meta_path):
            os.remove(meta_path)
        if os.path.exists(repo):
            shutil.rmtree(repo)
    os.makedirs(repo)

    t0 = time.monotonic()
    git(repo, "init", "-q", "-b", "main")
    for k, v in (("gc.auto", "0"), ("core.autocrlf", "false"), ("commit.gpgsign", "false"),
                 ("maintenance.auto", "false")):
        git(repo, "config", k, v)
    files = generate_base(args)
    n_files = len(files)
    removes, writes, counts = apply_change(files, args)
    log(f"generated {n_files} files + change in memory ({time.monotonic() - t0:.1f}s); "
        "running git fast-import")
    fast_import(repo, files, removes, writes)
    del files, writes
    base = git(repo, "rev-parse", "main~1", capture=True)
    head = git(repo, "rev-parse", "main", capture=True)
    if args.no_checkout:
        with open(os.path.join(repo, "gantry.yml"), "w") as f:
            f.write(gantry_yml(args.services))
    else:
        log(f"BASE and HEAD imported ({time.monotonic() - t0:.1f}s); checking out HEAD")
        git(repo, "-c", "checkout.workers=0", "reset", "-q", "--hard", "main")
        log(f"work tree written ({time.monotonic() - t0:.1f}s)")
    ns = git(repo, "diff", "--name-status", "-M", base, head, capture=True).splitlines()
    status_counts = {}
    for line in ns:
        c = line[0]
        status_counts[c] = status_counts.get(c, 0) + 1

    meta = {"params": params, "repo": repo, "base": base, "head": head,
            "files_in_base": n_files, "change": counts,
            "git_name_status_counts": status_counts,
            "generation_seconds": round(time.monotonic() - t0, 1)}
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=2)
    log(f"generated in {meta['generation_seconds']}s: {n_files} files, "
        f"git diff -M sees {status_counts}")
    meta["reused"] = False
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
