"""people, rooms, Link pagination, error bodies and 429 handling."""

import time
import warnings

from webexpythonsdk import ApiError, RateLimitError, RateLimitWarning
from webexpythonsdk.utils import WebexDateTime

from context import RequestLog
from harness import expect, expect_eq, expect_raises


# --- people -------------------------------------------------------------------


def people_me(ctx):
    person, api = ctx.user("Me")
    me = api.people.me()
    expect_eq(me.id, person["id"], "people.me id")
    expect_eq(me.emails, [person["email"]], "people.me emails")
    expect_eq(me.displayName, person["displayName"], "people.me displayName")
    expect_eq(me.orgId, person["orgId"], "people.me orgId")
    expect_eq(me.type, "person", "people.me type")
    expect(isinstance(me.created, WebexDateTime), f"people.me created parses: {me.created!r}")


def people_get(ctx):
    _, api = ctx.user("Getter")
    other = ctx.person("Other")
    got = api.people.get(other["id"])
    expect_eq(got.id, other["id"], "people.get id")
    expect_eq(got.emails, [other["email"]], "people.get emails")
    expect_eq(got.displayName, other["displayName"], "people.get displayName")


def people_list_by_email(ctx):
    _, api = ctx.user("Lister")
    other = ctx.person("Findme")
    found = list(api.people.list(email=other["email"]))
    expect_eq([p.id for p in found], [other["id"]], "people.list(email=...) ids")


def people_list_by_ids(ctx):
    _, api = ctx.user("Lister")
    a, b = ctx.person("IdA"), ctx.person("IdB")
    found = list(api.people.list(id=f"{a['id']},{b['id']}"))
    expect_eq(sorted(p.id for p in found), sorted([a["id"], b["id"]]), "people.list(id=a,b) ids")


def people_list_by_name_paged(ctx):
    _, api = ctx.user("Lister")
    tag = f"Paged Name {ctx.person('Tag')['id'][-6:]}"
    wanted = {ctx.emulator.create_person(f"{tag} {i}", f"py-named-{i}-{tag[-6:]}@example.com")["id"] for i in range(3)}
    log = RequestLog(api)
    found = {p.id for p in api.people.list(displayName=tag, max=2)}
    expect_eq(found, wanted, "people.list(displayName with a space, max=2) across pages")
    expect_eq(log.count("GET", "/v1/people"), 2, "GET /v1/people requests (3 people, max=2)")


# --- rooms --------------------------------------------------------------------


def rooms_create(ctx):
    person, api = ctx.user("Rooms")
    room = api.rooms.create("Py Create Room")
    expect(room.id, "room.id")
    expect_eq(room.title, "Py Create Room", "room.title")
    expect_eq(room.type, "group", "room.type")
    expect_eq(room.creatorId, person["id"], "room.creatorId")
    expect(isinstance(room.created, WebexDateTime), f"room.created parses: {room.created!r}")
    expect(isinstance(room.lastActivity, WebexDateTime), f"room.lastActivity parses: {room.lastActivity!r}")


def rooms_get(ctx):
    _, api = ctx.user("Rooms")
    room = api.rooms.create("Py Get Room")
    expect_eq(api.rooms.get(room.id), room, "rooms.get == rooms.create")


def rooms_update(ctx):
    _, api = ctx.user("Rooms")
    room = api.rooms.create("Py Update Room")
    updated = api.rooms.update(room.id, title="Py Update Room (renamed)")
    expect_eq(updated.title, "Py Update Room (renamed)", "rooms.update title")
    expect_eq(api.rooms.get(room.id).title, "Py Update Room (renamed)", "rooms.get after update")


def rooms_list(ctx):
    _, api = ctx.user("Rooms")
    created = [api.rooms.create(f"Py List Room {i}") for i in range(3)]
    listed = list(api.rooms.list(type="group"))
    expect_eq(sorted(r.id for r in listed), sorted(r.id for r in created), "rooms.list ids")


def rooms_sorted_by_activity(ctx):
    _, api = ctx.user("Rooms")
    older = api.rooms.create("Py Older Room")
    newer = api.rooms.create("Py Newer Room")
    api.messages.create(roomId=older.id, text="bump")
    listed = [r.id for r in api.rooms.list(sortBy="lastactivity", max=1)]
    expect_eq(listed, [older.id, newer.id], "rooms.list(sortBy=lastactivity, max=1) across pages")


def rooms_delete(ctx):
    _, api = ctx.user("Rooms")
    room = api.rooms.create("Py Delete Room")
    api.rooms.delete(room.id)
    err = expect_raises(ApiError, lambda: api.rooms.get(room.id), "rooms.get after delete")
    expect_eq(err.status_code, 404, "rooms.get after delete: status")
    expect(room.id not in [r.id for r in api.rooms.list()], "deleted room still listed")


# --- pagination ---------------------------------------------------------------


