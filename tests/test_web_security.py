"""The dashboard's defences, attacked over real HTTP against a real uvicorn on loopback (issue 10,
items 1, 2 and 13): profiles by name only (no file a request names is read, FIFOs and /dev/zero
included, and no answer tells whether a file exists), the Host check against DNS rebinding, the
security headers on every response (errors too), a CSP without unsafe scripts, literal run prefixes,
and saving profiles only from the dashboard's own page."""

from __future__ import annotations

import http.client
import os
import re
import time
import urllib.parse
from pathlib import Path

import pytest
from report_sample import make_sample_run, serve_in_thread

RUN = "a1b2c3d4e5f6sample"
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy")


def request(base: str, path: str, headers: dict | None = None, method: str = "GET", body: str | None = None,
            timeout: float = 20) -> tuple[int, str, dict]:
    """One raw HTTP request (http.client sends the Host header we give, as a rebinding page would)."""
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        conn.putrequest(method, path, skip_host="Host" in (headers or {}), skip_accept_encoding=True)
        for key, value in (headers or {}).items():
            conn.putheader(key, value)
        data = body.encode() if body is not None else None
        if data is not None:
            conn.putheader("Content-Type", "application/x-www-form-urlencoded")
            conn.putheader("Content-Length", str(len(data)))
        conn.endheaders(data)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace"), {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


def assert_secured(headers: dict) -> None:
    for name in SECURITY_HEADERS:
        assert name in headers, name
    csp = headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in csp and headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("websec") / "whichai.db"
    make_sample_run(path).close()
    return path


@pytest.fixture(scope="module")
def base(db):
    from whichai.web import create_app

    with serve_in_thread(create_app(db)) as url:
        yield url


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """The user data dir of the (in-process) dashboard, with a planted profiles folder."""
    monkeypatch.setenv("WHICHAI_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "data" / "profiles"
    folder.mkdir(parents=True)
    return folder


# --- DNS rebinding: only the bound names --------------------------------------------------------

@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1.evil.example", "localhost.evil", "[::2]", ""])
def test_forged_host_headers_are_refused_before_any_route(base, host):
    for path in ("/", f"/runs/{RUN}", "/profile?base=regulated-bank", "/static/plotly.min.js", "/nope"):
        status, body, headers = request(base, path, {"Host": host})
        assert status == 421, (host, path, status)
        assert "sample" not in body and "Host header" in body
        assert_secured(headers)


def test_the_bound_names_are_accepted(base, db):
    port = urllib.parse.urlsplit(base).port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "LOCALHOST", f"[::1]:{port}", "localhost."):
        assert request(base, "/healthz", {"Host": host})[0] == 200, host
    from whichai.web import create_app

    with serve_in_thread(create_app(db, host="dash.internal")) as url:
        assert request(url, "/healthz", {"Host": "dash.internal:8765"})[0] == 200
        assert request(url, "/healthz", {"Host": "evil.example"})[0] == 421


# --- the security headers on every response ---------------------------------------------------

def test_every_response_carries_the_security_headers(base, db):
    cases = [("/", 200), (f"/runs/{RUN}", 200), ("/static/plotly.min.js", 200), ("/static/charts.js", 200),
             ("/nope", 404), ("/runs/nosuchrun", 404), (f"/runs/{RUN}/report.pdf", 400), ("/profile?base=/etc/passwd", 400),
             ("/catalog/model?id=nobody/nothing", 400)]
    for path, expected in cases:
        status, _, headers = request(base, path)
        assert status == expected, path
        assert_secured(headers)
    status, _, headers = request(base, "/profile/save", method="POST", body="save_as=x")
    assert status == 403
    assert_secured(headers)
    status, _, headers = request(base, "/catalog?page_no=abc")  # FastAPI's own validation error
    assert status == 422
    assert_secured(headers)
    from whichai.web import create_app

    with serve_in_thread(create_app(db, token="s3cret-token")) as url:
        status, body, headers = request(url, "/")
        assert status == 401 and "token" in body
        assert_secured(headers)


def test_report_download_carries_the_reports_own_strict_csp(base):
    status, html, headers = request(base, f"/runs/{RUN}/report.html")
    assert status == 200
    meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    assert headers["content-security-policy"] == meta.replace("&#39;", "'") + "; frame-ancestors 'none'"
    script_src = re.search(r"script-src ([^;]*)", headers["content-security-policy"]).group(1)
    assert script_src.count("'sha256-") == 2 and "unsafe" not in script_src


# --- run ids are literal ------------------------------------------------------------------------

@pytest.mark.parametrize("run_id", ["%25", "%25%25", "_", "a1b2%25", "a1b2_3", "%2525"])
def test_run_ids_match_literally_never_as_a_like_pattern(base, run_id):
    status, body, _ = request(base, f"/runs/{run_id}")
    assert status == 404 and "sample: built-in cases" not in body


def test_a_literal_prefix_still_finds_the_run(base):
    assert request(base, f"/runs/{RUN[:6]}")[0] == 200


# --- profiles by name, never by path ------------------------------------------------------------

