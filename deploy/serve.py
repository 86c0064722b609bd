"""`make serve`: N dashboard processes behind HAProxy on one port, kept running by supervisord.

    python deploy/serve.py start  [--workers N] [--port 8501] [--address ADDR] [--run-dir DIR]
    python deploy/serve.py check  [same options]   # write and validate the configuration, start nothing
    python deploy/serve.py status [--port 8501 | --run-dir DIR]   # each worker: balancer state, pid, sessions
    python deploy/serve.py examples                # rewrite the multi-host examples in deploy/

One host: HAProxy listens on the public port and forwards to N ``streamlit run app.py`` processes
on 127.0.0.1 (ports port+10 ... by default). supervisord starts them all, restarts any process that
exits, and stops them together on Ctrl-C or SIGTERM. ``start`` writes both configurations into the
run directory (``.serve/<port>/``: configs, logs, control sockets), checks them with ``haproxy -c``,
then becomes supervisord (exec), so the process that ``make serve`` started is the supervisor.

Why these parts (README "Serving many users" says more):

- Streamlit keeps a session, its uploads and the files behind its download buttons in the memory
  of the process that runs it, so a browser must stay with one process: HAProxy inserts a cookie
  (``JCM_WORKER``) naming the worker on the first response, and the page's websocket, media and
  downloads carry it back. Clients without cookies (a websocket alone) are balanced by least
  connections, which suits long-lived websockets.
- HAProxy asks every worker for ``/_stcore/health`` every 2 s and takes it out of rotation after 3
  failures, or at once when it refuses a connection; ``option redispatch`` sends a client whose
  cookie names a dead worker to a live one.
- The supervisor is supervisord (Debian's ``supervisor``), not HAProxy's own process manager: in
  HAProxy 2.6 (Debian 12) a ``program`` that exits is not restarted, its master stops every process
  and exits (seen here with ``kill -9`` of a program). systemd is not PID 1 in this sandbox, in CI or
  in most containers; supervisord runs in the foreground under any init, and on a host with systemd
  Debian's own ``supervisor.service`` starts it at boot.

This script uses the standard library only, plus ``jcm_dash.paths`` for the store's path.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from jcm_dash import paths  # noqa: E402

DEPLOY_DIR = REPO_ROOT / "deploy"
COOKIE = "JCM_WORKER"
BACKEND = "workers"
EXIT_USAGE = 2
# Health checks: every 2 s; every 0.5 s once one failed; 3 failures take a worker out, 2 successes
# bring it back (1 s apart). And a connection the worker refuses (its process is gone: a live but
# busy Streamlit still accepts connections) takes it out at once, before its next check.
CHECK = "check inter 2s fastinter 500ms downinter 1s fall 3 rise 2 observe layer4 error-limit 1 on-error mark-down"


@dataclass(frozen=True)
class Worker:
    """One dashboard process as the balancer sees it: ``name`` (the cookie value), host and port."""

    name: str
    host: str
    port: int

    @property
    def address(self) -> str:
        """``host:port``."""
        return f"{self.host}:{self.port}"


def local_workers(count: int, first_port: int, ports: list[int] | None = None, host: str = "127.0.0.1") -> list[Worker]:
    """``count`` workers w1..wN on ``host``, on consecutive ports from ``first_port`` (or on ``ports``)."""
    chosen = ports if ports else [first_port + i for i in range(count)]
    return [Worker(f"w{i}", host, port) for i, port in enumerate(chosen, start=1)]


def haproxy_config(workers: list[Worker], bind: str, stats_socket: Path | str | None, origin: str) -> str:
    """HAProxy's configuration: one frontend on ``bind``, sticky by cookie, health-checked workers."""
    stats = f"    stats socket {stats_socket} mode 600 level admin\n" if stats_socket else ""
    servers = "".join(f"    server {w.name} {w.address} cookie {w.name}\n" for w in workers)
    return f"""# {origin}
global
    # Each connection costs two file descriptors; 4,096 stays under supervisord's and most hosts' limits.
    maxconn 4096
    # No request log. HAProxy writes state changes (a worker DOWN or UP again) and errors to
    # stderr: haproxy.log in make serve's run directory, the journal under systemd.
{stats}    # A reload or stop does not wait for hours of open websockets.
    hard-stop-after 30s

defaults
    mode http
    # A client whose cookie names a worker that is down, or that refuses the connection, is sent to
    # a live one at once (a new session there), instead of waiting for retries to the dead one.
    option redispatch 1
    retries 2
    timeout connect 3s
    timeout client 60s
    # Downloads are made when their button is pressed; the briefing pack takes seconds, not minutes.
    timeout server 300s
    # A Streamlit page keeps its websocket open while the tab is open; the server pings it.
    timeout tunnel 1h
    timeout client-fin 10s
    timeout http-request 15s
    timeout http-keep-alive 15s
    timeout check 10s

frontend dashboard
    bind {bind}
    default_backend {BACKEND}

backend {BACKEND}
    # Websockets live long: a new client goes to the worker with the fewest open connections.
    balance leastconn
    # Stickiness: the first response names the worker; the page's websocket, its media and its
    # downloads (kept in that worker's memory) carry the cookie back to it.
    cookie {COOKIE} insert indirect nocache httponly attr "SameSite=Lax"
    option httpchk
    http-check send meth GET uri /_stcore/health
    http-check expect status 200
    # init-addr: a host name that does not resolve at start starts as down instead of failing.
    default-server {CHECK} init-addr last,libc,none
{servers}"""