def paginate_rooms(ctx):
    _, api = ctx.user("Pages")
    created = {api.rooms.create(f"Py Page Room {i}").id for i in range(7)}
    log = RequestLog(api)
    listed = [r.id for r in api.rooms.list(max=2)]
    expect_eq(len(listed), 7, "rooms listed through the generator")
    expect_eq(set(listed), created, "rooms listed == rooms created")
    expect_eq(log.count("GET", "/v1/rooms"), 4, "GET /v1/rooms requests (7 rooms, max=2)")
    expect(all("max=2" in url for _, url, _ in log.entries), f"max=2 kept on every page: {log.entries}")


def paginate_messages(ctx):
    _, api = ctx.user("Pages")
    room = api.rooms.create("Py Page Messages")
    sent = [api.messages.create(roomId=room.id, text=f"message {i}").id for i in range(5)]
    log = RequestLog(api)
    listed = [m.id for m in api.messages.list(roomId=room.id, max=2)]
    expect_eq(listed, list(reversed(sent)), "messages listed newest first across pages")
    expect_eq(log.count("GET", "/v1/messages"), 3, "GET /v1/messages requests (5 messages, max=2)")


def paginate_memberships(ctx):
    _, api = ctx.user("Pages")
    room = api.rooms.create("Py Page Memberships")
    for _ in range(4):
        api.memberships.create(room.id, personId=ctx.person("Member")["id"])
    log = RequestLog(api)
    listed = list(api.memberships.list(roomId=room.id, max=2))
    expect_eq(len({m.id for m in listed}), 5, "distinct memberships across pages (4 + me)")
    expect_eq(log.count("GET", "/v1/memberships"), 3, "GET /v1/memberships requests (5, max=2)")


# --- errors and rate limits ---------------------------------------------------


def api_error_body(ctx):
    _, api = ctx.user("Errors")
    room = api.rooms.create("Py Error Room")
    api.rooms.delete(room.id)
    err = expect_raises(ApiError, lambda: api.rooms.get(room.id), "rooms.get of a deleted room")
    expect_eq(err.status_code, 404, "status_code")
    expect(err.message, f"ApiError.message read from the JSON error body: {err.details!r}")
    expect(err.tracking_id, f"ApiError.tracking_id read from the JSON error body: {err.details!r}")


def rate_limit_waits(ctx):
    _, api = ctx.user("Limits")
    room = api.rooms.create("Py Before 429")
    ctx.emulator.clear_faults()
    ctx.emulator.add_fault(status=429, retryAfter=1, count=1, pathPrefix="/v1/rooms")
    log = RequestLog(api)
    start = time.monotonic()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        listed = [r.id for r in api.rooms.list()]
    elapsed = time.monotonic() - start
    rate_warnings = [w for w in caught if issubclass(w.category, RateLimitWarning)]
    expect_eq(len(rate_warnings), 1, "RateLimitWarning count")
    expect_eq(rate_warnings[0].message.retry_after, 1, "RateLimitWarning.retry_after")
    expect(1.0 <= elapsed < 5.0, f"the SDK waited Retry-After (1 s) then retried: took {elapsed:.2f} s")
    expect_eq([(m, s) for m, _, s in log.entries], [("GET", 429), ("GET", 200)], "requests sent")
    expect_eq(listed, [room.id], "rooms listed by the retry")


def rate_limit_raises(ctx):
    _, api = ctx.user("Limits", wait_on_rate_limit=False)
    ctx.emulator.clear_faults()
    ctx.emulator.add_fault(status=429, retryAfter=7, count=1, pathPrefix="/v1/rooms")
    err = expect_raises(RateLimitError, lambda: list(api.rooms.list()), "rooms.list under a 429")
    expect_eq(err.status_code, 429, "status_code")
    expect_eq(err.retry_after, 7, "RateLimitError.retry_after")
    list(api.rooms.list())  # the fault was used up: the next call goes through


CHECKS = [
    ("people", "people.me: the caller", people_me),
    ("people", "people.get: another person by id", people_get),
    ("people", "people.list: by email", people_list_by_email),
    ("people", "people.list: by a list of ids", people_list_by_ids),
    ("people", "people.list: by displayName, across pages", people_list_by_name_paged),
    ("rooms", "rooms.create", rooms_create),
    ("rooms", "rooms.get", rooms_get),
    ("rooms", "rooms.update: title", rooms_update),
    ("rooms", "rooms.list: type=group", rooms_list),
    ("rooms", "rooms.list: sortBy=lastactivity across pages", rooms_sorted_by_activity),
    ("rooms", "rooms.delete: then get is a 404", rooms_delete),
    ("pagination", "pagination: 7 rooms with max=2 through the generator", paginate_rooms),
    ("pagination", "pagination: 5 messages with max=2, newest first", paginate_messages),
    ("pagination", "pagination: 5 memberships with max=2", paginate_memberships),
    ("errors", "ApiError: message and trackingId from the error body", api_error_body),
    ("errors", "429 Retry-After 1 on /v1/rooms: the SDK waits and succeeds", rate_limit_waits),
    ("errors", "429 with wait_on_rate_limit=False: RateLimitError.retry_after", rate_limit_raises),
]
