"""`python -m generator …` as a real child process, without paying Python's start-up for each one.

Most tests run the command a user runs and look at its exit code, stdout, stderr and the files
it wrote. Starting a fresh interpreter and importing Pressroom (Jinja, Babel, lxml, Pillow …)
costs about a second of CPU each time, far more than building a small test site, and the suite
does it hundreds of times. So each test process starts one server that has imported Pressroom
and forks a fresh child for every command: the child is a separate process with its own
memory, working folder, environment, stdin (/dev/null), stdout and stderr, and it runs
`generator/__main__.py` exactly as `python -m generator` does, so exit codes, uncaught
tracebacks, signals and everything the command writes are what a user would see. What it does
not repeat is the interpreter's start and Pressroom's import; tests about exactly that (and
about signals, terminals or injected faults) start `python -m generator` themselves.

The server is started as a script (not `-m`), forks only from its own single thread, and
speaks one JSON line per request on its stdin and one per answer on its stdout.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------- the server side


def _child(request: dict[str, Any], command_in: int, answer_out: int) -> None:
    """In the forked child: become `python -m generator ARGS` and never return."""
    code = 1
    try:
        os.close(command_in)
        os.close(answer_out)
        os.setpgid(0, 0)  # its own process group, so that a timeout can end its workers too
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
            handle = os.open(path, os.O_WRONLY | os.O_TRUNC)
            os.dup2(handle, fd)
            os.close(handle)
        sys.stdin = open(0, encoding=sys.stdin.encoding, closefd=False)  # noqa: SIM115
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        import time

        time.tzset()
        # As `python -m` has it: the working folder first on the path, argv[0] the module's file.
        sys.path[0] = request["cwd"]
        sys.argv = ["-m", *request["argv"]]
        import runpy

        try:
            runpy.run_module("generator", run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as done:
            if done.code is None:
                code = 0
            elif isinstance(done.code, int):
                code = done.code
            else:
                print(done.code, file=sys.stderr)
                code = 1
        except BaseException:  # what the interpreter does with an uncaught exception
            import traceback

            traceback.print_exc()
            code = 1
        import atexit as child_atexit

        child_atexit._run_exitfuncs()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code & 0xFF)


def serve() -> None:
    """The server's loop: read a request, fork, tell the pid, wait, tell the exit code."""
    command_in = os.dup(0)
    answer_out = os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)
    _prepare()

    reader = os.fdopen(command_in, "rb", buffering=0)
    writer = os.fdopen(answer_out, "w", buffering=1)
    while True:
        line = _readline(reader)
        if not line:
            return
        request = json.loads(line)
        writer.flush()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(request, command_in, answer_out)
        writer.write(json.dumps({"pid": pid}) + "\n")
        _, status = os.waitpid(pid, 0)
        writer.write(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}) + "\n")


def _prepare() -> None:
    """What every child would do first: import all of Pressroom (the command imports the build
    stages only when it builds) and compile the built-in theme's templates and catalogs, which
    Pressroom keeps in memory per process (`render.templates`), so that children inherit them."""
    import importlib

    for module in ("generator.commands.cli", "generator.build.stages", "generator.build.search",
                   "generator.commands.serve", "generator.commands.check"):
        importlib.import_module(module)
    from generator.core.paths import theme_folder
    from generator.render.templates import Templates

    for language in ("de", "en"):
        templates = Templates(theme_folder().parent, language, None)
        for name in templates.env.list_templates(extensions=["html"]):
            templates.env.get_template(name)


def _readline(reader: IO[bytes]) -> bytes:
    """One line, read byte by byte so that nothing beyond it sits in a buffer a child would inherit."""
    found = bytearray()
    while True:
        byte = reader.read(1)
        if not byte:
            return bytes(found)
        found += byte
        if byte == b"\n":
            return bytes(found)


# --------------------------------------------------------------------------- the test side


