"""The emulator's admin API (`/_emulator/...`, no auth), over urllib."""

import json
import urllib.error
import urllib.request


class Emulator:
    """Admin calls against the emulator at `base` (no trailing slash)."""

    def __init__(self, base):
        self.base = base.rstrip("/")

    def _call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={"content-type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read()
                return response.status, (json.loads(raw) if raw else None)
        except urllib.error.HTTPError as err:
            raise RuntimeError(f"{method} {path}: {err.code} {err.read()[:300]!r}") from err

    def create_person(self, display_name, email, kind="person"):
        """`POST /_emulator/people`: {id, email, displayName, orgId, accessToken}."""
        status, body = self._call(
            "POST", "/_emulator/people", {"displayName": display_name, "email": email, "type": kind}
        )
        if status != 201:
            raise RuntimeError(f"POST /_emulator/people: expected 201, got {status}")
        return body

    def add_fault(self, **fault):
        """`POST /_emulator/faults`, e.g. status=429, retryAfter=1, pathPrefix=..."""
        self._call("POST", "/_emulator/faults", fault)

    def clear_faults(self):
        """`DELETE /_emulator/faults`."""
        self._call("DELETE", "/_emulator/faults")

    def webhook_deliveries(self):
        """`GET /_emulator/webhooks/deliveries`: the delivery log, oldest first."""
        _, body = self._call("GET", "/_emulator/webhooks/deliveries")
        return body["items"]

    def mercury_connections(self):
        """`GET /_emulator/mercury/connections`: every socket accepted, oldest first."""
        _, body = self._call("GET", "/_emulator/mercury/connections")
        return body["items"]

    def create_oauth_client(self, redirect_uris, scopes, **options):
        """`POST /_emulator/oauth/clients`: {clientId, clientSecret}."""
        _, body = self._call(
            "POST",
            "/_emulator/oauth/clients",
            {"redirectUris": redirect_uris, "scopes": scopes, **options},
        )
        return body

    def create_guest_issuer(self):
        """`POST /_emulator/oauth/guest-issuers`: {issuerId, secret}."""
        _, body = self._call("POST", "/_emulator/oauth/guest-issuers", {})
        return body

    def expire_token(self, token):
        """`POST /_emulator/oauth/expire`: whether the emulator knew the token."""
        _, body = self._call("POST", "/_emulator/oauth/expire", {"token": token})
        return body["expired"]

    def token_requests(self):
        """`GET /_emulator/oauth/token-requests`: the token endpoint's log, oldest first."""
        _, body = self._call("GET", "/_emulator/oauth/token-requests")
        return body["items"]
