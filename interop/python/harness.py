"""A tiny check runner: named checks, plain asserts, a report.

Each check is a function; it passes when it returns and fails when it raises.
Known gaps come from interop/known-gaps.txt (ignored with
WEBEX_INTEROP_STRICT=1). The summary lines go to stdout and to the file named
by WEBEX_INTEROP_SUMMARY, which `cargo xtask interop` reads.
"""

import os
import time
import traceback
import warnings
from collections import OrderedDict
from pathlib import Path

KNOWN_GAPS_FILE = Path(__file__).resolve().parent.parent / "known-gaps.txt"


class CheckFailed(AssertionError):
    """An expectation of a check did not hold."""


def expect(condition, message):
    """Fail the current check with `message` unless `condition` holds."""
    if not condition:
        raise CheckFailed(message)


def expect_eq(actual, expected, what):
    """Fail the current check unless `actual == expected`."""
    if actual != expected:
        raise CheckFailed(f"{what}: expected {expected!r}, got {actual!r}")


def expect_raises(exc_type, fn, what):
    """Call `fn`, which must raise `exc_type`; return the exception."""
    try:
        fn()
    except exc_type as exc:
        return exc
    raise CheckFailed(f"{what}: expected {exc_type.__name__}, nothing was raised")


def load_known_gaps(suite):
    """Check name -> why, for `suite`, from interop/known-gaps.txt."""
    if os.environ.get("WEBEX_INTEROP_STRICT") == "1":
        return {}
    gaps = {}
    for raw in KNOWN_GAPS_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split("|", 2)]
        if len(parts) >= 2 and parts[0] == suite and parts[1]:
            gaps[parts[1]] = parts[2] if len(parts) > 2 else ""
    return gaps


def describe(exc):
    """A few lines on what went wrong, with where it happened."""
    text = f"{type(exc).__name__}: {exc}".strip()
    # ApiError keeps the request that failed; name it.
    request = getattr(exc, "request", None)
    response = getattr(exc, "response", None)
    if request is not None and response is not None:
        text += f"\n{request.method} {request.url} -> {response.status_code} {response.text[:300]}"
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/interop/python/" in f.filename]
    if ours:
        last = ours[-1]
        text += f"\nat {Path(last.filename).name}:{last.lineno}: {last.line}"
    return "\n    ".join(text.splitlines()[:8])


class Runner:
    """Runs checks in order and keeps the score per group."""

    def __init__(self, suite):
        self.suite = suite
        self.known_gaps = load_known_gaps(suite)
        self.results = []

    def check(self, group, name, fn, *args):
        """Run `fn(*args)` as the check `name` of `group`."""
        start = time.monotonic()
        error = None
        with warnings.catch_warnings():
            # The checks that expect warnings record them themselves.
            warnings.simplefilter("default")
            try:
                fn(*args)
            except Exception as exc:  # noqa: BLE001 - any failure fails the check
                error = describe(exc)
        ms = (time.monotonic() - start) * 1000
        gap = self.known_gaps.get(name)
        if error is None:
            status = "pass" if gap is None else "fixed"
        else:
            status = "fail" if gap is None else "known"
        self.results.append((group, name, status, error))
        tag = {"pass": "ok   ", "fail": "FAIL ", "known": "gap  ", "fixed": "FIXED"}[status]
        print(f"{tag} {name} ({ms:.0f} ms)", flush=True)
        if error:
            print(f"    {error}", flush=True)
        if status == "known":
            print(f"    known gap: {gap}", flush=True)
        if status == "fixed":
            print("    listed in interop/known-gaps.txt but passes now: remove it from there", flush=True)

    def finish(self):
        """Print and write the summary; return the exit code."""
        groups = OrderedDict()
        for group, _, status, _ in self.results:
            counts = groups.setdefault(group, {"pass": 0, "fail": 0, "known": 0, "fixed": 0})
            counts[status] += 1
        total = {"pass": 0, "fail": 0, "known": 0, "fixed": 0}
        for counts in groups.values():
            for key, value in counts.items():
                total[key] += value
        groups["total"] = total
        lines = []
        for group, c in groups.items():
            checks = sum(c.values())
            lines.append(
                f"{group} checks={checks} passed={c['pass'] + c['fixed']} failed={c['fail']} "
                f"known_gaps={c['known']} fixed_gaps={c['fixed']}"
            )
        print(f"\n{self.suite} suite: checks per resource")
        for line in lines:
            print(f"  {line}")
        failed = [name for _, name, status, _ in self.results if status == "fail"]
        if failed:
            print("\nfailed:")
            for name in failed:
                print(f"  {name}")
        summary = os.environ.get("WEBEX_INTEROP_SUMMARY")
        if summary:
            Path(summary).write_text("\n".join(lines) + "\n", encoding="utf-8")
        return 0 if total["fail"] == 0 and self.results else 1
