"""The Python interop suite: webexpythonsdk and webex-bot (PyPI, pinned in
requirements.txt) against the emulator at $WEBEX_INTEROP_BASE_URL.

Run by `cargo xtask interop`, which makes the venv. By hand:
    WEBEX_INTEROP_BASE_URL=http://127.0.0.1:8642 \
        ~/.cache/webex-rs/interop/venv/bin/python interop/python/run.py [filter]
"""

import os
import sys
import time

from harness import Runner


def main():
    base = os.environ.get("WEBEX_INTEROP_BASE_URL", "").rstrip("/")
    if not base:
        print("run.py: set WEBEX_INTEROP_BASE_URL to the emulator base URL", file=sys.stderr)
        return 2
    name_filter = sys.argv[1] if len(sys.argv) > 1 else ""
    runner = Runner("python")
    start = time.monotonic()

    import webexpythonsdk  # noqa: E402 - after the argument checks

    import checks_bot
    import checks_core
    import checks_groups
    import checks_messages
    import checks_oauth
    import checks_webhooks
    from context import Context

    print(f"webexpythonsdk {webexpythonsdk.__version__}; emulator at {base}", flush=True)
    ctx = Context(base)
    try:
        for module in (
            checks_core,
            checks_messages,
            checks_groups,
            checks_webhooks,
            checks_oauth,
            checks_bot,
        ):
            for group, name, fn in module.CHECKS:
                if name_filter in name:
                    runner.check(group, name, fn, ctx)
    finally:
        checks_bot.stop_bot()
        ctx.emulator.clear_faults()
    print(f"\npython suite ran in {time.monotonic() - start:.1f} s")
    return runner.finish()


if __name__ == "__main__":
    sys.exit(main())
