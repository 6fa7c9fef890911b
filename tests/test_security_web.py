"""The attack review's web-layer findings (issue 16, items 1-6) replayed against the served app
(API and Gradio chat in process, and `footnote serve` for the forwarded-address one): pages on
other origins cannot change anything, CORS never answers a foreign origin with credentials,
login cookies are SameSite=Lax and HttpOnly, a removed user's chat session ends at once, one
question-length limit holds for the chat, the API and the CLI before any answering starts,
exports reach only their owner, and lockouts neither block valid tokens nor believe
X-Forwarded-For from anyone but a configured proxy. The browser replay of finding 1 is
tests/test_security_browser.py; findings 7-10 are tests/test_ingest_security.py."""

from __future__ import annotations

import copy
import shutil
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
import pytest
from fastapi.testclient import TestClient

from ingest.sync import ingest
from rag.assistant import Assistant
from rag.settings import Settings
from tests.served import served
from ui import cli
from ui.auth import Access
from ui.chat import Chat
from ui.server import create_app
from ui.service import Service
from ui.users import add_user, remove_user

PASSWORDS = {
    "rita": "reader-secret-1",
    "mia": "reader-secret-2",
    "carol": "reader-secret-3",
    "max": "manager-secret-1",
}
ROLES = {"rita": "reader", "mia": "reader", "carol": "reader", "max": "manager"}
OTTERS = "Otters\n\nSea otters hold hands while they sleep so they do not drift apart.\n"
PLANTED = ("planted.txt", b"Planted\n\nThe attacker's page wrote this document.\n")
EVIL = "https://evil.example"
LOCAL = "http://127.0.0.1:7860"
PUBLIC = "http://footnote.example.com"
QUESTION = "Why do otters hold hands?"
TOO_LONG = "the question is too long: {:,} characters, at most 4,000 are accepted"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Assistant, dict[str, str]]:
    """A store with one document and a users file holding two readers, a third reader to
    remove and a manager (their tokens)."""
    root = tmp_path_factory.mktemp("web")
    users = root / "users.toml"
    tokens = {name: add_user(users, name, ROLES[name], PASSWORDS[name]) for name in PASSWORDS}  # type: ignore[arg-type]
    (root / "docs").mkdir()
    (root / "docs" / "otters.txt").write_text(OTTERS, encoding="utf-8")
    settings = Settings(data_dir=root / "data", auth_file=users)
    assistant = Assistant(settings)
    assert not ingest([root / "docs"], assistant.store, assistant.embed_model, settings).failed
    return assistant, tokens


def _with(assistant: Assistant, **changes: Any) -> Assistant:
    """The same store and model under other settings."""
    other = copy.copy(assistant)
    other.settings = assistant.settings.model_copy(update=changes)
    return other


@pytest.fixture
def open_client(store: tuple[Assistant, dict[str, str]]) -> Iterator[TestClient]:
    """The default setup: no sign-in, reached on 127.0.0.1."""
    app = create_app(store[0], Access(None))
    with TestClient(app, base_url=LOCAL, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def guarded_client(store: tuple[Assistant, dict[str, str]]) -> Iterator[TestClient]:
    """With the users file, reached by a public name (as behind a proxy)."""
    with TestClient(create_app(store[0]), base_url=PUBLIC, raise_server_exceptions=False) as client:
        yield client


def _stored(client: TestClient) -> list[str]:
    return [d["source"] for d in client.get("/api/documents").json()]


def _login(client: TestClient, name: str, **headers: str) -> dict[str, str]:
    """Sign `name` in to the chat; their cookies (the client's jar is left empty)."""
    client.cookies.clear()
    signed = client.post(
        "/login", data={"username": name, "password": PASSWORDS[name]}, headers=headers
    )
    assert signed.status_code == 200, signed.text
    cookies = dict(client.cookies)
    client.cookies.clear()
    return cookies


def _as(client: TestClient, cookies: dict[str, str]) -> TestClient:
    client.cookies.clear()
    client.cookies.update(cookies)
    return client


# --------------------------------------------------------------------------- 1 cross-site writes


def test_pages_on_other_origins_cannot_upload_on_the_default_setup(open_client: TestClient) -> None:
    """Finding 1: `curl -H 'Origin: https://evil.example' -F files=@x.txt …/api/documents`
    stored the file; so did a no-cors fetch from a page on another origin."""
    before = _stored(open_client)
    browser = "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0"
    attempts = [
        {"Origin": EVIL},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.2:8000", "Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"User-Agent": browser},  # an old browser's form post, saying nothing
    ]
    for headers in attempts:
        refused = open_client.post("/api/documents", files=[("files", PLANTED)], headers=headers)
        assert refused.status_code == 403, (headers, refused.text)
        assert refused.json()["detail"].startswith("refused a ")
    for path, body in [("/api/ask", {"question": QUESTION}), ("/gradio_api/call/ask", {})]:
        asked = open_client.post(path, json=body, headers={"Origin": EVIL})
        assert asked.status_code == 403
    plain = open_client.post(
        "/api/ask", content=b'{"question": "Why?"}', headers={"Origin": EVIL}
    )  # text/plain: no preflight
    assert plain.status_code == 403
    gradio_upload = open_client.post(
        "/gradio_api/upload", files=[("files", PLANTED)], headers={"Origin": EVIL}
    )
    assert gradio_upload.status_code == 403
    deleted = open_client.delete("/api/documents/otters.txt", headers={"Origin": EVIL})
    assert deleted.status_code == 403
    assert _stored(open_client) == before

    # This origin's own page, curl and scripts (no Origin) still work.
    for headers in [
        {"Origin": LOCAL, "User-Agent": browser},
        {"Sec-Fetch-Site": "same-origin", "Origin": LOCAL},
        {"User-Agent": "curl/8.5.0"},
        {"User-Agent": browser, "X-Requested-With": "fetch"},
    ]:
        added = open_client.post("/api/documents", files=[("files", PLANTED)], headers=headers)
        assert added.status_code == 200, (headers, added.text)
        assert open_client.delete("/api/documents/planted.txt").status_code == 200


