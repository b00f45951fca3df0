"""The worker's listener for RQ's commands wakes every tenth of a second, so that a worker stops as soon as its work is done.

RQ listens with a 60 s sleep, and redis-py 8.2's PubSubWorkerThread.stop() waits for that sleep to end: a
`worker --burst` that had sent everything sometimes lingered a full minute before it exited.
"""

import time

import pytest

from survey.mail import jobs

REDIS = "redis://127.0.0.1:6379/11"


@pytest.fixture
def mail_worker():
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(REDIS).ping()
    except RedisError:
        pytest.skip("needs Redis at 127.0.0.1:6379")
    worker = jobs.worker(REDIS, "test-listener")
    yield worker
    worker.connection.close()


def test_the_listener_wakes_every_second(mail_worker):
    mail_worker.subscribe()
    assert mail_worker.pubsub_thread.sleep_time == jobs.LISTENER_WAKE_SECONDS <= 1
    assert mail_worker.pubsub_thread.daemon


def test_unsubscribing_right_after_subscribing_ends_the_listener_within_seconds(mail_worker):
    # The race of a burst worker with nothing to do: it unsubscribes before the listener saw its subscription,
    # and the listener then sleeps its whole sleep_time (60 s with RQ's own).
    started = time.monotonic()
    mail_worker.subscribe()
    mail_worker.unsubscribe()
    assert not mail_worker.pubsub_thread.is_alive()
    assert time.monotonic() - started < 30  # RQ's own listener: up to 60 s
