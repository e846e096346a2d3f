"""What every check gets: the emulator, fresh people, SDK clients."""

import itertools
import os

from webexpythonsdk import WebexAPI

from emulator import Emulator


class Context:
    """The emulator at `base`, and helpers to make people and clients."""

    def __init__(self, base):
        self.base = base.rstrip("/")
        # The trailing slash matters: webexpythonsdk joins paths with urljoin.
        self.api_base = self.base + "/v1/"
        self.emulator = Emulator(self.base)
        self._serial = itertools.count(1)

    def person(self, label="Py"):
        """A new person on the emulator (admin API): its admin record."""
        n = next(self._serial)
        return self.emulator.create_person(
            f"{label} Person{n}", f"py-{label.lower()}-{n}-{os.getpid()}@example.com"
        )

    def client(self, person, **options):
        """A webexpythonsdk client for `person`, pointed at the emulator."""
        return WebexAPI(access_token=person["accessToken"], base_url=self.api_base, **options)

    def user(self, label="Py", **options):
        """A fresh person and their client: (admin record, WebexAPI)."""
        person = self.person(label)
        return person, self.client(person, **options)


class RequestLog:
    """Records the requests a client sends (a `requests` response hook)."""

    def __init__(self, api):
        self.entries = []
        # webexpythonsdk keeps its requests.Session private; a response hook is
        # the least intrusive way to see what went over the wire.
        api._session._req_session.hooks["response"].append(self._record)

    def _record(self, response, *args, **kwargs):
        self.entries.append((response.request.method, response.request.url, response.status_code))

    def count(self, method, path_fragment):
        """How many `method` requests had `path_fragment` in their URL."""
        return sum(1 for m, url, _ in self.entries if m == method and path_fragment in url)
