"""webexpythonsdk's OAuth and guest helpers against the emulator's idbroker:
`WebexAPI(client_id=, client_secret=, oauth_code=, redirect_uri=)`,
`access_tokens.get` / `.refresh` (form fields, not Basic auth, at the
public API's `/v1/access_token`), an expired refresh token, and
`guest_issuer.create` (a JWT with a string `exp`, sent as `Bearer`)."""

import time
import urllib.parse
import uuid

import requests
from webexpythonsdk import ApiError, WebexAPI

from harness import expect, expect_eq, expect_raises

REDIRECT_URI = "http://127.0.0.1:9/callback"


def _code_for(ctx, client_id, email):
    """The emulator's consent form accepted as `email`; the code it redirects with."""
    response = requests.post(
        ctx.base + "/idb/oauth2/v1/authorize",
        data={
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": "spark:all",
            "state": "py-oauth",
            "email": email,
            "consent": "accept",
        },
        allow_redirects=False,
        timeout=10,
    )
    expect_eq(response.status_code, 302, f"the consent form's answer ({response.text[:200]})")
    location = urllib.parse.urlsplit(response.headers["location"])
    query = dict(urllib.parse.parse_qsl(location.query))
    expect_eq(query.get("state"), "py-oauth", "state in the redirect")
    expect("code" in query, f"a code in {response.headers['location']}")
    return query["code"]


def _integration(ctx, label):
    """A person and an integration: (person, client)."""
    person = ctx.person(label)
    client = ctx.emulator.create_oauth_client([REDIRECT_URI], ["spark:all"])
    return person, client


def oauth_code_in_constructor(ctx):
    person, client = _integration(ctx, "OAuthCtor")
    code = _code_for(ctx, client["clientId"], person["email"])
    api = WebexAPI(
        client_id=client["clientId"],
        client_secret=client["clientSecret"],
        oauth_code=code,
        redirect_uri=REDIRECT_URI,
        base_url=ctx.api_base,
    )
    expect_eq(api.people.me().id, person["id"], "people.me with the exchanged token")


def access_tokens_get_and_refresh(ctx):
    person, client = _integration(ctx, "OAuthRefresh")
    code = _code_for(ctx, client["clientId"], person["email"])
    tokens = WebexAPI(access_token="unused", base_url=ctx.api_base).access_tokens
    first = tokens.get(client["clientId"], client["clientSecret"], code, REDIRECT_URI)
    expect(first.access_token and first.refresh_token, "an access and a refresh token")
    expect(first.expires_in > 0 and first.refresh_token_expires_in > 0, "lifetimes")
    refreshed = tokens.refresh(client["clientId"], client["clientSecret"], first.refresh_token)
    expect(refreshed.access_token != first.access_token, "a new access token")
    expect_eq(refreshed.refresh_token, first.refresh_token, "the refresh token is kept")
    me = WebexAPI(access_token=refreshed.access_token, base_url=ctx.api_base).people.me()
    expect_eq(me.id, person["id"], "people.me with the refreshed token")
    grants = [
        (r["grantType"], r["status"])
        for r in ctx.emulator.token_requests()
        if r["clientId"] == client["clientId"]
    ]
    expect_eq(grants, [("authorization_code", 200), ("refresh_token", 200)], "the token requests")


def access_tokens_refresh_expired(ctx):
    person, client = _integration(ctx, "OAuthExpired")
    code = _code_for(ctx, client["clientId"], person["email"])
    tokens = WebexAPI(access_token="unused", base_url=ctx.api_base).access_tokens
    first = tokens.get(client["clientId"], client["clientSecret"], code, REDIRECT_URI)
    expect(ctx.emulator.expire_token(first.refresh_token), "the emulator knows the refresh token")
    error = expect_raises(
        ApiError,
        lambda: tokens.refresh(client["clientId"], client["clientSecret"], first.refresh_token),
        "refresh with an expired refresh token",
    )
    expect_eq(error.status_code, 400, "status")
    expect_eq(error.response.json()["error"], "invalid_grant", "OAuth error code")


def guest_issuer_create(ctx):
    issuer = ctx.emulator.create_guest_issuer()
    _, api = ctx.user("GuestHost")
    sub = f"py-guest-{uuid.uuid4().hex[:12]}"
    guest = api.guest_issuer.create(
        sub, "Py Guest", issuer["issuerId"], str(int(time.time()) + 3600), issuer["secret"]
    )
    expect(guest.token and guest.expiresIn > 0, "a guest token and its lifetime")
    me = WebexAPI(access_token=guest.token, base_url=ctx.api_base).people.me()
    expect_eq(me.displayName, "Py Guest", "the guest's people.me")
    again = api.guest_issuer.create(
        sub, "Py Guest", issuer["issuerId"], str(int(time.time()) + 3600), issuer["secret"]
    )
    again_me = WebexAPI(access_token=again.token, base_url=ctx.api_base).people.me()
    expect_eq(again_me.id, me.id, "the same sub is the same person")


CHECKS = [
    ("oauth", "WebexAPI(oauth_code=...): the code exchange", oauth_code_in_constructor),
    ("oauth", "access_tokens.get and .refresh", access_tokens_get_and_refresh),
    ("oauth", "access_tokens.refresh: an expired refresh token is invalid_grant", access_tokens_refresh_expired),
    ("oauth", "guest_issuer.create: a guest token from a JWT", guest_issuer_create),
]
