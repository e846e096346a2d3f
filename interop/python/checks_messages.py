"""messages (text, markdown, file upload, threads, direct) and attachment actions."""

import tempfile
from pathlib import Path

import requests
from webexpythonsdk import ApiError
from webexpythonsdk.utils import WebexDateTime

from harness import expect, expect_eq, expect_raises

CARD = {
    "contentType": "application/vnd.microsoft.card.adaptive",
    "content": {
        "type": "AdaptiveCard",
        "version": "1.0",
        "body": [
            {"type": "TextBlock", "text": "Pick a date", "size": "large"},
            {"type": "Input.Date", "id": "dueDate"},
        ],
        "actions": [{"type": "Action.Submit", "title": "Due Date"}],
    },
}


def text_message(ctx):
    person, api = ctx.user("Msg")
    room = api.rooms.create("Py Text Message")
    msg = api.messages.create(roomId=room.id, text="Howdy!")
    expect(msg.id, "message.id")
    expect_eq(msg.text, "Howdy!", "message.text")
    expect_eq(msg.roomId, room.id, "message.roomId")
    expect_eq(msg.roomType, "group", "message.roomType")
    expect_eq(msg.personId, person["id"], "message.personId")
    expect_eq(msg.personEmail, person["email"], "message.personEmail")
    expect(isinstance(msg.created, WebexDateTime), f"message.created parses: {msg.created!r}")


def markdown_message(ctx):
    _, api = ctx.user("Msg")
    room = api.rooms.create("Py Markdown Message")
    msg = api.messages.create(roomId=room.id, markdown="**bold** move")
    expect_eq(msg.markdown, "**bold** move", "message.markdown")
    expect(msg.text, "message.text derived from markdown")
    expect_eq(api.messages.get(msg.id).markdown, "**bold** move", "messages.get markdown")


def file_upload(ctx):
    person, api = ctx.user("Msg")
    room = api.rooms.create("Py File Upload")
    content = b"interop upload \x00\x01\x02 " * 200
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.txt"
        path.write_bytes(content)
        # A local path: the SDK sends multipart/form-data (requests-toolbelt).
        msg = api.messages.create(roomId=room.id, text="see attached", files=[str(path)])
    expect_eq(msg.text, "see attached", "message.text")
    expect_eq(len(msg.files or []), 1, "message.files")
    url = msg.files[0]
    expect(url.startswith(ctx.base + "/v1/contents/"), f"file URL on the emulator: {url}")
    got = requests.get(url, headers={"Authorization": f"Bearer {person['accessToken']}"}, timeout=10)
    expect_eq(got.status_code, 200, f"GET {url}")
    expect_eq(got.content, content, "downloaded bytes")
    expect('filename="report.txt"' in got.headers.get("Content-Disposition", ""),
           f"Content-Disposition: {got.headers.get('Content-Disposition')!r}")


def get_message(ctx):
    _, api = ctx.user("Msg")
    room = api.rooms.create("Py Get Message")
    msg = api.messages.create(roomId=room.id, text="get me")
    expect_eq(api.messages.get(msg.id), msg, "messages.get == messages.create")


def list_messages(ctx):
    _, api = ctx.user("Msg")
    room = api.rooms.create("Py List Messages")
    sent = [api.messages.create(roomId=room.id, text=t).id for t in ("one", "two", "three")]
    listed = [m.id for m in api.messages.list(roomId=room.id)]
    expect_eq(listed, list(reversed(sent)), "messages.list, newest first")


def update_message(ctx):
    _, api = ctx.user("Msg")
    room = api.rooms.create("Py Edit Message")
    msg = api.messages.create(roomId=room.id, text="typo")
    edited = api.messages.update(msg.id, roomId=room.id, text="fixed")
    expect_eq(edited.id, msg.id, "edited id")
    expect_eq(edited.text, "fixed", "edited text")
    expect_eq(api.messages.get(msg.id).text, "fixed", "messages.get after edit")


def delete_message(ctx):
    _, api = ctx.user("Msg")
    room = api.rooms.create("Py Delete Message")
    keep = api.messages.create(roomId=room.id, text="keep")
    gone = api.messages.create(roomId=room.id, text="delete me")
    api.messages.delete(gone.id)  # the SDK expects 204
    expect_eq([m.id for m in api.messages.list(roomId=room.id)], [keep.id], "listed after delete")
    err = expect_raises(ApiError, lambda: api.messages.get(gone.id), "messages.get after delete")
    expect_eq(err.status_code, 404, "messages.get after delete: status")


