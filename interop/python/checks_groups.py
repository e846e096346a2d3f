"""memberships, teams and team memberships."""

from webexpythonsdk import ApiError

from harness import expect, expect_eq, expect_raises


def membership_create(ctx):
    _, api = ctx.user("Mem")
    by_email, by_id = ctx.person("ByEmail"), ctx.person("ById")
    room = api.rooms.create("Py Memberships")
    m1 = api.memberships.create(room.id, personEmail=by_email["email"])
    m2 = api.memberships.create(room.id, personId=by_id["id"])
    expect_eq((m1.roomId, m1.personId, m1.personEmail), (room.id, by_email["id"], by_email["email"]), "by email")
    expect_eq((m2.roomId, m2.personId, m2.personEmail), (room.id, by_id["id"], by_id["email"]), "by id")
    expect_eq(m1.isModerator, False, "isModerator")
    expect(m1.created, "membership.created")


def membership_get(ctx):
    _, api = ctx.user("Mem")
    room = api.rooms.create("Py Get Membership")
    m = api.memberships.create(room.id, personId=ctx.person("Guest")["id"])
    expect_eq(api.memberships.get(m.id), m, "memberships.get == create")


def membership_list(ctx):
    me, api = ctx.user("Mem")
    guest = ctx.person("Guest")
    room = api.rooms.create("Py List Memberships")
    api.memberships.create(room.id, personId=guest["id"])
    listed = list(api.memberships.list(roomId=room.id))
    expect_eq(sorted(m.personId for m in listed), sorted([me["id"], guest["id"]]), "members")
    mine = list(api.memberships.list(roomId=room.id, personEmail=me["email"]))
    expect_eq([m.personId for m in mine], [me["id"]], "memberships.list(personEmail=...)")


def membership_update(ctx):
    _, api = ctx.user("Mem")
    room = api.rooms.create("Py Moderator")
    m = api.memberships.create(room.id, personId=ctx.person("Guest")["id"])
    updated = api.memberships.update(m.id, isModerator=True)
    expect_eq(updated.isModerator, True, "updated isModerator")
    expect_eq(api.memberships.get(m.id).isModerator, True, "memberships.get after update")


def membership_delete(ctx):
    me, api = ctx.user("Mem")
    room = api.rooms.create("Py Remove Member")
    m = api.memberships.create(room.id, personId=ctx.person("Guest")["id"])
    api.memberships.delete(m.id)
    expect_eq([x.personId for x in api.memberships.list(roomId=room.id)], [me["id"]], "members after delete")


def membership_duplicate(ctx):
    _, api = ctx.user("Mem")
    guest = ctx.person("Guest")
    room = api.rooms.create("Py Duplicate Member")
    api.memberships.create(room.id, personId=guest["id"])
    err = expect_raises(ApiError, lambda: api.memberships.create(room.id, personId=guest["id"]), "adding twice")
    expect_eq(err.status_code, 409, "status_code")


def team_create(ctx):
    me, api = ctx.user("Team")
    team = api.teams.create("Py Team")
    expect(team.id, "team.id")
    expect_eq(team.name, "Py Team", "team.name")
    expect_eq(team.creatorId, me["id"], "team.creatorId")
    general = list(api.rooms.list(teamId=team.id))
    expect_eq([(r.title, r.teamId) for r in general], [("Py Team", team.id)], "the team's General room")


def team_get_list(ctx):
    _, api = ctx.user("Team")
    team = api.teams.create("Py Get Team")
    expect_eq(api.teams.get(team.id), team, "teams.get == create")
    other = api.teams.create("Py Other Team")
    expect_eq(sorted(t.id for t in api.teams.list()), sorted([team.id, other.id]), "teams.list ids")


def team_update(ctx):
    _, api = ctx.user("Team")
    team = api.teams.create("Py Rename Team")
    updated = api.teams.update(team.id, name="Py Renamed Team")
    expect_eq(updated.name, "Py Renamed Team", "updated name")
    expect_eq(api.teams.get(team.id).name, "Py Renamed Team", "teams.get after update")


def team_delete(ctx):
    _, api = ctx.user("Team")
    team = api.teams.create("Py Delete Team")
    api.teams.delete(team.id)
    err = expect_raises(ApiError, lambda: api.teams.get(team.id), "teams.get after delete")
    expect_eq(err.status_code, 404, "status_code")
    expect_eq(list(api.teams.list()), [], "teams after delete")


def team_membership_crud(ctx):
    me, api = ctx.user("TeamMem")
    guest = ctx.person("Guest")
    team = api.teams.create("Py Team Memberships")
    m = api.team_memberships.create(team.id, personEmail=guest["email"])
    expect_eq((m.teamId, m.personId, m.personEmail), (team.id, guest["id"], guest["email"]), "created")
    expect_eq(m.isModerator, False, "isModerator")
    expect_eq(api.team_memberships.get(m.id), m, "team_memberships.get == create")
    listed = list(api.team_memberships.list(team.id))
    expect_eq(sorted(x.personId for x in listed), sorted([me["id"], guest["id"]]), "team members")
    updated = api.team_memberships.update(m.id, isModerator=True)
    expect_eq(updated.isModerator, True, "updated isModerator")
    api.team_memberships.delete(m.id)
    expect_eq([x.personId for x in api.team_memberships.list(team.id)], [me["id"]], "team members after delete")


CHECKS = [
    ("memberships", "memberships.create: by email and by person id", membership_create),
    ("memberships", "memberships.get", membership_get),
    ("memberships", "memberships.list: by room, by room and email", membership_list),
    ("memberships", "memberships.update: make moderator", membership_update),
    ("memberships", "memberships.delete", membership_delete),
    ("memberships", "memberships.create: twice is a 409", membership_duplicate),
    ("teams", "teams.create: with its General room", team_create),
    ("teams", "teams.get, teams.list", team_get_list),
    ("teams", "teams.update: name", team_update),
    ("teams", "teams.delete: then get is a 404", team_delete),
    ("team memberships", "team_memberships: create, get, list, update, delete", team_membership_crud),
]
