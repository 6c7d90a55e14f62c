"""`make run` (scripts/run.sh): the outbox worker runs beside the server and stops when the server stops.

What is tested is the script: that it starts `spro outbox work`, then stops it and waits for it whichever way the
server ends. Both are stand-ins: a `spro` that behaves like the worker (logs its start, stops cleanly on SIGTERM or
SIGINT) and a server that exits when told to (by a file the test creates) or on Ctrl-C. The real worker's loop and
its signals are tested in tests/referrals (`spro outbox work`). A stand-in keeps this test off the test database: in
CI a real worker, killed at the end of a test that hung (the suite runs as a background job, so SIGINT was ignored
by the children until `_as_from_a_terminal`), broke the shared SQLite test file for the tests after it.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Stand-in `spro outbox work`: the real command's start and stop lines, SIGTERM/SIGINT handled between two waits.
FAKE_SPRO = (
    "import signal, sys, time\n"
    "if sys.argv[1:3] != ['outbox', 'work']:\n"
    "    sys.exit('unexpected command: ' + ' '.join(sys.argv[1:]))\n"
    "stopping = []\n"
    "for sig in (signal.SIGTERM, signal.SIGINT):\n"
    "    signal.signal(sig, lambda signum, frame: stopping.append(signum))\n"
    "print('outbox worker started (every 10s, at most 200 messages a pass)', flush=True)\n"
    "while not stopping:\n"
    "    time.sleep(0.05)\n"
    "print('Distribution des e-mails arrêtée', flush=True)\n"
)
# Stand-in server: waits until the file named by its argument exists (or Ctrl-C), then exits with status 3.
FAKE_SERVER = (
    "import os, sys, time\n"
    "try:\n"
    "    while not os.path.exists(sys.argv[1]):\n"
    "        time.sleep(0.05)\n"
    "except KeyboardInterrupt:\n"
    "    sys.exit(130)\n"
    "sys.exit(3)\n"
)


def _as_from_a_terminal() -> None:
    """Ctrl-C reaches a terminal's job: undo the SIGINT/SIGQUIT that a shell ignores for background jobs (the test
    suite itself runs in the background under scripts/test.sh, and children would inherit « ignored »)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


class Run:
    """scripts/run.sh in its own process group, its output drained by a thread (a stray worker holding the pipe
    cannot hang the test)."""

    def __init__(self, tmp_path: Path) -> None:
        spro = tmp_path / "spro"
        spro.write_text(f"#!{sys.executable}\n{FAKE_SPRO}", encoding="utf-8")
        spro.chmod(0o755)
        env = {**os.environ, "SPRO_BIN": str(spro)}
        self.process = subprocess.Popen(
            [
                "bash",
                str(ROOT / "scripts" / "run.sh"),
                sys.executable,
                "-c",
                FAKE_SERVER,
                str(tmp_path / "stop"),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, as a terminal's foreground job
            preexec_fn=_as_from_a_terminal,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.output: list[str] = []
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    def _drain(self) -> None:
        with self.process.stdout:
            for line in self.process.stdout:
                self.lines.put(line)
        self.lines.put(None)

    def wait_for_worker(self) -> int:
        """The worker's pid, once it logs that it runs (its SIGTERM/SIGINT handlers are then in place)."""
        pid = None
        while (line := self.lines.get(timeout=60)) is not None:
            self.output.append(line)
            found = re.search(r"running as pid (\d+)", line)
            pid = int(found.group(1)) if found else pid
            if "outbox worker started (every" in line:
                return pid
        self.finish()
        pytest.fail("the outbox worker did not start:\n" + "".join(self.output))

    def finish(self) -> tuple[int, str]:
        """The script's exit status and its whole output; whatever is left of its process group is then killed."""
        try:
            status = self.process.wait(timeout=60)
            self.reader.join(timeout=60)
            assert not self.reader.is_alive(), "a process of the group still holds the output open"
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        while (line := self.lines.get_nowait()) is not None:
            self.output.append(line)
        return status, "".join(self.output)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_worker_stops_when_the_server_ends_and_the_server_status_is_kept(tmp_path):
    run = Run(tmp_path)
    worker_pid = run.wait_for_worker()
    (tmp_path / "stop").touch()
    status, output = run.finish()
    assert status == 3
    assert "Distribution des e-mails arrêtée" in output  # stopped by a signal, cleanly, and waited for
    assert not alive(worker_pid)


def test_ctrl_c_stops_the_server_and_the_worker(tmp_path):
    run = Run(tmp_path)
    worker_pid = run.wait_for_worker()
    os.killpg(run.process.pid, signal.SIGINT)  # what a terminal does on Ctrl-C: the whole foreground group
    status, output = run.finish()
    assert status != 0
    assert "Distribution des e-mails arrêtée" in output
    assert not alive(worker_pid)


def make_commands(target: str) -> list[str]:
    """The commands `make <target>` runs, as `make -n` prints them (nothing is run)."""
    result = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=True)
    return result.stdout.splitlines()


def test_make_run_serves_the_product_as_users_see_it_through_the_script():
    # Issue 14: debug off (the designed error pages), static files collected as in production, no auto-reload.
    commands = make_commands("run")
    assert any(" migrate --no-input" in line for line in commands)
    assert any(" import all --if-empty" in line for line in commands)
    collect = next(i for i, line in enumerate(commands) if " collectstatic --no-input" in line)
    (serve,) = [line for line in commands if "scripts/run.sh" in line]
    assert commands.index(serve) > collect
    assert serve.startswith("SPRO_DEBUG=false bash scripts/run.sh ")
    assert serve.endswith("spro runserver --noreload 127.0.0.1:8000")
    assert subprocess.run(["bash", "-n", str(ROOT / "scripts" / "run.sh")]).returncode == 0


def test_make_dev_keeps_the_auto_reloading_debug_server():
    (serve,) = [line for line in make_commands("dev") if "scripts/run.sh" in line]
    assert serve.startswith("SPRO_DEBUG=true bash scripts/run.sh ")
    assert serve.endswith("spro runserver 127.0.0.1:8000")
