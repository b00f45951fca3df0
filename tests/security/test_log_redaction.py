"""Access logs never hold a respondent's link: werkzeug's log and gunicorn's access log cut the token."""

import logging

from survey.logs import redact


def test_redact_cuts_tokens_of_links_and_opt_outs():
    line = '127.0.0.1 - - [06/Dec/2026] "GET /s/AbC-123_xyz?lang=km HTTP/1.1" 200 -'
    assert redact(line) == '127.0.0.1 - - [06/Dec/2026] "GET /s/[redacted]?lang=km HTTP/1.1" 200 -'
    assert redact("POST /optout/eyJ3Ijo.sig HTTP/1.1") == "POST /optout/[redacted] HTTP/1.1"
    assert redact("GET /admin/waves/2018 HTTP/1.1") == "GET /admin/waves/2018 HTTP/1.1"


def test_the_development_servers_request_log_is_redacted(app, caplog):
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info('%s - - [%s] "%s" %s -', "127.0.0.1", "now",
                                           "GET /s/secret-token-1234 HTTP/1.1", "200")
    assert "secret-token-1234" not in caplog.text
    assert "/s/[redacted]" in caplog.text


def test_gunicorns_access_log_atoms_are_redacted():
    from survey.gunicorn_logging import redacted_atoms

    atoms = {"r": "GET /s/secret-token-1234 HTTP/1.1", "U": "/s/secret-token-1234", "s": "200",
             "f": "http://survey.test/s/secret-token-1234", "{raw_uri}e": "/s/secret-token-1234?lang=en", "b": 10}
    cut = redacted_atoms(atoms)
    assert all("secret-token-1234" not in str(value) for value in cut.values())
    assert cut["s"] == "200" and cut["b"] == 10