def _supervisor_value(text: str) -> str:
    """Escape ``%`` (supervisord expands ``%(name)s`` in every value)."""
    return text.replace("%", "%%")


def supervisor_config(
    workers: list[Worker],
    *,
    python: str,
    repo: Path | str,
    db: Path | str,
    log_dir: Path | str,
    origin: str,
    run_dir: Path | str | None = None,
    haproxy: tuple[str, Path | str] | None = None,
    user: str | None = None,
) -> str:
    """The supervisord configuration for ``workers`` (and HAProxy when ``haproxy`` = (binary, config)).

    With ``run_dir`` the file is a whole supervisord configuration run in the foreground (``make
    serve``); without it, a file for ``/etc/supervisor/conf.d/`` on a host whose supervisord is
    started by its init (the multi-host example).
    """
    parts = [f"; {origin}\n"]
    if run_dir is not None:
        # Run by root (as in this sandbox and CI), supervisord warns unless told it is meant.
        as_root = "user=root\n" if os.geteuid() == 0 else ""
        parts.append(
            f"""[supervisord]
nodaemon=true
{as_root}logfile={_supervisor_value(str(Path(run_dir) / "supervisord.log"))}
logfile_maxbytes=10MB
logfile_backups=2
pidfile={_supervisor_value(str(Path(run_dir) / "supervisord.pid"))}
childlogdir={_supervisor_value(str(run_dir))}

; supervisorctl's socket. supervisord logs a CRIT line about running it without a password: only
; the owner can open it (0700).
[unix_http_server]
file={_supervisor_value(str(Path(run_dir) / "supervisor.sock"))}
chmod=0700

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://{_supervisor_value(str(Path(run_dir) / "supervisor.sock"))}

"""
        )
    owner = f"user={user}\n" if user else ""
    common = f"""{owner}autostart=true
; Restart on any exit, kill -9 included; give up only after 10 starts that died within 3 s.
autorestart=true
startsecs=3
startretries=10
stopwaitsecs=20
; Children (the briefing pack's Chromium, HAProxy's worker) are stopped with their process group.
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile_maxbytes=10MB
stdout_logfile_backups=2
"""
    for worker in workers:
        command = [
            python,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(worker.port),
            "--server.address",
            worker.host,
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
        ]
        parts.append(
            f"""[program:{worker.name}]
command={_supervisor_value(shlex.join(command))}
directory={_supervisor_value(str(repo))}
; Every worker reads the same store, read-only; an import's atomic swap is seen on the next rerun.
environment=JCM_DB="{_supervisor_value(str(db))}",PYTHONUNBUFFERED="1"
stdout_logfile={_supervisor_value(str(Path(log_dir) / f"{worker.name}.log"))}
{common}
"""
        )
    # A group's priority orders it (the programs' own do not): the workers start first, stop last.
    parts.append(f"[group:{BACKEND}]\nprograms={','.join(w.name for w in workers)}\npriority=100\n")
    if haproxy is not None:
        binary, config = haproxy
        parts.append(
            f"""
[program:balancer]
command={_supervisor_value(shlex.join([str(binary), "-W", "-db", "-f", str(config)]))}
; Started after the workers (and stopped before them); it health-checks them anyway.
priority=900
stdout_logfile={_supervisor_value(str(Path(log_dir) / "haproxy.log"))}
{common}"""
        )
    return "".join(parts)


# The multi-host example (deploy/haproxy-hosts.cfg, deploy/supervisor-app-host.conf): two app hosts
# with two workers each, behind one balancer host. tests/test_serve_config.py checks that the
# committed files are exactly what this script renders, so the one template above serves both.
EXAMPLE_HOSTS = ["app1.jcm.internal", "app2.jcm.internal"]
EXAMPLE_PORTS = [8511, 8512]
EXAMPLE_REPO = "/opt/jcm-dash"
EXAMPLE_DB = "/srv/jcm-dash/jcm.duckdb"
EXAMPLE_ORIGIN = "Rendered by `python deploy/serve.py examples` (edit deploy/serve.py, then re-render)."