def test_the_default_setup_answers_only_to_localhost_names(open_client: TestClient) -> None:
    """A page whose DNS name is re-pointed at 127.0.0.1 is "same-origin" with the server:
    without sign-in, only localhost names are answered."""
    rebound = open_client.get("/api/documents", headers={"Host": "evil.example:7860"})
    assert rebound.status_code == 403 and "localhost names only" in rebound.json()["detail"]
    rebound_write = open_client.post(
        "/api/documents",
        files=[("files", PLANTED)],
        headers={"Host": "evil.example:7860", "Origin": "http://evil.example:7860"},
    )
    assert rebound_write.status_code == 403
    for host in ("localhost:7860", "127.0.0.1:7860", "[::1]:7860"):
        assert open_client.get("/api/documents", headers={"Host": host}).status_code == 200


def test_allowed_origins_may_write_and_read(store: tuple[Assistant, dict[str, str]]) -> None:
    partner = "https://intranet.example"
    app = create_app(_with(store[0], allowed_origins=[partner]), Access(None))
    with TestClient(app, base_url=LOCAL) as client:
        asked = client.post("/api/ask", json={"question": QUESTION}, headers={"Origin": partner})
        assert asked.status_code == 200
        assert asked.headers["access-control-allow-origin"] == partner
        assert asked.headers["access-control-allow-credentials"] == "true"
        other = client.post("/api/ask", json={"question": QUESTION}, headers={"Origin": EVIL})
        assert other.status_code == 403
    with pytest.raises(ValueError, match="is not an origin"):
        Settings(allowed_origins="*")


# --------------------------------------------------------------------------- 2 CORS and cookies


