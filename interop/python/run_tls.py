"""The Python interop suite over TLS: webexpythonsdk and webex-bot against
an emulator started with --tls, at $WEBEX_INTEROP_BASE_URL (https).

The clients are not patched for TLS: they trust the emulator's CA because the
environment says so, as a user would set it up: REQUESTS_CA_BUNDLE (requests,
so webexpythonsdk and webex-bot's catalog call) and SSL_CERT_FILE (Python's
ssl, so webex-bot's websocket and urllib). Run by `cargo xtask interop
--suite tls`. By hand, against `webex-emulator --tls` (its second line is
`ca: <path>`):
    WEBEX_INTEROP_BASE_URL=https://127.0.0.1:8642 REQUESTS_CA_BUNDLE=<path> \
        SSL_CERT_FILE=<path> ~/.cache/webex-rs/interop/venv/bin/python \
        interop/python/run_tls.py [filter]
"""

import os
import sys
import time

from harness import Runner


def main():
    base = os.environ.get("WEBEX_INTEROP_BASE_URL", "").rstrip("/")
    if not base.startswith("https://"):
        print("run_tls.py: set WEBEX_INTEROP_BASE_URL to a --tls emulator's https URL", file=sys.stderr)
        return 2
    for name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"):
        if not os.environ.get(name):
            print(f"run_tls.py: set {name} to the emulator's CA file", file=sys.stderr)
            return 2
    name_filter = sys.argv[1] if len(sys.argv) > 1 else ""
    runner = Runner("tls-python")
    start = time.monotonic()

    import checks_bot
    import checks_tls
    from context import Context

    print(f"emulator at {base}, CA {os.environ['REQUESTS_CA_BUNDLE']}", flush=True)
    ctx = Context(base)
    checks = checks_tls.CHECKS + [
        ("webex-bot", "webex-bot over wss (URL constants patched, SSL context not)", checks_bot.check_direct_message),
    ]
    try:
        for group, name, fn in checks:
            if name_filter in name:
                runner.check(group, name, fn, ctx)
    finally:
        checks_bot.stop_bot()
    print(f"\ntls-python suite ran in {time.monotonic() - start:.1f} s")
    return runner.finish()


if __name__ == "__main__":
    sys.exit(main())
