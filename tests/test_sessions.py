"""Chat sign-in sessions: signing out is a same-origin POST (GET /logout only asks, so an
<img> or link on another site signs nobody out), and a session ends after
FOOTNOTE_SESSION_IDLE_HOURS unused or FOOTNOTE_SESSION_MAX_DAYS after sign-in, however used:
the chat's routes, the document page and export downloads then want a new sign-in (401).
Served in process with the real Gradio chat; the sessions' clock is moved by the test."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ingest.sync import ingest
from rag.assistant import Assistant
from rag.settings import Settings
from ui.auth import Access
from ui.chat import Chat
from ui.pages_api import export_link
from ui.server import create_app
from ui.service import Service
from ui.users import add_user

PASSWORDS = {"rita": "reader-secret-1", "mia": "reader-secret-2"}
OTTERS = "Otters\n\nSea otters hold hands while they sleep so they do not drift apart.\n"
QUESTION = "Why do otters hold hands?"
PUBLIC = "http://footnote.example.com"
SAME_ORIGIN = {"Origin": PUBLIC, "Sec-Fetch-Site": "same-origin"}
HOUR, DAY = 3600.0, 86400.0


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """A one-document store and a users file with two readers."""
    root = tmp_path_factory.mktemp("sessions")
    users = root / "users.toml"
    for name, password in PASSWORDS.items():
        add_user(users, name, "reader", password)
    (root / "docs").mkdir()
    (root / "docs" / "otters.txt").write_text(OTTERS, encoding="utf-8")
    settings = Settings(data_dir=root / "data", auth_file=users)
    assistant = Assistant(settings)
    assert not ingest([root / "docs"], assistant.store, assistant.embed_model, settings).failed
    return assistant


@pytest.fixture
def client(assistant: Assistant) -> Iterator[TestClient]:
    app = create_app(assistant)
    with TestClient(app, base_url=PUBLIC, raise_server_exceptions=False) as client:
        yield client


def _login(client: TestClient, name: str) -> dict[str, str]:
    """Sign `name` in to the chat; their cookies (the client's jar is left empty)."""
    client.cookies.clear()
    signed = client.post(
        "/login", data={"username": name, "password": PASSWORDS[name]}, headers=SAME_ORIGIN
    )
    assert signed.status_code == 200, signed.text
    cookies = dict(client.cookies)
    client.cookies.clear()
    return cookies


def _signed_in(client: TestClient, cookies: dict[str, str]) -> bool:
    client.cookies.clear()
    client.cookies.update(cookies)
    status = client.get("/config").status_code
    assert status in (200, 401)
    return status == 200


def test_only_a_same_origin_post_signs_out(client: TestClient) -> None:
    """GET /logout signed the user out, so `<img src=".../logout">` on any site did."""
    rita, rita_elsewhere = _login(client, "rita"), _login(client, "rita")
    assert _signed_in(client, rita)
    as_an_image = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Dest": "image", "Referer": "x"}
    asked = client.get("/logout", headers=as_an_image)
    assert _signed_in(client, rita), "GET /logout signed the user out"
    assert asked.status_code == 200
    assert '<form method="post" action="logout"' in asked.text
    assert "form-action 'self'" in asked.headers["content-security-policy"]

    for foreign in [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}]:
        refused = client.post("/logout", headers=foreign)
        assert refused.status_code == 403, refused.text
        assert _signed_in(client, rita)

    client.cookies.update(rita)
    out = client.post("/logout", headers=SAME_ORIGIN, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "./"
    cleared = out.headers.get_list("set-cookie")
    assert sorted(cookie.split("=")[0] for cookie in cleared) == sorted(rita)
    assert all("max-age=0" in cookie.lower() for cookie in cleared)
    assert not _signed_in(client, rita)
    assert _signed_in(client, rita_elsewhere)  # her other browser stays signed in
    client.cookies.clear()
    nobody = client.get("/logout", follow_redirects=False)
    assert nobody.status_code == 303 and nobody.headers["location"] == "./"


def _export_for(assistant: Assistant, user: str) -> str:
    """A link to an export `user` made in the chat."""
    service = Service(assistant, Access(assistant.settings.auth_file))
    chat = Chat(service)
    *_, (_, turns) = chat.respond_in_session(QUESTION, [], [])
    return "/" + export_link(Path(chat.export(turns, "Markdown", False, user=user)))


def test_sessions_end_when_idle_and_after_their_lifetime(
    client: TestClient, assistant: Assistant
) -> None:
    """With the defaults (8 hours idle, 7 days in all), on the chat's routes and the API's
    routes that take a chat sign-in."""
    now = [1_000_000.0]
    client.app.state.sessions.clock = lambda: now[0]  # type: ignore[attr-defined]
    link = _export_for(assistant, "rita")
    rita = _login(client, "rita")
    for _ in range(3):  # used within 8 hours each time: still signed in after 23.7 hours
        now[0] += 7.9 * HOUR
        assert _signed_in(client, rita)
    assert client.get(link).status_code == 200
    now[0] += 8 * HOUR
    assert not _signed_in(client, rita)
    asked = client.post("/gradio_api/call/ask", json={"data": [QUESTION]}, headers=SAME_ORIGIN)
    assert asked.status_code == 401
    download = client.get(link)
    assert download.status_code == 401
    assert download.json() == {"detail": "sign in to the chat first, then open this link again"}
    assert client.get("/document", params={"source": "otters.txt"}).status_code == 401

    rita = _login(client, "rita")  # a new sign-in works at once
    assert client.get(link, cookies=rita).status_code == 200
    signed_in_at = now[0]
    while now[0] + 7 * HOUR < signed_in_at + 7 * DAY:  # used every 7 hours for 7 days
        now[0] += 7 * HOUR
        assert _signed_in(client, rita)
    now[0] = signed_in_at + 7 * DAY
    assert not _signed_in(client, rita)
    assert client.get(link, cookies=rita).status_code == 401


def test_session_times_are_settings(assistant: Assistant) -> None:
    changed = copy.copy(assistant)
    changed.settings = assistant.settings.model_copy(
        update={"session_idle_hours": 0.5, "session_max_days": 1}
    )
    with TestClient(create_app(changed), base_url=PUBLIC) as client:
        now = [5_000.0]
        client.app.state.sessions.clock = lambda: now[0]  # type: ignore[attr-defined]
        rita = _login(client, "rita")
        now[0] += 0.4 * HOUR
        assert _signed_in(client, rita)
        now[0] += 0.5 * HOUR
        assert not _signed_in(client, rita)
        mia = _login(client, "mia")
        for _ in range(59):  # every 24 minutes for 23.6 hours
            now[0] += 0.4 * HOUR
            assert _signed_in(client, mia)
        now[0] += 0.4 * HOUR
        assert not _signed_in(client, mia)
    assert Settings(session_idle_hours=8).session_max_days == 7
    with pytest.raises(ValueError, match="greater than 0"):
        Settings(session_idle_hours=0)