def test_no_foreign_origin_gets_credentialed_cors(guarded_client: TestClient) -> None:
    """Finding 2: with a Host that is not localhost, Gradio answered any Origin with
    Access-Control-Allow-Origin: <it> and Allow-Credentials: true."""
    responses = [
        guarded_client.get("/config", headers={"Origin": EVIL}),
        guarded_client.post(
            "/gradio_api/call/ask", json={"data": [QUESTION]}, headers={"Origin": EVIL}
        ),
        guarded_client.options(
            "/gradio_api/queue/join",
            headers={
                "Origin": EVIL,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        ),
        guarded_client.get("/api/documents", headers={"Origin": EVIL}),
    ]
    for response in responses:
        assert "access-control-allow-origin" not in response.headers, response.request.url
    assert responses[1].status_code == 403


def test_login_cookies_are_lax_http_only_and_secure_only_over_https(
    store: tuple[Assistant, dict[str, str]],
) -> None:
    """Finding 2: the login cookie was SameSite=None, so other sites' requests carried it."""
    assistant = _with(store[0], trusted_proxies=["127.0.0.1"])
    cases = [
        (("127.0.0.1", 40000), {}, False),
        (("127.0.0.1", 40000), {"X-Forwarded-Proto": "https"}, True),  # the proxy says so
        (("10.1.2.3", 40000), {"X-Forwarded-Proto": "https"}, False),  # anyone else: no
    ]
    for address, headers, secure in cases:
        app = create_app(assistant)
        with TestClient(app, base_url=PUBLIC, client=address) as client:
            signed = client.post(
                "/login", data={"username": "rita", "password": PASSWORDS["rita"]}, headers=headers
            )
            cookies = signed.headers.get_list("set-cookie")
            assert signed.status_code == 200 and cookies
            for cookie in cookies:
                attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
                assert "samesite=lax" in attributes and "httponly" in attributes, cookie
                assert "samesite=none" not in attributes
                assert ("secure" in attributes) == secure, (headers, address, cookie)


# --------------------------------------------------------------------------- 3 sessions


def test_a_removed_user_loses_the_chat_at_once(
    store: tuple[Assistant, dict[str, str]], tmp_path: Path
) -> None:
    """Finding 3: after `footnote user remove carol`, her cookie still got /config and
    answers from /gradio_api/call/ask until a restart."""
    users = tmp_path / "users.toml"
    shutil.copy(store[0].settings.auth_file or "", users)
    with TestClient(create_app(store[0], Access(users)), raise_server_exceptions=False) as client:
        carol, rita = _login(client, "carol"), _login(client, "rita")
        assert _as(client, carol).get("/config").status_code == 200
        remove_user(users, "carol")
        assert _as(client, carol).get("/config").status_code == 401
        ask = client.post("/gradio_api/call/ask", json={"data": [QUESTION]})
        assert ask.status_code == 401
        assert client.get("/document", params={"source": "otters.txt"}).status_code == 401
        assert _as(client, rita).get("/config").status_code == 200

        add_user(users, "rita", "reader", "a new password", replace=True)
        assert _as(client, rita).get("/config").status_code == 401  # her old password's session
        client.cookies.clear()
        renewed = {"username": "rita", "password": "a new password"}
        assert client.post("/login", data=renewed).status_code == 200
        assert client.get("/config").status_code == 200


# --------------------------------------------------------------------------- 4 question length


def test_one_question_limit_for_the_chat_the_api_and_the_cli(
    store: tuple[Assistant, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Finding 4: a 1,000,000-character question in the chat occupied answering for ~65 s.
    Every entry point refuses it (and one character over the limit) with one message, before
    answering starts."""
    assistant = copy.copy(store[0])

    def answering(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("answering started for a question over the limit")

    monkeypatch.setattr(assistant, "stream", answering)
    service = Service(assistant, Access(None))
    chat = Chat(service)
    monkeypatch.setattr(cli, "_service", lambda: service)
    with TestClient(create_app(assistant, Access(None))) as client:
        for length in (4001, 1_000_000):
            said = TOO_LONG.format(length)
            with pytest.warns(UserWarning, match=said):  # the chat's warning (gr.Warning)
                *_, (messages, turns) = chat.respond_in_session("x" * length, [], [])
            assert messages == [] and turns == []  # it stays in the box, out of the history
            with pytest.raises(gr.Error, match=said):
                chat.ask("x" * length)
            answer = client.post("/api/ask", json={"question": "x" * length})
            assert answer.status_code == 422 and answer.json() == {"detail": f"question: {said}"}
            monkeypatch.setattr(sys, "argv", ["footnote", "ask", "x" * length])
            capsys.readouterr()
            with pytest.raises(SystemExit) as exit_code:
                cli.main()
            assert exit_code.value.code == 1
            assert capsys.readouterr().err == f"footnote: error: {said}\n"


# --------------------------------------------------------------------------- 5 exports


def _answered_turns(service: Service) -> list[Any]:
    *_, (_, turns) = Chat(service).respond_in_session(QUESTION, [], [])
    assert turns
    return turns


def test_an_export_is_not_served_by_path_to_other_users(
    store: tuple[Assistant, dict[str, str]],
) -> None:
    """Finding 5: an export under data/exports/ was served to any signed-in user by
    /gradio_api/file=…"""
    assistant = store[0]
    service = Service(assistant, Access(assistant.settings.auth_file))
    exported = Path(Chat(service).export(_answered_turns(service), "Markdown", False))
    with TestClient(create_app(assistant), raise_server_exceptions=False) as client:
        mia = _login(client, "mia")
        fetched = _as(client, mia).get(f"/gradio_api/file={exported}")
        assert fetched.status_code == 403
        users_file = _as(client, mia).get(f"/gradio_api/file={assistant.settings.auth_file}")
        assert users_file.status_code == 403


def test_exports_reach_their_owner_and_managers_only(
    store: tuple[Assistant, dict[str, str]],
) -> None:
    from ui.pages_api import export_link

    assistant, tokens = store
    service = Service(assistant, Access(assistant.settings.auth_file))
    path = Chat(service).export(_answered_turns(service), "HTML", False, user="rita")
    again = Chat(service).export(_answered_turns(service), "HTML", False, user="rita")
    assert path.parent != again.parent and len(path.parent.name) == 22  # 128 random bits
    link = "/" + export_link(path)
    with TestClient(create_app(assistant), raise_server_exceptions=False) as client:
        rita, mia, boss = _login(client, "rita"), _login(client, "mia"), _login(client, "max")
        own = _as(client, rita).get(link)
        assert own.status_code == 200 and own.content == path.read_bytes()
        assert own.headers["content-disposition"].startswith("attachment;")
        assert _as(client, boss).get(link).status_code == 200
        client.cookies.clear()
        bearer = client.get(link, headers={"Authorization": f"Bearer {tokens['rita']}"})
        assert bearer.status_code == 200
        assert client.get(link).status_code == 401
        others = _as(client, mia).get(link)
        assert others.status_code == 404 and others.json()["detail"].startswith("no export")
        assert _as(client, mia).get(link.replace(path.parent.name, "x" * 22)).status_code == 404
        assert _as(client, rita).get(f"/gradio_api/file={path}").status_code == 403


# --------------------------------------------------------------------------- 6 lockouts


def test_bad_tokens_never_lock_out_a_valid_token(guarded_client: TestClient, store) -> None:
    """Finding 6: five wrong bearer tokens from one address locked out every valid token from
    it (everyone behind one proxy or NAT)."""
    tokens = store[1]
    for attempt in range(20):
        bad = guarded_client.get("/api/health", headers={"Authorization": f"Bearer fn_{attempt}x"})
        assert bad.status_code in (401, 429)
    assert bad.status_code == 429  # this address's bad tokens are slowed down ...
    for name in ("rita", "max"):  # ... its valid ones are not
        valid = guarded_client.get(
            "/api/health", headers={"Authorization": f"Bearer {tokens[name]}"}
        )
        assert valid.status_code == 200


def test_logins_lock_per_address_and_per_account(store: tuple[Assistant, dict[str, str]]) -> None:
    app = create_app(_with(store[0], trusted_proxies=["127.0.0.0/8"]))
    wrong = {"username": "rita", "password": "wrong password"}
    with TestClient(app, client=("127.0.0.1", 40000)) as client:

        def login(address: str, form: dict[str, str] = wrong) -> Any:
            return client.post("/login", data=form, headers={"X-Forwarded-For": address})

        for _ in range(4):
            assert login("198.51.100.1").json()["detail"] == "Incorrect credentials."
        assert "from your address" in login("198.51.100.1").json()["detail"]
        right = {"username": "rita", "password": PASSWORDS["rita"]}
        assert login("198.51.100.2", right).status_code == 200  # elsewhere she still may
        for index in range(15):  # 20 failures in all, from many addresses
            login(f"203.0.113.{index}")
        locked = login("192.0.2.1", right)
        assert locked.status_code == 400 and locked.headers["retry-after"] == "60"
        assert locked.json()["detail"] == (
            "too many failed sign-ins for user 'rita': try again in 60 s"
        )
        other = {"username": "mia", "password": PASSWORDS["mia"]}
        assert login("192.0.2.1", other).status_code == 200


def _login_over_http(url: str, forwarded_for: str) -> str:
    form = urllib.parse.urlencode({"username": "rita", "password": "wrong password"}).encode()
    request = urllib.request.Request(
        url + "login", data=form, headers={"X-Forwarded-For": forwarded_for}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read().decode()
    except urllib.error.HTTPError as error:
        return error.read().decode()


def test_served_server_ignores_x_forwarded_for_from_unconfigured_proxies(
    store: tuple[Assistant, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding 6: uvicorn believed X-Forwarded-For from any loopback client, so six wrong
    logins, each "from" another address, never locked."""
    assistant = store[0]
    monkeypatch.setenv("FOOTNOTE_AUTH_FILE", str(assistant.settings.auth_file))
    monkeypatch.delenv("FOOTNOTE_TRUSTED_PROXIES", raising=False)
    with served(assistant.settings.data_dir, tmp_path) as (url, _):
        said = [_login_over_http(url, f"203.0.113.{index}") for index in range(6)]
    assert said[:4] == ['{"detail":"Incorrect credentials."}'] * 4
    assert "too many failed sign-ins for user 'rita' from your address" in said[4]


# --------------------------------------------------------------------------- advisories


def test_the_web_stack_installed_is_the_one_checked_for_advisories() -> None:
    """docs/security.md records the versions checked for published advisories; a dependency
    bump fails here until that check is redone and the table updated."""
    from importlib.metadata import version

    page = (Path(__file__).parents[1] / "docs" / "security.md").read_text(encoding="utf-8")
    table = page.split("### Versions checked for advisories", 1)[1].split("\n### ", 1)[0]
    checked = {
        cells[1]: cells[2]
        for line in table.splitlines()
        if line.startswith("| ")
        and (cells := [c.strip() for c in line.split("|")])[2][:1].isdigit()
    }
    assert {"gradio", "starlette", "fastapi", "uvicorn"} <= set(checked)
    installed = {name: version(name) for name in checked}
    assert installed == checked, "re-check the advisories and update docs/security.md"
