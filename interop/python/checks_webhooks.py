"""webhooks: CRUD, and a real delivery to a local receiver with a signature."""

import hashlib
import hmac
import http.server
import json
import queue
import threading

from harness import expect, expect_eq

TARGET = "http://127.0.0.1:9/unused"  # never contacted: these webhooks never fire


def webhook_crud(ctx):
    _, api = ctx.user("Hook")
    room = api.rooms.create("Py Webhooks")
    hook = api.webhooks.create(
        name="Py Hook", targetUrl=TARGET, resource="messages", event="created", filter=f"roomId={room.id}"
    )
    expect_eq((hook.name, hook.targetUrl, hook.resource, hook.event), ("Py Hook", TARGET, "messages", "created"), "created")
    expect_eq(hook.filter, f"roomId={room.id}", "filter")
    expect_eq(hook.status, "active", "status")
    expect_eq(api.webhooks.get(hook.id), hook, "webhooks.get == create")
    expect_eq([w.id for w in api.webhooks.list()], [hook.id], "webhooks.list")
    updated = api.webhooks.update(hook.id, name="Py Hook (renamed)", targetUrl=TARGET + "/2")
    expect_eq((updated.name, updated.targetUrl), ("Py Hook (renamed)", TARGET + "/2"), "updated")
    expect_eq(api.webhooks.get(hook.id).name, "Py Hook (renamed)", "webhooks.get after update")
    api.webhooks.delete(hook.id)
    expect_eq(list(api.webhooks.list()), [], "webhooks after delete")


class _Receiver(http.server.BaseHTTPRequestHandler):
    """Puts each POST (headers, body) on the server's queue."""

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.received.put((dict(self.headers), body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def webhook_delivery(ctx):
    me, api = ctx.user("Hook")
    server = http.server.HTTPServer(("127.0.0.1", 0), _Receiver)
    server.received = queue.Queue()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        target = f"http://127.0.0.1:{server.server_address[1]}/hook"
        room = api.rooms.create("Py Webhook Delivery")
        hook = api.webhooks.create(
            name="Py Delivery", targetUrl=target, resource="messages", event="created",
            filter=f"roomId={room.id}", secret="s3cret",
        )
        msg = api.messages.create(roomId=room.id, text="deliver me")
        try:
            headers, body = server.received.get(timeout=10)
        except queue.Empty:
            raise AssertionError("no webhook delivery within 10 s") from None
        event = json.loads(body)
        expect_eq((event["id"], event["resource"], event["event"]), (hook.id, "messages", "created"), "envelope")
        expect_eq(event["data"]["id"], msg.id, "data.id")
        expect_eq(event["actorId"], me["id"], "actorId")
        expected = hmac.new(b"s3cret", body, hashlib.sha1).hexdigest()
        signature = {k.lower(): v for k, v in headers.items()}.get("x-spark-signature")
        expect_eq(signature, expected, "X-Spark-Signature (HMAC-SHA1 of the body)")
        # The real client's message object round-trips the delivered id.
        expect_eq(api.messages.get(event["data"]["id"]).text, "deliver me", "message fetched by delivered id")
    finally:
        server.shutdown()
        server.server_close()


CHECKS = [
    ("webhooks", "webhooks: create, get, list, update, delete", webhook_crud),
    ("webhooks", "webhooks: delivery to a local receiver, signed", webhook_delivery),
]
