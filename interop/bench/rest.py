"""The webexpythonsdk client of `cargo xtask bench rest`.

One shared WebexAPI posts WEBEX_BENCH_MESSAGES messages into one room from a
ThreadPoolExecutor of WEBEX_BENCH_CONCURRENCY threads, then lists them all
WEBEX_BENCH_PAGE a page (the SDK's generator follows the Link headers). Prints
one JSON line with the CPU (resource.getrusage, all threads) and wall time of
that workload only, and fails unless every message was posted and listed.

`requests` counts the HTTP responses the SDK's requests.Session received
during the workload (a response hook), retries included.

By hand:
    WEBEX_BENCH_BASE_URL=... WEBEX_BENCH_TOKEN=... WEBEX_BENCH_ROOM_ID=... \
        ~/.cache/webex-rs/interop/venv/bin/python interop/bench/rest.py
"""

import json
import os
import resource
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor


def env(name):
    """A required environment variable."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise SystemExit(f"rest.py: set {name}")
    return value


def cpu_seconds():
    """User plus system CPU time of this process so far (all threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    base = env("WEBEX_BENCH_BASE_URL").rstrip("/")
    token = env("WEBEX_BENCH_TOKEN")
    room_id = env("WEBEX_BENCH_ROOM_ID")
    total = int(os.environ.get("WEBEX_BENCH_MESSAGES", "500"))
    concurrency = int(os.environ.get("WEBEX_BENCH_CONCURRENCY", "16"))
    page_size = int(os.environ.get("WEBEX_BENCH_PAGE", "50"))

    from webexpythonsdk import WebexAPI

    # The trailing slash matters: webexpythonsdk joins paths with urljoin.
    api = WebexAPI(access_token=token, base_url=base + "/v1/")
    # One request before the clock starts, as every client of the bench does:
    # a connection is open.
    api.people.me()

    lock = threading.Lock()
    requests = [0]

    def count(response, *args, **kwargs):
        with lock:
            requests[0] += 1

    # webexpythonsdk keeps its requests.Session private; a response hook is the
    # least intrusive way to count what went over the wire.
    api._session._req_session.hooks["response"].append(count)

    cpu_start = cpu_seconds()
    wall_start = time.perf_counter()

    def post(i):
        return api.messages.create(roomId=room_id, text=f"bench message {i}").id

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        posted = list(pool.map(post, range(total)))
    listed = [message.id for message in api.messages.list(roomId=room_id, max=page_size)]

    wall = time.perf_counter() - wall_start
    cpu = cpu_seconds() - cpu_start
    api._session._req_session.hooks["response"].remove(count)

    posted_set = set(posted)
    missing = len(posted_set - set(listed))
    print(
        json.dumps(
            {
                "client": "webexpythonsdk",
                "requests": requests[0],
                "cpu_ms": cpu * 1e3,
                "wall_ms": wall * 1e3,
                "posted": len(posted_set),
                "listed": len(listed),
                # Pages are what the SDK requested beyond the posts.
                "pages": requests[0] - total,
            }
        ),
        flush=True,
    )
    if len(posted_set) != total:
        print(f"rest.py: posted {len(posted_set)} distinct messages, not {total}", file=sys.stderr)
        return 1
    if missing:
        print(f"rest.py: {missing} posted messages were not listed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