class ForkServer:
    """One server per test process, started on first use and ended when the process ends."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._owner = os.getpid()
        self._pending = b""

    def _server(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None or self._owner != os.getpid():
            env = {**os.environ, "PYTHONPATH": str(REPO)}
            self._process = subprocess.Popen([sys.executable, __file__], env=env, cwd=REPO,
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
            self._owner = os.getpid()
            self._pending = b""
            atexit.register(_end, self._process)
        return self._process

    def run(self, args: Sequence[str], cwd: Path | None, env: Mapping[str, str],
            timeout: float) -> subprocess.CompletedProcess[str]:
        """Like subprocess.run(capture_output=True, text=True, timeout=…) of `python -m generator ARGS`."""
        with self.start(args, cwd, env) as child:
            returncode = child.wait(timeout)
            if returncode is None:  # the command and its workers
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
                child.wait(None)
                raise subprocess.TimeoutExpired(child.args, timeout, child.out.read_bytes(), child.err.read_bytes())
            return subprocess.CompletedProcess(child.args, returncode, _text(child.out), _text(child.err))

    def start(self, args: Sequence[str], cwd: Path | None, env: Mapping[str, str]) -> Child:
        """Start `python -m generator ARGS` and return at once; the server is busy until it is waited for."""
        self._lock.acquire()
        try:
            folder = tempfile.TemporaryDirectory(prefix="pressroom-run-")
            out, err = Path(folder.name) / "stdout", Path(folder.name) / "stderr"
            out.touch()
            err.touch()
            server = self._server()
            assert server.stdin is not None
            request = {"argv": list(args), "cwd": str(Path(cwd or os.getcwd()).resolve()), "env": dict(env),
                       "stdout": str(out), "stderr": str(err)}
            server.stdin.write(json.dumps(request).encode() + b"\n")
            pid = self._answer(server, None)["pid"]
        except BaseException:
            self._lock.release()
            raise
        return Child(self, server, pid, ["python", "-m", "generator", *args], folder, out, err)

    def _answer(self, server: subprocess.Popen[bytes], timeout: float | None) -> Any:
        """The server's next line, or None when it does not come within `timeout` seconds."""
        assert server.stdout is not None
        fd = server.stdout.fileno()
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._pending:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not select.select([fd], [], [], wait)[0]:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                raise RuntimeError("the fork server ended unexpectedly")
            self._pending += chunk
        line, _, self._pending = self._pending.partition(b"\n")
        return json.loads(line)


class Child:
    """A command forked by the server: its pid, a way to kill it, its exit code and what it wrote."""

    def __init__(self, forks: ForkServer, server: subprocess.Popen[bytes], pid: int, args: list[str],
                 folder: tempfile.TemporaryDirectory[str], out: Path, err: Path) -> None:
        self._forks, self._server, self.pid, self.args = forks, server, pid, args
        self._folder, self.out, self.err = folder, out, err
        self.returncode: int | None = None

    def wait(self, timeout: float | None) -> int | None:
        """The exit code (negative: the signal), or None if the child is still running after `timeout` s."""
        if self.returncode is None:
            answer = self._forks._answer(self._server, timeout)
            if answer is not None:
                self.returncode = answer["returncode"]
                self._forks._lock.release()
        return self.returncode

    def poll(self) -> int | None:
        return self.wait(0)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """The signal to the command itself, as `kill PID` sends it (its worker processes see it end)."""
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):  # it has just ended by itself
                os.kill(self.pid, sig)

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End the command and its workers if still running; remove what it wrote."""
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGKILL)
            self.wait(None)
        self._folder.cleanup()


class FreshChild:
    """`python -m generator ARGS` in a newly started interpreter, seen as a `Child` is: for
    PRESSROOM_TEST_FRESH_PYTHON=1 and for tests of the interpreter's start itself."""

    def __init__(self, args: Sequence[str], cwd: Path | None, env: Mapping[str, str]) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="pressroom-run-")
        self.out, self.err = Path(self._folder.name) / "stdout", Path(self._folder.name) / "stderr"
        self.args = ["python", "-m", "generator", *args]
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            # A session of its own, as the forked child has its own process group.
            self._process = subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=cwd, env=dict(env),
                                             stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True)
        self.pid = self._process.pid

    @property
    def returncode(self) -> int | None:
        return self._process.returncode

    def wait(self, timeout: float | None) -> int | None:
        try:
            return self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def poll(self) -> int | None:
        return self._process.poll()

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self._process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)

    def __enter__(self) -> FreshChild:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGKILL)
            self._process.wait()
        self._folder.cleanup()


def _end(server: subprocess.Popen[bytes]) -> None:
    """Close the server's input: it ends its loop and is waited for (its CPU time counts as the suite's)."""
    if server.stdin is not None:
        server.stdin.close()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _text(path: Path) -> str:
    # as subprocess.run(text=True) decodes: the locale's encoding, universal newlines
    with open(path, encoding=None, newline=None) as handle:
        return handle.read()


if __name__ == "__main__":
    serve()
