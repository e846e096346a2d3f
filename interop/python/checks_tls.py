"""webexpythonsdk over https: the emulator started with --tls, the client
unpatched (only its base URL points at the emulator), trusting the
emulator's CA through REQUESTS_CA_BUNDLE, as a user would set it up.
"""

import os
import tempfile
from pathlib import Path

import requests

from context import RequestLog
from harness import expect, expect_eq


def _all_https(ctx, log):
    """Every request the client sent went to the emulator over https."""
    expect(log.entries, "the client sent requests")
    for method, url, _ in log.entries:
        expect(url.startswith(ctx.base + "/") and url.startswith("https://"), f"{method} {url}")


def trust_comes_from_the_environment(ctx):
    ca = os.environ.get("REQUESTS_CA_BUNDLE", "")
    expect(ca and Path(ca).is_file(), f"REQUESTS_CA_BUNDLE names the CA file: {ca!r}")
    expect(ctx.base.startswith("https://"), f"the emulator serves https: {ctx.base}")
    # Without the CA, requests refuses the emulator's certificate.
    try:
        requests.get(ctx.base + "/_emulator/health", verify=requests.certs.where(), timeout=10)
    except requests.exceptions.SSLError:
        return
    raise AssertionError("the emulator's certificate was accepted without its CA")


def people_me(ctx):
    person, api = ctx.user("Tls")
    log = RequestLog(api)
    me = api.people.me()
    expect_eq(me.id, person["id"], "people.me().id")
    expect_eq(me.displayName, person["displayName"], "people.me().displayName")
    _all_https(ctx, log)


def room_and_messages(ctx):
    _, api = ctx.user("Tls")
    log = RequestLog(api)
    room = api.rooms.create("Py over TLS")
    first = api.messages.create(roomId=room.id, text="first over https")
    second = api.messages.create(roomId=room.id, markdown="**second** over https")
    listed = [m.id for m in api.messages.list(roomId=room.id)]
    expect_eq(listed, [second.id, first.id], "messages.list, newest first")
    _all_https(ctx, log)


def file_upload(ctx):
    person, api = ctx.user("Tls")
    room = api.rooms.create("Py TLS upload")
    content = b"over tls \x00\x01 " * 100
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tls.txt"
        path.write_bytes(content)
        msg = api.messages.create(roomId=room.id, text="attached", files=[str(path)])
    url = msg.files[0]
    expect(url.startswith(ctx.base + "/v1/contents/"), f"file URL on the https emulator: {url}")
    got = requests.get(url, headers={"Authorization": f"Bearer {person['accessToken']}"}, timeout=10)
    expect_eq(got.status_code, 200, f"GET {url}")
    expect_eq(got.content, content, "downloaded bytes")


def link_pagination(ctx):
    _, api = ctx.user("Tls")
    room = api.rooms.create("Py TLS pages")
    sent = [api.messages.create(roomId=room.id, text=f"page {n}").id for n in range(5)]
    log = RequestLog(api)
    listed = [m.id for m in api.messages.list(roomId=room.id, max=2)]
    expect_eq(listed, list(reversed(sent)), "5 messages with max=2 through the Link headers")
    expect_eq(log.count("GET", "/v1/messages"), 3, "GET /v1/messages requests (5 messages, max=2)")
    _all_https(ctx, log)


CHECKS = [
    ("tls", "REQUESTS_CA_BUNDLE is the emulator's CA, which requests needs", trust_comes_from_the_environment),
    ("tls", "people.me() over https", people_me),
    ("tls", "rooms.create, messages.create and messages.list over https", room_and_messages),
    ("tls", "a file upload over https, downloaded from its https URL", file_upload),
    ("tls", "Link pagination over https", link_pagination),
]
