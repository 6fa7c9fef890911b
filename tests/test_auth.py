"""Access: the users file keeps only hashes, sign-ins are rate-limited, the API wants a bearer
token, only managers change the documents (API and chat), the served chat asks for a login,
and an open non-loopback bind is refused."""

from __future__ import annotations

import copy
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from gradio_client import Client

from ingest.sync import ingest
from rag.assistant import Assistant
from rag.errors import FootnoteError, Forbidden
from rag.settings import Settings
from tests.conftest import Footnote
from tests.served import free_port, served_in_thread
from ui.auth import Access, Limiter, is_loopback
from ui.server import create_app
from ui.service import Service
from ui.users import add_user, check_password, hash_token, read_users, remove_user

FOOTNOTE = str(Path(sys.executable).with_name("footnote"))
PASSWORDS = {"rita": "reader-secret-1", "max": "manager-secret-1"}
OTTERS = "Otters\n\nSea otters hold hands while they sleep so they do not drift apart.\n"
BEAVERS = b"Beavers\n\nBeavers build dams across rivers to make ponds.\n"


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Assistant, dict[str, str]]:
    """A store with one document and a users file with a reader and a manager (their
    tokens)."""
    root = tmp_path_factory.mktemp("guarded")
    users = root / "users.toml"
    tokens = {
        "rita": add_user(users, "rita", "reader", PASSWORDS["rita"]),
        "max": add_user(users, "max", "manager", PASSWORDS["max"]),
    }
    (root / "docs").mkdir()
    (root / "docs" / "otters.txt").write_text(OTTERS, encoding="utf-8")
    settings = Settings(data_dir=root / "data", auth_file=users)
    assistant = Assistant(settings)
    assert not ingest([root / "docs"], assistant.store, assistant.embed_model, settings).failed
    return assistant, tokens


@pytest.fixture
def client(guarded: tuple[Assistant, dict[str, str]]) -> Iterator[TestClient]:
    """The served app (API and chat) with a fresh record of failed sign-ins."""
    with TestClient(create_app(guarded[0]), raise_server_exceptions=False) as client:
        yield client


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_users_file_holds_hashes_only(tmp_path: Path) -> None:
    users = tmp_path / "users.toml"
    token = add_user(users, "ann", "manager", "correct horse")
    text = users.read_text(encoding="utf-8")
    assert "correct horse" not in text and token not in text
    assert stat.S_IMODE(users.stat().st_mode) == 0o600
    (ann,) = read_users(users).values()
    assert (ann.name, ann.role, ann.token) == ("ann", "manager", hash_token(token))
    assert check_password("correct horse", ann.password)
    assert not check_password("correct horsE", ann.password)
    with pytest.raises(FootnoteError, match="exists"):
        add_user(users, "ann", "reader", "another password")
    assert add_user(users, "ann", "reader", "another password", replace=True) != token
    assert read_users(users)["ann"].role == "reader"
    with pytest.raises(FootnoteError, match="8 to 1024 characters"):
        add_user(users, "bob", "reader", "short")
    with pytest.raises(FootnoteError, match="user name"):
        add_user(users, "bob smith", "reader", "long enough")
    remove_user(users, "ann")
    assert read_users(users) == {}

    as_json = tmp_path / "users.json"
    add_user(as_json, "bob", "reader", "long enough")
    assert json.loads(as_json.read_text())["users"][0]["role"] == "reader"
    access = Access(as_json)
    as_json.unlink()  # a users file gone while serving: the users read before still count
    assert access.role("bob") == "reader" and access.role("eve") is None
    with pytest.raises(FootnoteError, match="has no users"):
        Access(users)