def thread_reply(ctx):
    _, api = ctx.user("Msg")
    room = api.rooms.create("Py Thread")
    parent = api.messages.create(roomId=room.id, text="parent")
    reply = api.messages.create(roomId=room.id, parentId=parent.id, text="reply")
    expect_eq(reply.parentId, parent.id, "reply.parentId")
    replies = [m.id for m in api.messages.list(roomId=room.id, parentId=parent.id)]
    expect_eq(replies, [reply.id], "messages.list(parentId=...)")


def mention(ctx):
    _, api = ctx.user("Msg")
    other = ctx.person("Mentioned")
    room = api.rooms.create("Py Mention")
    api.memberships.create(room.id, personId=other["id"])
    msg = api.messages.create(roomId=room.id, markdown=f"hi <@personEmail:{other['email']}|Buddy>")
    expect_eq(msg.mentionedPeople, [other["id"]], "message.mentionedPeople")


def bot_mentions(ctx):
    person, api = ctx.user("Msg")
    bot = ctx.emulator.create_person("Py Bot", f"py-bot-{person['id'][-8:]}@example.com", kind="bot")
    bot_api = ctx.client(bot)
    expect_eq(bot_api.people.me().type, "bot", "the bot's people.me type")
    room = api.rooms.create("Py Bot Room")
    api.memberships.create(room.id, personId=bot["id"])
    api.messages.create(roomId=room.id, text="not for the bot")
    ping = api.messages.create(roomId=room.id, markdown=f"<@personId:{bot['id']}|Py Bot> ping")
    # As on Webex, a bot lists a group room only with mentionedPeople=me.
    listed = [m.id for m in bot_api.messages.list(roomId=room.id, mentionedPeople="me")]
    expect_eq(listed, [ping.id], "the bot's messages.list(mentionedPeople=me)")
    err = expect_raises(ApiError, lambda: list(bot_api.messages.list(roomId=room.id)), "a bot listing without it")
    expect_eq(err.status_code, 403, "status_code")


def direct_message(ctx):
    person, api = ctx.user("Msg")
    other, other_api = ctx.user("Direct")
    msg = api.messages.create(toPersonEmail=other["email"], text="just us")
    expect_eq(msg.roomType, "direct", "message.roomType")
    expect_eq(api.rooms.get(msg.roomId).type, "direct", "room type")
    listed = [m.id for m in api.messages.list_direct(personEmail=other["email"])]
    expect_eq(listed, [msg.id], "messages.list_direct(personEmail=...) (GET /v1/messages/direct)")
    seen = [m.id for m in other_api.messages.list_direct(personId=person["id"])]
    expect_eq(seen, [msg.id], "the other side's messages.list_direct(personId=...)")


def card_and_submit(ctx):
    person, api = ctx.user("Card")
    room = api.rooms.create("Py Card Room")
    msg = api.messages.create(roomId=room.id, text="fallback text", attachments=[CARD])
    expect_eq(len(msg.attachments or []), 1, "message.attachments")
    expect_eq(msg.attachments[0]["contentType"], CARD["contentType"], "attachment contentType")
    action = api.attachment_actions.create(type="submit", messageId=msg.id, inputs={"dueDate": "1995-06-26"})
    expect(action.id, "attachmentAction.id")
    expect_eq(action.type, "submit", "attachmentAction.type")
    expect_eq(action.messageId, msg.id, "attachmentAction.messageId")
    expect_eq(action.roomId, room.id, "attachmentAction.roomId")
    expect_eq(action.personId, person["id"], "attachmentAction.personId")
    expect_eq(dict(action.inputs), {"dueDate": "1995-06-26"}, "attachmentAction.inputs")
    expect(isinstance(action.created, WebexDateTime), f"attachmentAction.created parses: {action.created!r}")
    got = api.attachment_actions.get(action.id)
    expect_eq(got, action, "attachment_actions.get == create")


CHECKS = [
    ("messages", "messages.create: text", text_message),
    ("messages", "messages.create: markdown", markdown_message),
    ("messages", "messages.create: local file upload (multipart)", file_upload),
    ("messages", "messages.get", get_message),
    ("messages", "messages.list: newest first", list_messages),
    ("messages", "messages.update: edit text", update_message),
    ("messages", "messages.delete: then gone from list and get", delete_message),
    ("messages", "messages.create: threaded reply, list by parentId", thread_reply),
    ("messages", "messages.create: markdown mention fills mentionedPeople", mention),
    ("messages", "messages.list: a bot sees its mentions (mentionedPeople=me)", bot_mentions),
    ("messages", "messages.create: direct by email, list_direct", direct_message),
    ("attachment actions", "attachment_actions: Adaptive Card message, submit, get", card_and_submit),
]
