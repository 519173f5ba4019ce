"""`luoshi serve` as users run it: a real process on a free port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

LUOSHI = [sys.executable, "-m", "luoshi.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_answers_and_stops(tmp_path: Path, stop: signal.Signals):
    """Stopped like a terminal's Ctrl-C or a service manager does it: a signal to the
    whole process group, background worker included; the server must still exit."""
    port = free_port()
    proc = subprocess.Popen(
        [*LUOSHI, "serve", "--db", str(tmp_path / "ledger.db"), "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "luoshi serve did not start"
                time.sleep(0.2)
        assert response.status_code == 200 and response.json()["documents"] == 0
        assert "Content-Security-Policy" in httpx.get(f"http://127.0.0.1:{port}/").headers
    finally:
        os.killpg(proc.pid, stop)
        try:
            _, stderr = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"luoshi serve did not exit on {stop.name}")
    assert f"http://127.0.0.1:{port}" in stderr
    assert "no documents yet" in stderr


@pytest.mark.parametrize(
    ("db", "reason"),
    [("postgresql+psycopg://luoshi:luoshi@127.0.0.1:1/luoshi_test", "not reachable")],
)
def test_serve_refuses_a_bad_ledger_in_one_line(db, reason):
    result = subprocess.run([*LUOSHI, "serve", "--db", db], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and reason in lines[0], result.stderr
    assert "Traceback" not in result.stderr
