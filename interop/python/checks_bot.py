"""webex-bot (PyPI): a bot built with it, pointed at the emulator, answers a
direct message and a group-room mention, once each, in the thread.

The bot runs in its own process (webex_bot_runner.py, which patches
webex-bot's endpoint constants in that process); the checks talk to it as
people do, through webexpythonsdk, and read its replies.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from harness import expect, expect_eq

RUNNER = Path(__file__).resolve().parent / "webex_bot_runner.py"

# How long the bot may take to connect, and to answer.
CONNECT_TIMEOUT = 60
REPLY_TIMEOUT = 30
# How long to keep looking for a second (wrong) reply after the first.
SETTLE = 2


class Bot:
    """The bot process, started once for the suite."""

    def __init__(self, ctx):
        n = os.getpid()
        self.name = "Interop Bot"
        self.record = ctx.emulator.create_person(self.name, f"interop-bot-{n}@example.com", kind="bot")
        self.log = tempfile.NamedTemporaryFile(prefix="webex-bot-", suffix=".log", delete=False)
        env = dict(os.environ)
        env.update(
            WEBEX_INTEROP_BASE_URL=ctx.base,
            WEBEX_INTEROP_BOT_TOKEN=self.record["accessToken"],
            WEBEX_INTEROP_BOT_NAME=self.name,
            # coloredlogs and webex-bot log at INFO; keep them in the file.
            LOG_LEVEL="INFO",
        )
        self.process = subprocess.Popen(
            [sys.executable, str(RUNNER)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_connected(ctx)

    def log_tail(self):
        """The end of the bot's log, to explain a failure."""
        text = Path(self.log.name).read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-15:])

    def _wait_connected(self, ctx):
        uuid = _uuid_of(self.record["id"])
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the bot exited ({self.process.returncode}):\n{self.log_tail()}")
            sockets = ctx.emulator.mercury_connections()
            if any(s["personUuid"] == uuid and s["state"] == "open" for s in sockets):
                return
            time.sleep(0.1)
        raise AssertionError(f"the bot did not connect in {CONNECT_TIMEOUT} s:\n{self.log_tail()}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        os.unlink(self.log.name)


_BOT = None


def _bot(ctx):
    global _BOT
    if _BOT is None:
        _BOT = Bot(ctx)
    return _BOT


def stop_bot():
    """Stops the bot process, if it was started."""
    global _BOT
    if _BOT is not None:
        _BOT.stop()
        _BOT = None


def _uuid_of(hydra_id):
    import base64

    padded = hydra_id + "=" * (-len(hydra_id) % 4)
    return base64.urlsafe_b64decode(padded).decode().rsplit("/", 1)[-1]


def _replies(api, room_id, bot_email, parent_id, bot):
    """The bot's replies in the thread of `parent_id`: waits for the first,
    then a moment for any other."""
    deadline = time.monotonic() + REPLY_TIMEOUT
    settle_until = None
    while True:
        found = [
            m
            for m in api.messages.list(roomId=room_id, parentId=parent_id)
            if m.personEmail == bot_email
        ]
        now = time.monotonic()
        if found and settle_until is None:
            settle_until = now + SETTLE
        if settle_until is not None and now >= settle_until:
            return found
        if now >= deadline:
            raise AssertionError(f"no reply from the bot in {REPLY_TIMEOUT} s:\n{bot.log_tail()}")
        time.sleep(0.2)


def check_direct_message(ctx):
    bot = _bot(ctx)
    _, api = ctx.user("BotDirect")
    sent = api.messages.create(toPersonEmail=bot.record["email"], text="echo hello direct")
    replies = _replies(api, sent.roomId, bot.record["email"], sent.id, bot)
    expect_eq(len(replies), 1, "replies to the direct message")
    expect_eq(replies[0].text, "echo: hello direct", "the reply")
    expect_eq(replies[0].parentId, sent.id, "the reply's thread")


def check_group_mention(ctx):
    bot = _bot(ctx)
    _, api = ctx.user("BotGroup")
    room = api.rooms.create("Room with a webex-bot")
    api.memberships.create(roomId=room.id, personEmail=bot.record["email"])
    # Not for the bot: in a group room a bot only sees what mentions it.
    api.messages.create(roomId=room.id, text="echo not for the bot")
    sent = api.messages.create(
        roomId=room.id,
        markdown=f"<@personId:{bot.record['id']}|{bot.name}> echo hello group",
    )
    expect(bot.record["id"] in (sent.mentionedPeople or []), "the message mentions the bot")
    replies = _replies(api, room.id, bot.record["email"], sent.id, bot)
    expect_eq(len(replies), 1, "replies to the mention")
    expect_eq(replies[0].text, "echo: hello group", "the reply")
    all_from_bot = [m for m in api.messages.list(roomId=room.id) if m.personEmail == bot.record["email"]]
    expect_eq(len(all_from_bot), 1, "the bot's messages in the room")


def check_help_card(ctx):
    """webex-bot's built-in `help` answers with a card whose picture is the
    bot's avatar (without one, webex-bot cannot build the card and answers
    nothing); the avatar is a picture the emulator serves without a token."""
    bot = _bot(ctx)
    _, api = ctx.user("BotHelp")
    avatar = api.people.get(bot.record["id"]).avatar
    expect(
        isinstance(avatar, str) and avatar.startswith(ctx.base + "/avatars/"),
        f"the bot has an avatar served by the emulator: {avatar!r}",
    )
    picture = requests.get(avatar, timeout=10)
    expect_eq(picture.status_code, 200, "the avatar's status")
    expect_eq(picture.headers.get("content-type"), "image/svg+xml", "the avatar's type")

    sent = api.messages.create(toPersonEmail=bot.record["email"], text="help")
    replies = _replies(api, sent.roomId, bot.record["email"], sent.id, bot)
    expect_eq(len(replies), 1, "replies to help")
    attachments = replies[0].attachments or []
    expect_eq(len(attachments), 1, "the help card")
    card = attachments[0]["content"]
    header = card["body"][0]["columns"]
    expect_eq(header[0]["items"][0]["text"], bot.name, "the card's heading")
    expect_eq(header[1]["items"][0]["url"], avatar, "the card's picture")
    titles = [action["title"] for action in card.get("actions", [])]
    expect_eq(titles, ["Echo the text back"], "one button per command")


CHECKS = [
    ("webex-bot", "webex-bot answers a direct message", check_direct_message),
    ("webex-bot", "webex-bot answers a group mention", check_group_mention),
    ("webex-bot", "webex-bot's help card shows the bot's avatar", check_help_card),
]
