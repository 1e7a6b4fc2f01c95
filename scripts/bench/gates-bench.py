#!/usr/bin/env python3
"""Drives the gates benchmarks of scripts/bench/gates.sh: servers that become ready at known
moments, gantry runs against them, and the figures as JSON on standard output.

  readiness  --gantry BIN --runs N --seed S
      N times: one HTTP server that starts listening at a random moment 0.5-2 s after
      `gantry gate --http URL` starts (default settings); the delay is gantry's exit time minus
      the moment the server became ready. Prints {"delays": [...]}.

  staggered  --gantry BIN --runs N --services 100 --within 5 --seed S
      N times: one asyncio process listening on 100 ports, each opened at a random moment within
      5 s; a generated gantry.yml gives each service an http and a tcp check; `gantry gate --url
      NAME=URL ...` gates them all. Prints {"runs": [{"wall": s, "slowest": s, "over": s}, ...]}.

Every time is from one clock, CLOCK_MONOTONIC, which all processes on the machine share.
"""
import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time

RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"


def reserve_port():
    """A socket bound to a free loopback port but not listening: connecting to it is refused,
    as to a service that has not started, and no other process can take the port meanwhile."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


async def serve_http(reader, writer):
    """A keep-alive HTTP/1.1 server that answers every request with 200 "ok"."""
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            if not head:
                break
            writer.write(RESPONSE)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def open_at(sock, moment, opened):
    """Starts listening on `sock` at `moment` (monotonic) and records when it did."""
    await asyncio.sleep(max(0.0, moment - time.monotonic()))
    server = await asyncio.start_server(serve_http, sock=sock, backlog=512)
    opened.append(time.monotonic())
    return server


def run_servers(schedule, stop):
    """Runs an event loop in this thread that opens each (socket, moment) of `schedule` at its
    moment and serves until `stop` is set; returns the moments each port opened."""
    opened = []

    async def main():
        servers = await asyncio.gather(*(open_at(sock, moment, opened) for sock, moment in schedule))
        while not stop.is_set():
            await asyncio.sleep(0.01)
        for server in servers:
            server.close()

    asyncio.run(main())
    return opened


def with_servers(schedule_offsets, body):
    """Reserves one port per offset, opens each `offset` seconds after `body` signals its start,
    and returns body's result with the moments the ports opened."""
    sockets = [reserve_port() for _ in schedule_offsets]
    ports = [sock.getsockname()[1] for sock in sockets]
    stop = threading.Event()
    started = threading.Event()
    holder = {}

    def server_thread():
        started.wait()
        holder["opened"] = run_servers(list(zip(sockets, (holder["start"] + offset for offset in schedule_offsets))), stop)

    thread = threading.Thread(target=server_thread)
    thread.start()

    def mark_start():
        holder["start"] = time.monotonic()
        started.set()

    try:
        result = body(ports, mark_start)
    finally:
        started.set()
        stop.set()
        thread.join()
        for sock in sockets:
            sock.close()
    return result, holder.get("opened", [])


def readiness(options):
    rng = random.Random(options.seed)
    environment = clean_environment()
    delays = []
    with tempfile.TemporaryDirectory(prefix="gantry-bench-ready-") as directory:
        for run in range(options.runs):
            offset = rng.uniform(0.5, 2.0)

            def body(ports, mark_start):
                arguments = [options.gantry, "gate", "--http", f"http://127.0.0.1:{ports[0]}/health", "--state-dir", directory]
                mark_start()
                start = time.monotonic()
                process = subprocess.run(arguments, cwd=directory, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                return start, time.monotonic(), process.returncode, process.stdout.decode(errors="replace")

            (start, end, status, output), opened = with_servers([offset], body)
            if status != 0 or not opened:
                sys.exit(f"readiness run {run + 1}: gantry exited with {status}:\n{output}")
            delays.append(end - opened[0])
            print(f"  run {run + 1:2}: ready after {opened[0] - start:.2f} s, gantry passed {end - opened[0]:.3f} s later",
                  file=sys.stderr)
    json.dump({"delays": delays}, sys.stdout)


def staggered(options):
    rng = random.Random(options.seed)
    environment = clean_environment()
    runs = []
    names = [f"svc-{index:03}" for index in range(options.services)]
    with tempfile.TemporaryDirectory(prefix="gantry-bench-many-") as directory:
        with open(os.path.join(directory, "gantry.yml"), "w") as configuration:
            configuration.write("version: 1\nservices:\n")
            for name in names:
                configuration.write(f"  {name}:\n    paths: [\"{name}/**\"]\n"
                                    "    health: [\"${url}/health\", {tcp: \"127.0.0.1:${port}\"}]\n")
        for run in range(options.runs):
            offsets = [rng.uniform(0.0, options.within) for _ in names]

            def body(ports, mark_start):
                arguments = [options.gantry, "gate", "--config", "gantry.yml", "--state-dir", os.path.join(directory, "state"),
                             "--format", "json"]
                for name, port in zip(names, ports):
                    arguments += ["--url", f"{name}=http://127.0.0.1:{port}"]
                mark_start()
                start = time.monotonic()
                process = subprocess.run(arguments, cwd=directory, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                return start, time.monotonic(), process.returncode, process.stdout.decode(errors="replace") + process.stderr.decode(errors="replace")

            (start, end, status, output), opened = with_servers(offsets, body)
            if status != 0 or len(opened) != len(names):
                sys.exit(f"staggered run {run + 1}: gantry exited with {status}:\n{output[-4000:]}")
            checks = json.loads(output[:output.rindex("}") + 1])["checks"]
            if len(checks) != 2 * len(names) or any(check["verdict"] != "passed" for check in checks):
                sys.exit(f"staggered run {run + 1}: not every check passed")
            slowest = max(opened)
            runs.append({"wall": end - start, "slowest": slowest - start, "over": end - slowest})
            print(f"  run {run + 1}: the last port opened after {slowest - start:.2f} s, gantry finished after {end - start:.2f} s "
                  f"({end - slowest:.3f} s later)", file=sys.stderr)
    json.dump({"runs": runs}, sys.stdout)


def clean_environment():
    """The environment without GitHub Actions' variables, so gantry works in local mode."""
    return {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_") and key != "RUNNER_TEMP"}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    ready = commands.add_parser("readiness")
    ready.add_argument("--gantry", required=True)
    ready.add_argument("--runs", type=int, default=15)
    ready.add_argument("--seed", type=int, default=1)
    many = commands.add_parser("staggered")
    many.add_argument("--gantry", required=True)
    many.add_argument("--runs", type=int, default=5)
    many.add_argument("--services", type=int, default=100)
    many.add_argument("--within", type=float, default=5.0)
    many.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    {"readiness": readiness, "staggered": staggered}[options.command](options)


if __name__ == "__main__":
    main()