def _refusal(body: str) -> str:
    return re.search(r'data-testid="error">([^<]*)<', body).group(1)


def test_profile_paths_are_refused_without_reading_or_telling_whether_they_exist(base, tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    real = tmp_path / "real.yaml"
    real.write_text("name: leaked-name\ndescription: leaked-description\n")
    paths = ["/etc/shadow", "/etc/passwd", "/etc/no-such-file", "/dev/zero", str(fifo), str(real), "../../etc/passwd",
             "..", "regulated-bank/../../etc/passwd", "~/.ssh/id_rsa", "C:\\Windows\\win.ini", "file:///etc/passwd",
             "regulated-bank.yaml", " regulated-bank", "a" * 65]
    answers = set()
    for value in paths:
        q = urllib.parse.quote(value, safe="")
        for path in (f"/profile?base={q}", f"/runs/{RUN}?profile={q}", f"/runs/{RUN}/report.json?profile={q}",
                     f"/profile.yaml?base={q}"):
            # a FIFO or /dev/zero read would hang or grow the server: the request's timeout fails the test then
            status, body, headers = request(base, path, timeout=30)
            assert status == 400, (path, status)
            assert "root:" not in body and "leaked-" not in body and value not in _refusal(body)
            assert_secured(headers)
            answers.add(_refusal(body))
    assert len(answers) == 1  # the same words whatever the path: nothing tells whether a file exists
    assert "never a path" in answers.pop()


def test_planted_links_fifos_and_huge_files_in_the_profiles_folder_are_not_read(base, data_dir, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("name: secret-profile\ndescription: secret-description\n")
    (data_dir / "link.yaml").symlink_to(secret)
    (data_dir / "shadow.yaml").symlink_to("/etc/shadow")
    (data_dir / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(data_dir / "fifo.yaml")
    (data_dir / "huge.yaml").write_text("description: " + "x" * 70_000 + "\n")
    (data_dir / "dir.yaml").mkdir()
    answers = {}
    for name in ("link", "shadow", "zero", "fifo", "huge", "dir", "nosuchprofile"):
        status, body, _ = request(base, f"/profile?base={name}", timeout=30)  # a FIFO or /dev/zero read times out
        assert status == 400, name
        assert "secret-" not in body and "root:" not in body
        answers[name] = _refusal(body).replace(name, "NAME")
    assert len(set(answers.values())) == 1, answers


def test_profiles_are_saved_through_the_dashboard_and_loaded_by_name(base, data_dir):
    status, html, _ = request(base, "/profile?base=regulated-bank")
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', html).group(1)
    form = {"csrf": token, "base": "regulated-bank", "save_as": "my-bank", "volume.requests_per_month": "123456",
            "ops_hours_per_month": "3", "ops_hourly_rate_usd": "75", "lang": "id"}
    status, _, headers = request(base, "/profile/save", method="POST", body=urllib.parse.urlencode(form),
                                 headers={"Sec-Fetch-Site": "same-origin"})
    assert status == 303 and headers["location"].startswith("/profile?base=my-bank")
    saved = (data_dir / "my-bank.yaml").read_text()
    assert "name: my-bank" in saved and "123456" in saved and "ops_hours_per_month: 3" in saved
    status, html, _ = request(base, "/profile?base=my-bank")
    assert status == 200 and 'value="my-bank" selected' in html and 'name="volume.requests_per_month" data-field value="123456"' in html
    # names, not paths, and never over a built-in profile or from another site
    for bad in ("../evil", "/tmp/evil", "regulated-bank", "a b", ""):
        status, body, _ = request(base, "/profile/save", method="POST", body=urllib.parse.urlencode({**form, "save_as": bad}))
        assert status == 400, bad
    assert sorted(p.name for p in data_dir.iterdir()) == ["my-bank.yaml"]
    assert not Path("/tmp/evil.yaml").exists()
    assert request(base, "/profile/save", method="POST", body=urllib.parse.urlencode({**form, "csrf": "0" * 64}))[0] == 403
    status, _, _ = request(base, "/profile/save", method="POST", body=urllib.parse.urlencode(form),
                           headers={"Sec-Fetch-Site": "cross-site"})
    assert status == 403


def test_served_dashboard_refuses_forged_hosts(db, env):
    import subprocess
    import sys

    from conftest import free_port

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "whichai", "serve", "--port", str(port), "--db", str(db)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120  # polls until it answers; the bound only ends a broken start
        while process.poll() is None and time.monotonic() < deadline:
            try:
                request(url, "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        assert request(url, "/healthz")[0] == 200
        status, _, headers = request(url, "/", {"Host": f"rebind.evil.example:{port}"})
        assert status == 421
        assert_secured(headers)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_an_unexpected_server_error_carries_the_headers_and_no_traceback(db):
    from whichai.web import create_app

    app = create_app(db)

    @app.get("/boom")
    def boom():  # a bug in a route: the response Starlette sends outside the middleware stack
        raise RuntimeError("internal detail /etc/secret-path")

    with serve_in_thread(app) as url:
        status, body, headers = request(url, "/boom")
    assert status == 500 and "secret-path" not in body and "Traceback" not in body
    assert_secured(headers)