def example_files() -> dict[Path, str]:
    """The multi-host example configurations, by path."""
    workers = [
        Worker(f"{host.split('.')[0]}-w{i}", host, port)
        for host in EXAMPLE_HOSTS
        for i, port in enumerate(EXAMPLE_PORTS, start=1)
    ]
    on_one_host = [Worker(f"w{i}", "0.0.0.0", port) for i, port in enumerate(EXAMPLE_PORTS, start=1)]
    return {
        DEPLOY_DIR / "haproxy-hosts.cfg": haproxy_config(
            workers, ":80", "/run/haproxy/jcm-dash.sock", f"Balancer host, /etc/haproxy/haproxy.cfg. {EXAMPLE_ORIGIN}"
        ),
        DEPLOY_DIR / "supervisor-app-host.conf": supervisor_config(
            on_one_host,
            python=f"{EXAMPLE_REPO}/.venv/bin/python",
            repo=EXAMPLE_REPO,
            db=EXAMPLE_DB,
            log_dir="/var/log/jcm-dash",
            origin=f"Each app host, /etc/supervisor/conf.d/jcm-dash.conf. {EXAMPLE_ORIGIN}\n"
            "; The workers listen on every interface: let only the balancer host reach ports 8511-8512.",
            user="jcm-dash",
        ),
    }


def default_run_dir(port: int) -> Path:
    """Where ``start`` writes its configuration, logs and sockets for ``port``."""
    return REPO_ROOT / ".serve" / str(port)


def tool(name: str) -> str | None:
    """The path of ``name`` (Debian installs haproxy in /usr/sbin, which a non-root PATH may lack)."""
    for folder in (None, "/usr/sbin", "/usr/bin"):
        found = shutil.which(name, path=folder)
        if found:
            return found
    return None


def port_is_free(host: str, port: int) -> bool:
    """Whether ``host:port`` can be bound now."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host or "0.0.0.0", port))
        except OSError:
            return False
    return True


def _stat_socket_command(stats_socket: Path, command: str) -> str:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10)
        sock.connect(str(stats_socket))
        sock.sendall(command.encode() + b"\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def balancer_stats(run_dir: Path) -> dict[str, dict[str, str]]:
    """Each worker's row of HAProxy's ``show stat`` (status UP/DOWN, scur, stot, chkdown ...), by name."""
    text = _stat_socket_command(Path(run_dir) / "haproxy.sock", "show stat").lstrip("# ")
    rows = csv.DictReader(io.StringIO(text))
    return {r["svname"]: r for r in rows if r["pxname"] == BACKEND and r["svname"] not in ("FRONTEND", "BACKEND")}


def supervised_pids(run_dir: Path) -> dict[str, int | None]:
    """Each supervised program's pid (None when not running), by name (w1.., balancer)."""
    ctl = tool("supervisorctl")
    if ctl is None:
        raise FileNotFoundError("supervisorctl")
    listing = subprocess.run(
        [ctl, "-c", str(Path(run_dir) / "supervisord.conf"), "status"], capture_output=True, text=True, timeout=30
    ).stdout
    pids: dict[str, int | None] = {}
    for line in listing.splitlines():
        fields = line.split()
        if not fields:
            continue
        name = fields[0].split(":")[-1]
        found = re.search(r"pid (\d+)", line)
        pids[name] = int(found.group(1)) if found else None
    return pids


def launch(port: int, worker_ports: list[int], run_dir: Path, db: Path, log: Path) -> subprocess.Popen:
    """Start ``serve.py start`` on 127.0.0.1 in the background, in a session of its own (tests, bench).

    The process returned is supervisord (``start`` execs it): SIGTERM stops HAProxy, then the workers.
    """
    with open(log, "w") as log_file:
        return subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "start",
                "--port",
                str(port),
                "--address",
                "127.0.0.1",
                "--worker-ports",
                ",".join(map(str, worker_ports)),
                "--run-dir",
                str(run_dir),
            ],
            cwd=REPO_ROOT,
            env={**os.environ, "JCM_DB": str(db)},
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="deploy/serve.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, helptext in (
        ("start", "start the workers and the balancer in the foreground (Ctrl-C stops all)"),
        ("check", "write and validate the configuration; start nothing"),
        ("status", "show each worker's balancer state, pid and sessions"),
        ("examples", "rewrite deploy/haproxy-hosts.cfg and deploy/supervisor-app-host.conf"),
    ):
        command = sub.add_parser(name, help=helptext)
        if name == "examples":
            continue
        command.add_argument("--port", type=int, default=8501, help="the balancer's port (default 8501)")
        command.add_argument("--run-dir", type=Path, help="configs, logs and sockets (default .serve/<port>/)")
        if name == "status":
            continue
        command.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)), help="default: cores")
        command.add_argument("--address", default="", help="the balancer's address (default: every interface)")
        command.add_argument("--worker-port", type=int, help="first worker port (default: port + 10)")
        command.add_argument("--worker-ports", help="comma-separated worker ports, instead of consecutive ones")
    return parser.parse_args(argv)