def test_five_failures_lock_a_key_for_a_minute() -> None:
    now = [0.0]
    limiter = Limiter(clock=lambda: now[0])
    assert [limiter.failed("k") for _ in range(4)] == [0, 0, 0, 0]
    assert limiter.locked_for("k") == 0
    assert limiter.failed("k") == 60 and limiter.locked_for("k") == 60
    assert limiter.locked_for("other") == 0
    now[0] = 59.5
    assert limiter.locked_for("k") == 1
    now[0] = 60.0
    assert limiter.locked_for("k") == 0
    limiter.failed("k")
    limiter.succeeded("k")  # a success forgets earlier failures
    assert [limiter.failed("k") for _ in range(4)] == [0, 0, 0, 0]
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_api_wants_a_token_and_only_managers_change_documents(
    client: TestClient, guarded: tuple[Assistant, dict[str, str]]
) -> None:
    tokens = guarded[1]
    question = {"question": "Why do otters hold hands?"}
    anonymous = client.post("/api/ask", json=question)
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in anonymous.json()["detail"]
    assert client.get("/api/documents").status_code == 401

    answer = client.post("/api/ask", json=question, headers=_bearer(tokens["rita"]))
    assert answer.status_code == 200 and "drift apart" in answer.json()["answer"]
    listed = client.get("/api/documents", headers=_bearer(tokens["rita"]))
    assert [d["source"] for d in listed.json()] == ["otters.txt"]
    upload = [("files", ("beavers.txt", BEAVERS))]
    refused = client.post("/api/documents", files=upload, headers=_bearer(tokens["rita"]))
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "only managers can add or delete documents; you are signed in as 'rita' (reader)"
    )
    reader_delete = client.delete("/api/documents/otters.txt", headers=_bearer(tokens["rita"]))
    assert reader_delete.status_code == 403
    added = client.post("/api/documents", files=upload, headers=_bearer(tokens["max"]))
    assert added.status_code == 200 and added.json()["added"] == ["beavers.txt"]
    removed = client.delete("/api/documents/beavers.txt", headers=_bearer(tokens["max"]))
    assert removed.json() == {"removed": ["beavers.txt"]}

    for _ in range(4):
        bad = client.get("/api/health", headers=_bearer("fn_guess"))
        assert bad.status_code == 401 and bad.json() == {"detail": "the bearer token is not valid"}
    locked = client.get("/api/health", headers=_bearer("fn_guess"))
    assert locked.status_code == 429 and locked.headers["retry-after"] == "60"
    assert locked.json()["detail"] == (
        "too many failed sign-ins for API tokens from your address: try again in 60 s"
    )
    # Locked per token prefix: a valid token, and a bad one of another prefix, are judged.
    assert client.get("/api/health", headers=_bearer(tokens["max"])).status_code == 200
    assert client.get("/api/health", headers=_bearer(tokens["max"] + "x")).status_code == 401


def test_chat_login_is_rate_limited_per_user(client: TestClient) -> None:
    assert client.get("/config").status_code == 401
    for _ in range(4):
        wrong = client.post("/login", data={"username": "rita", "password": "guess"})
        assert wrong.status_code == 400 and wrong.json() == {"detail": "Incorrect credentials."}
    locked = client.post("/login", data={"username": "rita", "password": "guess"})
    assert locked.status_code == 400 and locked.headers["retry-after"] == "60"
    assert locked.json()["detail"].startswith("too many failed sign-ins for user 'rita'")
    right = client.post("/login", data={"username": "rita", "password": PASSWORDS["rita"]})
    assert right.status_code == 400 and "try again in" in right.json()["detail"]
    other = client.post("/login", data={"username": "max", "password": PASSWORDS["max"]})
    assert other.status_code == 200
    assert client.get("/config").status_code == 200


def test_chat_refuses_readers_corpus_changes(
    guarded: tuple[Assistant, dict[str, str]], tmp_path: Path
) -> None:
    assistant = guarded[0]
    service = Service(assistant, Access(assistant.settings.auth_file))
    upload = tmp_path / "beavers.txt"
    upload.write_bytes(BEAVERS)
    for user in ("rita", None, "mallory"):
        with pytest.raises(Forbidden, match="only managers can add or delete documents"):
            service.add_files([("beavers.txt", upload)], user)
        with pytest.raises(Forbidden):
            service.delete("otters.txt", user)
    assert service.add_files([("beavers.txt", upload)], "max").added == ["beavers.txt"]
    assert service.delete("beavers.txt", "max") == ["beavers.txt"]


def test_served_chat_requires_login(guarded: tuple[Assistant, dict[str, str]]) -> None:
    with served_in_thread(create_app(copy.copy(guarded[0]))) as url:
        with pytest.raises(ValueError, match="Could not login"):
            Client(url, auth=("max", "wrong password"), verbose=False, analytics_enabled=False)
        with pytest.raises(Exception):  # noqa: B017  (no login: the app's config is refused)
            Client(url, verbose=False, analytics_enabled=False)
        client = Client(
            url, auth=("rita", PASSWORDS["rita"]), verbose=False, analytics_enabled=False
        )
        answer = client.predict("Why do otters hold hands?", api_name="/ask")
        assert "drift apart" in answer["answer"]


def test_cli_adds_users_and_refuses_an_open_public_bind(
    tmp_path: Path, footnote: Footnote, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = tmp_path / "users.toml"
    env = {**os.environ, "FOOTNOTE_DATA_DIR": str(tmp_path / "data")}
    env.pop("FOOTNOTE_AUTH_FILE", None)
    added = subprocess.run(
        [FOOTNOTE, "user", "add", "ann", "--role", "manager", "--password-stdin", "--file", users],
        input="a long password\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip()
    assert token.startswith("fn_") and read_users(users)["ann"].token == hash_token(token)
    monkeypatch.delenv("FOOTNOTE_AUTH_FILE", raising=False)
    port = str(free_port())
    opened = footnote("serve", "--host", "0.0.0.0", "--port", port, data_dir=tmp_path / "data")
    assert opened.returncode == 1
    assert opened.stderr.strip().splitlines() == [
        "footnote: error: refusing to serve on 0.0.0.0 without sign-in: set FOOTNOTE_AUTH_FILE "
        "(see `footnote user add`) or pass --insecure"
    ]
