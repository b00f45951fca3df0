"""A comparison's waves read by a process of its own while this one imports the analysis.

Most of `awareness compare`'s start-up is importing pandas and scipy; reading the waves needs SQLAlchemy,
the models, a connection and the waves' rows. In one process they follow each other (Python runs one
thread at a time); in two they go side by side on two cores. The reading process is a fork of this one,
made before either import: it finds and reads the waves and sends back plain data (a
`stored_comparison.StoredComparison`) through a pipe. What it would have printed before exiting (no wave
of that name, a database out of reach) is printed here, and this process exits with its code.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable


def can_fork() -> bool:
    """Whether a process can be forked safely here: a system with fork (macOS's frameworks are not safe
    after fork), and no other thread whose locks the copy would inherit."""
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


class WaveReader:
    """`read(announce)` run in a forked process; `receive()` gives, in order, each value it `announce`d,
    then what it returned. Used as a context manager: the process is gone at the end."""

    def __init__(self, read: Callable[[Callable[[object], None]], object]):
        read_end, write_end = os.pipe()
        for stream in (sys.stdout, sys.stderr):  # nothing buffered here is written twice
            stream.flush()
        self._pid = os.fork()
        if self._pid == 0:
            os.close(read_end)
            _run_and_exit(read, os.fdopen(write_end, "wb"))
        os.close(write_end)
        self._pipe = os.fdopen(read_end, "rb")

    def receive(self):
        """The next value the process sends; its exit (with its messages) or its error happens here."""
        try:
            kind, value, messages = pickle.load(self._pipe)  # noqa: S301 (from the process this one forked)
        except (EOFError, pickle.UnpicklingError):
            self._exit_with(f"the process reading the waves stopped ({self._status()})")
        if kind == "value":
            return value
        sys.stderr.write(messages)
        sys.stderr.flush()
        self._reap()
        if kind == "exit":
            sys.exit(value)
        raise value

    def _exit_with(self, message: str):
        sys.stderr.write(message + "\n")
        sys.exit(1)

    def _status(self) -> str:
        _pid, status = os.waitpid(self._pid, 0)
        self._pid = None
        if os.WIFSIGNALED(status):
            return f"signal {os.WTERMSIG(status)}"
        return f"exit status {os.waitstatus_to_exitcode(status)}"

    def _reap(self) -> None:
        if self._pid is not None:
            os.waitpid(self._pid, 0)
            self._pid = None

    def __enter__(self) -> WaveReader:
        return self

    def __exit__(self, *exc) -> None:
        self._pipe.close()  # a process still sending gets a broken pipe, and ends
        if self._pid is not None and exc[0] is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGTERM)
        self._reap()


class _Messages(io.StringIO):
    """The forked process's stderr: kept to be printed by the process that forked it, to the same stream,
    so it is a terminal when that stream is one (a progress bar is sized for it)."""

    def __init__(self, terminal: bool):
        super().__init__()
        self._terminal = terminal

    def isatty(self) -> bool:
        return self._terminal


def _run_and_exit(read: Callable, pipe) -> None:
    """In the forked process: run `read`, send what it announces and returns (or how it ended), exit."""
    code = 0
    messages = _Messages(sys.stderr.isatty())

    def send(kind: str, value) -> None:
        try:
            data = pickle.dumps((kind, value, messages.getvalue()), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an error that cannot be pickled: its type and words
            data = pickle.dumps(("error", RuntimeError(f"{type(value).__name__}: {value}"), messages.getvalue()))
        pipe.write(data)
        pipe.flush()

    try:
        try:
            with contextlib.redirect_stderr(messages):
                result = read(lambda value: send("value", value))
            send("value", result)
        except SystemExit as stop:
            send("exit", stop.code)
        except BaseException as error:  # noqa: BLE001 (raised again in the process that forked this one)
            send("error", error)
        pipe.close()
    except BaseException:  # noqa: BLE001 (the pipe is closed: the process that reads it is gone)
        code = 1
    finally:
        os._exit(code)  # never back into the command: it goes on in the process that forked this one