def _fail(message: str) -> int:
    print(f"deploy/serve.py: {message}", file=sys.stderr)
    return EXIT_USAGE


def _write(args: argparse.Namespace, haproxy: str, check_ports: bool) -> tuple[Path, list[Worker]] | str:
    """Write both configurations into the run directory; return it and the workers, or a problem."""
    ports = [int(p) for p in args.worker_ports.split(",")] if args.worker_ports else None
    if args.workers < 1 and not ports:
        return "--workers must be at least 1"
    workers = local_workers(args.workers, args.worker_port or args.port + 10, ports)
    if check_ports:
        busy = [str(args.port)] if not port_is_free(args.address, args.port) else []
        busy += [str(w.port) for w in workers if not port_is_free(w.host, w.port)]
        if busy:
            return f"port(s) {', '.join(busy)} already in use (another make run or make serve?); choose --port"
    run_dir = (args.run_dir or default_run_dir(args.port)).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    origin = "Written by deploy/serve.py for this run; edit deploy/serve.py, not this file."
    haproxy_cfg = run_dir / "haproxy.cfg"
    haproxy_cfg.write_text(
        haproxy_config(workers, f"{args.address}:{args.port}", run_dir / "haproxy.sock", origin), encoding="utf-8"
    )
    (run_dir / "supervisord.conf").write_text(
        supervisor_config(
            workers,
            python=sys.executable,
            repo=REPO_ROOT,
            db=paths.db_path().resolve(),
            log_dir=run_dir,
            origin=origin,
            run_dir=run_dir,
            haproxy=(haproxy, haproxy_cfg),
        ),
        encoding="utf-8",
    )
    checked = subprocess.run([haproxy, "-c", "-q", "-f", str(haproxy_cfg)], capture_output=True, text=True)
    if checked.returncode != 0:
        return f"haproxy rejected {haproxy_cfg}:\n{checked.stdout}{checked.stderr}"
    return run_dir, workers


def main(argv: list[str] | None = None) -> int:
    """Run the sub-command; exit code 2 with a one-line reason when something is missing or busy."""
    args = _args(argv)
    if args.command == "examples":
        for path, text in example_files().items():
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(REPO_ROOT)}")
        return 0
    if args.command == "status":
        run_dir = args.run_dir or default_run_dir(args.port)
        try:
            stats, pids = balancer_stats(run_dir), supervised_pids(run_dir)
        except OSError as err:
            return _fail(f"nothing is serving from {run_dir} ({err})")
        print(f"{'worker':8} {'balancer':10} {'pid':>8} {'sessions now':>13} {'sessions total':>15}")
        for name, row in stats.items():
            pid = pids.get(name)
            print(f"{name:8} {row['status']:10} {pid or '-':>8} {row['scur']:>13} {row['stot']:>15}")
        print(f"balancer pid {pids.get('balancer') or '-'}")
        return 0
    haproxy, supervisord = tool("haproxy"), tool("supervisord")
    if haproxy is None or supervisord is None:
        return _fail("haproxy and supervisord are needed: `make serve` installs them (Debian: haproxy supervisor)")
    if args.command == "start" and not paths.db_path().exists():
        return _fail(f"no JCM store at {paths.db_path()}: run `make store` (make serve does)")
    written = _write(args, haproxy, check_ports=args.command == "start")
    if isinstance(written, str):
        return _fail(written)
    run_dir, workers = written
    host = args.address or "localhost"
    print(
        f"jcm-dash: http://{host}:{args.port}  (HAProxy -> {len(workers)} worker(s) on "
        f"{', '.join(w.address for w in workers)}, sticky by cookie {COOKIE})\n"
        f"  store:   {paths.db_path().resolve()} (read-only; an import is served on each session's next interaction)\n"
        f"  config:  {run_dir}/haproxy.cfg, {run_dir}/supervisord.conf; logs in {run_dir}/\n"
        f"  status:  {sys.executable} deploy/serve.py status --run-dir {run_dir}",
        flush=True,
    )
    if args.command == "check":
        return 0
    print("  supervisord restarts any worker that exits; Ctrl-C stops everything.", flush=True)
    os.execv(supervisord, [supervisord, "-n", "-c", str(run_dir / "supervisord.conf")])
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
