"""A bot built with webex-bot (PyPI), run against the emulator.

webex-bot has no URL settings: the U2C catalog URL is a module constant, its
WebexAPI is built with the default base URL, and its websocket always passes
an SSL context. This process points them at the emulator by replacing those
module attributes before the bot is built (its installed files are left as
they are), then runs a bot whose one command, `echo`, answers
`echo: <the rest>`.

Against an emulator started with --tls (an https base URL) only the two URL
attributes are replaced: the websocket keeps webex-bot's own SSL context,
which trusts the emulator's CA through SSL_CERT_FILE (and requests through
REQUESTS_CA_BUNDLE), as a user would set it up.

Run by checks_bot.py, with WEBEX_INTEROP_BASE_URL (the emulator) and
WEBEX_INTEROP_BOT_TOKEN (the bot's token) in the environment.
"""

import functools
import os

from webexpythonsdk import WebexAPI

import webex_bot.websockets.webex_websocket_client as websocket_client

BASE = os.environ["WEBEX_INTEROP_BASE_URL"].rstrip("/")

# The three attributes webex-bot reads its endpoints from.
websocket_client.DEFAULT_U2C_URL = BASE + "/u2c/api/v1/catalog"
# The trailing slash matters: webexpythonsdk joins paths with urljoin.
websocket_client.WebexAPI = functools.partial(WebexAPI, base_url=BASE + "/v1/")
# A plain emulator serves ws:// on loopback, and websockets refuses an SSL
# context for a ws:// URL; over TLS, webex-bot's own context stays.
if BASE.startswith("http://"):
    websocket_client.ssl_context = None

from webex_bot.models.command import Command  # noqa: E402 - after the patches
from webex_bot.webex_bot import WebexBot  # noqa: E402


BOT_NAME = os.environ.get("WEBEX_INTEROP_BOT_NAME", "Interop Bot")


class Echo(Command):
    """`echo <text>` → `echo: <text>`."""

    def __init__(self):
        super().__init__(command_keyword="echo", help_message="Echo the text back")

    def execute(self, message, attachment_actions, activity):
        # In a group room the text starts with the bot's name (the mention).
        # webex-bot 1.3.1 means to strip it, but resets the name it strips
        # to "" after reading it, so the command gets the whole text.
        text = message.strip()
        if text.startswith(BOT_NAME):
            text = text[len(BOT_NAME):].strip()
        if text.lower().startswith("echo"):
            text = text[len("echo"):].strip()
        return f"echo: {text}"


def main():
    bot = WebexBot(
        os.environ["WEBEX_INTEROP_BOT_TOKEN"],
        bot_name=BOT_NAME,
        log_level="INFO",
    )
    bot.add_command(Echo())
    bot.run()


if __name__ == "__main__":
    main()
