"""Issue 21, item 8 (rate limits): an IPv6 client is counted by its /64, so changing address within it gains nothing."""

import pytest

from survey import create_app


@pytest.fixture
def limited(tmp_path, monkeypatch):
    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "PANEL_SECRET": "p", "WTF_CSRF_ENABLED": False,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite'}", "LOGIN_RATE_LIMIT": "2 per minute",
                      "OPEN_LINK_RATE_LIMIT": "20 per hour", "RECEIPT_RATE_LIMIT": "20 per hour",
                      "RATELIMIT_STORAGE_URI": "memory://"})
    from survey import db

    db.upgrade(app)
    yield app
    app.extensions["awareness.engine"].dispose()


def _login(app, address: str) -> int:
    return app.test_client().post("/admin/login", data={"email": "a@example.org", "password": "x"},
                                  environ_base={"REMOTE_ADDR": address}).status_code


def test_addresses_in_one_slash_64_share_a_limit(limited):
    assert [_login(limited, f"2001:db8:0:1::{n}") for n in (1, 2)] != [429, 429]
    assert _login(limited, "2001:db8:0:1:ffff:ffff:ffff:3") == 429  # a third address of the same /64
    assert _login(limited, "2001:db8:0:2::1") != 429  # the next /64 is someone else


def test_ipv4_addresses_count_one_by_one(limited):
    assert _login(limited, "192.0.2.1") != 429 and _login(limited, "192.0.2.1") != 429
    assert _login(limited, "192.0.2.1") == 429
    assert _login(limited, "192.0.2.2") != 429
    assert _login(limited, "::ffff:192.0.2.2") != 429  # the same client as 192.0.2.2: its second
    assert _login(limited, "192.0.2.2") == 429
