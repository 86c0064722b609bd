"""deploy/serve.py's configuration: HAProxy accepts it, the committed multi-host examples match it, errors are clear."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from deploy import serve
from jcm_dash import paths


def run_serve(*args: str, db: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "JCM_DB": str(db)} if db else dict(os.environ)
    return subprocess.run(
        [sys.executable, "deploy/serve.py", *args],
        cwd=paths.REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_writes_a_configuration_haproxy_accepts(tiny_db: Path, tmp_path: Path) -> None:
    """`check` with 3 workers: HAProxy's own check passes; 3 sticky servers and 3 supervised workers."""
    done = run_serve("check", "--workers", "3", "--port", "18501", "--run-dir", str(tmp_path), db=tiny_db)
    assert done.returncode == 0, done.stderr
    haproxy = (tmp_path / "haproxy.cfg").read_text()
    for n, port in enumerate((18511, 18512, 18513), start=1):
        assert f"server w{n} 127.0.0.1:{port} cookie w{n}\n" in haproxy
    assert "bind :18501\n" in haproxy
    assert f"cookie {serve.COOKIE} insert indirect nocache" in haproxy
    assert "uri /_stcore/health" in haproxy
    supervisor = (tmp_path / "supervisord.conf").read_text()
    assert [line for line in supervisor.splitlines() if line.startswith("[program:")] == [
        "[program:w1]",
        "[program:w2]",
        "[program:w3]",
        "[program:balancer]",
    ]
    assert supervisor.count(f'environment=JCM_DB="{tiny_db.resolve()}"') == 3
    assert "--server.port 18513 --server.address 127.0.0.1" in supervisor


def test_committed_multi_host_examples_are_what_the_script_renders() -> None:
    """deploy/haproxy-hosts.cfg and deploy/supervisor-app-host.conf come from the same template as make serve."""
    for path, text in serve.example_files().items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name}: run python deploy/serve.py examples"


def test_multi_host_balancer_example_is_valid(tmp_path: Path) -> None:
    """HAProxy accepts the balancer host's example (its host names replaced by loopback: no lookup)."""
    text = (serve.DEPLOY_DIR / "haproxy-hosts.cfg").read_text(encoding="utf-8")
    for host in serve.EXAMPLE_HOSTS:
        text = text.replace(host, "127.0.0.1")
    text = text.replace("/run/haproxy/jcm-dash.sock", str(tmp_path / "haproxy.sock"))
    config = tmp_path / "haproxy.cfg"
    config.write_text(text, encoding="utf-8")
    checked = subprocess.run([serve.tool("haproxy"), "-c", "-f", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert text.count(" cookie app") == len(serve.EXAMPLE_HOSTS) * len(serve.EXAMPLE_PORTS)


def test_start_on_a_busy_port_says_so(tiny_db: Path, tmp_path: Path) -> None:
    """A port already taken stops `start` with exit code 2 and a one-line reason, before anything starts."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_serve("start", "--workers", "1", "--port", str(port), "--run-dir", str(tmp_path), db=tiny_db)
    assert done.returncode == 2
    assert f"port(s) {port} already in use" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "supervisord.pid").exists()


def test_start_without_a_store_says_how_to_build_it(tmp_path: Path) -> None:
    """No store at $JCM_DB: exit code 2 and the command that builds it."""
    missing = tmp_path / "none.duckdb"
    done = run_serve("start", "--workers", "1", "--port", "18502", "--run-dir", str(tmp_path), db=missing)
    assert done.returncode == 2
    assert f"no JCM store at {missing}: run `make store`" in done.stderr
    assert "Traceback" not in done.stderr


def test_status_with_nothing_serving_says_so(tmp_path: Path) -> None:
    """`status` for a run directory with no balancer: exit code 2, no traceback."""
    done = run_serve("status", "--run-dir", str(tmp_path))
    assert done.returncode == 2
    assert f"nothing is serving from {tmp_path}" in done.stderr
    assert "Traceback" not in done.stderr


def _fake_hosts(tmp_path: Path, truncate_on: str = "") -> tuple[dict[str, str], Path]:
    """Stand-ins for ssh and scp on PATH: host H is the folder hosts/H (``truncate_on`` gets half a copy)."""
    hosts, bin_dir = tmp_path / "hosts", tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "scp").write_text(
        '#!/bin/sh\nshift\nhost=${2%%:*}; dest="$FAKE_HOSTS/$host/${2#*:}"\n'
        'if [ "$host" = "$TRUNCATE_ON" ]; then head -c 100 "$1" > "$dest"; else cp "$1" "$dest"; fi\n'
    )
    (bin_dir / "ssh").write_text('#!/bin/sh\ncd "$FAKE_HOSTS/$1" && sh -c "$2"\n')
    for shim in bin_dir.iterdir():
        shim.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "FAKE_HOSTS": str(hosts),
        "TRUNCATE_ON": truncate_on,
        "REMOTE": "srv/jcm.duckdb",
    }
    for host in ("app1", "app2"):
        (hosts / host / "srv").mkdir(parents=True)
        (hosts / host / "srv" / "jcm.duckdb").write_bytes(b"the previous store")
    return env, hosts


def test_publish_store_renames_a_checked_copy_into_place_on_each_host(tiny_db: Path, tmp_path: Path) -> None:
    """deploy/publish-store.sh: every host ends with the same bytes, as a new file (a new inode), nothing left over."""
    env, hosts = _fake_hosts(tmp_path)
    before = {h: (hosts / h / "srv" / "jcm.duckdb").stat().st_ino for h in ("app1", "app2")}
    done = subprocess.run(
        ["sh", "deploy/publish-store.sh", "app1", "app2"],
        cwd=paths.REPO_ROOT,
        env={**env, "STORE": str(tiny_db)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    for host in ("app1", "app2"):
        published = hosts / host / "srv" / "jcm.duckdb"
        assert published.read_bytes() == tiny_db.read_bytes()
        assert published.stat().st_ino != before[host]
        assert sorted(p.name for p in published.parent.iterdir()) == ["jcm.duckdb"]
    assert done.stdout.count("is now sha256") == 2


def test_publish_store_keeps_the_old_store_when_a_copy_arrives_damaged(tiny_db: Path, tmp_path: Path) -> None:
    """A copy whose checksum does not match is not renamed into place: that host keeps its previous store."""
    env, hosts = _fake_hosts(tmp_path, truncate_on="app2")
    done = subprocess.run(
        ["sh", "deploy/publish-store.sh", "app1", "app2"],
        cwd=paths.REPO_ROOT,
        env={**env, "STORE": str(tiny_db)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert (hosts / "app1" / "srv" / "jcm.duckdb").read_bytes() == tiny_db.read_bytes()
    assert (hosts / "app2" / "srv" / "jcm.duckdb").read_bytes() == b"the previous store"
