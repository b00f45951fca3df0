"""Sending started from the console: a job on the task queue when one is configured (jobs.py, `awareness
worker`), else one thread per wave in this process (the embedded default), so the page answers at once."""

from __future__ import annotations

import threading

from flask import Flask

_threads: dict[int, threading.Thread] = {}
last_stop: dict[int, str] = {}  # wave id -> why the last sending stopped before the end
_lock = threading.Lock()


def start(app: Flask, wave_id: int) -> bool:
    """Start sending the wave's queued messages; false when this process is already sending them.

    With a queue (AWARENESS_MAIL_QUEUE_URL) the job goes to a worker: it outlives this process.
    """
    from . import jobs

    if jobs.queue_url(app):
        jobs.enqueue(app, wave_id)
        return True
    with _lock:
        running = _threads.get(wave_id)
        if running is not None and running.is_alive():
            return False
        thread = threading.Thread(target=_send, args=(app, wave_id), name=f"awareness-mail-{wave_id}", daemon=True)
        _threads[wave_id] = thread
        thread.start()
        return True


def is_sending(wave_id: int) -> bool:
    thread = _threads.get(wave_id)
    return thread is not None and thread.is_alive()


def wait(wave_id: int, timeout: float | None = None) -> None:
    """Wait for the wave's sending thread to finish (tests, and a clean shutdown)."""
    thread = _threads.get(wave_id)
    if thread is not None:
        thread.join(timeout)


def _send(app: Flask, wave_id: int) -> None:
    from .. import db
    from ..models import Wave
    from .send import send_queued
    from .smtp import MailConfigError

    with app.app_context():
        try:
            send_queued(db.session(), db.session().get(Wave, wave_id))
            last_stop.pop(wave_id, None)
        except MailConfigError as error:
            # The messages stay queued; the console shows the problem and the counts.
            last_stop[wave_id] = str(error)
            app.logger.error("mail for wave %s stopped: %s", wave_id, error)
        except Exception as error:  # noqa: BLE001  (a thread has no one else to report to)
            last_stop[wave_id] = f"{type(error).__name__}: {error}"
            app.logger.exception("mail for wave %s stopped", wave_id)
