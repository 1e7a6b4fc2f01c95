#!/usr/bin/env python3
"""Time shell commands side by side, alternating them run by run.

hyperfine runs all of one command's runs before the next command's, so on a machine shared with
other work a change of load between the two blocks shows as a difference between the commands.
Here every round runs each command once, in an order that rotates from round to round, so both
sides see the same load; ratios are taken between medians.

Each run is `/bin/sh -c COMMAND` with its output to /dev/null. Wall time is measured around the
run; CPU time (user + system) is the process's own, from wait4, its waited-for children included.
--no-shell splits each command into words (shlex) and runs it directly, as `hyperfine -N` does: for
commands of a few milliseconds, where the shell's own start would be most of the figure.
--keep-output keeps each run's standard output in the JSON ("outputs"), for commands whose figure
is what they print (requests a second), not how long they take.

Usage:
  alternate.py --runs 15 --warmup 3 --export-json out.json \\
      --command git "git diff --name-status -M A B" --command gantry "gantry changes ..."

The JSON holds, per command in the order given: name, median (wall, seconds), cpu (median CPU
seconds), and every run's wall and cpu (and output, with --keep-output). A summary is printed to standard output.
"""

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(command, shell, keep_output):
    """Runs `command` once: its wall time, its CPU time, and its standard output when kept."""
    arguments = ["/bin/sh", "-c", command] if shell else shlex.split(command)
    output = tempfile.TemporaryFile() if keep_output else subprocess.DEVNULL
    start = time.perf_counter()
    process = subprocess.Popen(arguments, stdout=output)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"alternate.py: the command exited with {process.returncode}: {command}")
    text = None
    if keep_output:
        output.seek(0)
        text = output.read().decode(errors="replace")
        output.close()
    return wall, usage.ru_utime + usage.ru_stime, text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--export-json", required=True)
    parser.add_argument("--command", nargs=2, action="append", metavar=("NAME", "SHELL"), required=True)
    parser.add_argument("--no-shell", action="store_true", help="run each command's words directly, without /bin/sh")
    parser.add_argument("--keep-output", action="store_true", help="keep each run's standard output in the JSON")
    args = parser.parse_args()
    commands = args.command
    run = lambda command: run_once(command, shell=not args.no_shell, keep_output=args.keep_output)

    for _ in range(args.warmup):
        for _, command in commands:
            run(command)
    walls = [[] for _ in commands]
    cpus = [[] for _ in commands]
    outputs = [[] for _ in commands]
    for round_number in range(args.runs):
        for offset in range(len(commands)):
            index = (round_number + offset) % len(commands)
            wall, cpu, output = run(commands[index][1])
            walls[index].append(wall)
            cpus[index].append(cpu)
            outputs[index].append(output)

    results = [
        {"name": name, "median": statistics.median(walls[i]), "cpu": statistics.median(cpus[i]),
         "walls": walls[i], "cpus": cpus[i], **({"outputs": outputs[i]} if args.keep_output else {})}
        for i, (name, _) in enumerate(commands)
    ]
    with open(args.export_json, "w") as file:
        json.dump({"runs": args.runs, "results": results}, file, indent=2)
    width = max(len(name) for name, _ in commands)
    for result in results:
        print(f"  {result['name']:<{width}}  wall median {result['median'] * 1000:7.1f} ms "
              f"(min {min(result['walls']) * 1000:.1f}, max {max(result['walls']) * 1000:.1f})  "
              f"CPU median {result['cpu'] * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
