"""GET /api/v1/entries: each reader gets exactly what a pull sends them (scope and cut), filtered
and paged newest school day first, with who wrote it and whether they may correct it."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, Staff
from tests.entry_builders import conversation_op, walk_op
from tests.sync_support import add_test_templates, session_op, voice_op
from tests.test_read_cut import NOTE, WORRY, flagged_session, worried_voice
from tests.test_sync_pull import of_type, pull_all
from tests.test_sync_push import push

READERS = ("ta", "teacher", "senco", "dsl", "viewer", "admin")


@pytest.fixture
def home(app, world):
    with app.app_context():
        add_test_templates(world["home"]["school"])
    return world["home"]


@pytest.fixture
def stored(app, api, home):
    """Every kind, by several authors, some about pupils outside a reader's scope: a worried
    voice, a flagged group record with an Ash pupil, corrections, a withdrawal, conversations
    and a walk. Returns entry ids by name."""
    oak, ash = home["pupils"][0], home["pupils"][3]
    ta, teacher, senco = api("ta"), api("teacher"), api("senco")
    ids = {}
    ids["worried"] = push(ta, [worried_voice(1, oak)])[0]["entry_id"]
    ids["flagged"] = push(ta, [flagged_session(2, home["group"], [oak, ash], ash)])[0]["entry_id"]
    ids["plain"] = push(ta, [session_op(3, home["group"], [oak, ash], date(2026, 11, 9))])[0][
        "entry_id"
    ]
    ids["ash_voice"] = push(ta, [voice_op(4, ash)])[0]["entry_id"]
    ids["talk"] = push(teacher, [conversation_op(1, oak)])[0]["entry_id"]
    ids["senco_talk"] = push(senco, [conversation_op(1, ash, day="2026-11-20")])[0]["entry_id"]
    ids["walk"] = push(senco, [walk_op(2, home["classes"])])[0]["entry_id"]
    # The SENCO corrects the TA's record (the TA stays its author) and the TA withdraws one.
    fixed = session_op(5, home["group"], [oak, ash], date(2026, 11, 9))
    fixed["entry"].update(entry_id=ids["plain"], base_rev=1)
    fixed["entry"]["core"]["minutes_delivered"] = 25
    assert push(senco, [fixed])[0]["status"] == "accepted"
    ids["gone"] = push(ta, [voice_op(6, oak)])[0]["entry_id"]
    gone = voice_op(7, oak, entry_id=ids["gone"], base_rev=1, deleted=True)
    assert push(ta, [gone])[0]["status"] == "accepted"
    return ids


def reader(app, api, role):
    """The API client of a role; "dsl" is the class teacher made a designated safeguarding lead."""
    if role != "dsl":
        return api(role)
    with app.app_context():
        db.session.scalar(
            select(Staff).where(Staff.email == "teacher@home.example.org")
        ).is_dsl = True
        db.session.commit()
    return api("teacher")


def list_all(client, query="", limit=50) -> list[dict]:
    items, cursor = [], None
    while True:
        url = f"/api/v1/entries/?limit={limit}{query}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(url)
        assert response.status_code == 200, response.get_json()
        page = response.get_json()
        assert len(page["items"]) <= limit
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


CUT_KEYS = ("rev", "kind", "pupil_ids", "core", "answers", "withheld", "safeguarding", "group_id")


@pytest.mark.parametrize("role", READERS)
def test_each_reader_lists_exactly_what_they_pull_cut_the_same_way(app, api, home, stored, role):
    client = reader(app, api, role)
    pulled = {c["id"]: c for c in of_type(pull_all(client)[0], "entry")}
    listed = {i["entry_id"]: i for i in list_all(client, "&include_deleted=true", limit=3)}
    assert listed.keys() == pulled.keys()
    for entry_id, item in listed.items():
        change = pulled[entry_id]
        assert item["deleted"] is change["deleted"]
        if change["deleted"]:
            assert "core" not in item and "pupil_ids" not in item and not item["can_amend"]
            continue
        for key in CUT_KEYS:
            assert item.get(key) == change["data"].get(key), (role, entry_id, key)
    live = {i["entry_id"] for i in list_all(client)}
    assert live == {k for k, c in pulled.items() if not c["deleted"]}


def test_what_each_role_reads(app, api, home, stored):
    ta = {i["entry_id"]: i for i in list_all(api("ta"))}
    # A TA reads sessions and voice only, and of the group record only their pupils' rows.
    assert set(ta) == {stored[k] for k in ("worried", "flagged", "plain", "ash_voice")}
    assert ta[stored["worried"]]["withheld"]["fields"] == [
        "answers.safe",
        "answers.worry",
        "answers.worry_detail",
    ]
    assert WORRY not in str(ta) and NOTE not in str(ta)
    teacher = {i["entry_id"]: i for i in list_all(api("teacher"))}
    assert stored["ash_voice"] not in teacher and stored["senco_talk"] not in teacher
    assert teacher[stored["flagged"]]["pupil_ids"] == [home["pupils"][0]]
    assert "concern_note" not in teacher[stored["flagged"]]["core"]
    senco = {i["entry_id"]: i for i in list_all(api("senco"))}
    assert senco[stored["worried"]]["answers"]["worry_detail"] == WORRY
    assert senco[stored["flagged"]]["core"]["concern_note"] == NOTE
    assert stored["walk"] in senco and stored["gone"] not in senco
    assert list_all(api("viewer")) == []


def test_each_item_names_its_author_its_last_editor_and_who_may_correct_it(api, home, stored):
    ta, senco = home["staff"]["ta"], home["staff"]["senco"]
    item = api("ta").get(f"/api/v1/entries/{stored['plain']}").get_json()
    assert item["rev"] == 2 and item["core"]["minutes_delivered"] == 25
    assert item["author"] == {"id": ta["id"], "name": "Home Ta"}
    assert item["last_edited"]["by"] == {"id": senco["id"], "name": "Home Senco"}
    assert item["last_edited"]["at"] and item["recorded_at"] and item["date"] == "2026-11-09"
    assert item["can_amend"] is True  # the TA is still its author
    assert api("senco").get(f"/api/v1/entries/{stored['plain']}").get_json()["can_amend"]
    # The teacher reads the group record (their pupil is in it) but did not write it.
    assert not api("teacher").get(f"/api/v1/entries/{stored['plain']}").get_json()["can_amend"]
    talk = api("teacher").get(f"/api/v1/entries/{stored['talk']}").get_json()
    assert talk["can_amend"] is True and talk["last_edited"] is None
    assert set(talk) >= {"template_id", "template_version", "recorded_at", "kind", "answers"}
    tombstone = api("ta").get(f"/api/v1/entries/{stored['gone']}").get_json()
    assert tombstone["deleted"] is True and tombstone["can_amend"] is False
    assert tombstone["last_edited"]["by"]["id"] == ta["id"]


def test_one_entry_is_a_404_whenever_it_is_not_yours_to_read(api, world, stored):
    for role, name in (
        ("ta", "talk"),  # a TA reads no conversations
        ("ta", "walk"),
        ("teacher", "ash_voice"),  # not the teacher's pupil
        ("viewer", "plain"),
        ("admin", "plain"),
    ):
        response = api(role).get(f"/api/v1/entries/{stored[name]}")
        assert response.status_code == 404, (role, name)
        assert response.get_json()["message"] == f"No entry with id {stored[name]}."
    other = api("senco", school="other").get(f"/api/v1/entries/{stored['plain']}")
    assert other.status_code == 404
    assert api("senco").get("/api/v1/entries/not-a-uuid").status_code == 404
    missing = api("senco").get("/api/v1/entries/7b0f3f7e-3c61-4b45-9d4b-0a6e6f1f0c11")
    assert missing.status_code == 404


def test_filters(api, home, stored):
    senco = api("senco")

    def ids(query):
        return {i["entry_id"] for i in list_all(senco, query)}

    oak, ash = home["pupils"][0], home["pupils"][3]
    assert ids(f"&pupil_id={ash}") == {
        stored[k] for k in ("flagged", "plain", "ash_voice", "senco_talk")
    }
    assert ids(f"&group_id={home['group']}") == {stored["flagged"], stored["plain"]}
    assert ids("&kind=conversation") == {stored["talk"], stored["senco_talk"]}
    assert ids(f"&author_id={home['staff']['teacher']['id']}") == {stored["talk"]}
    # The TA stays the author of the record the SENCO corrected.
    assert stored["plain"] in ids(f"&author_id={home['staff']['ta']['id']}")
    assert ids("&date_from=2026-11-09&date_to=2026-11-20") == {
        stored["plain"],
        stored["senco_talk"],
    }
    assert ids("&include_deleted=true") - ids("") == {stored["gone"]}
    # A teacher cannot find a group record through the Ash pupil the cut took out of it.
    teacher = {i["entry_id"] for i in list_all(api("teacher"), f"&pupil_id={ash}")}
    assert teacher == set()
    assert {i["entry_id"] for i in list_all(api("teacher"), f"&pupil_id={oak}")} >= {
        stored["flagged"]
    }


def test_newest_day_first_and_paging_across_ties_never_skips_or_repeats(app, api, home):
    client = api("ta")
    days = [date(2026, 11, 2) + timedelta(days=n % 3) for n in range(13)]
    ops = [session_op(n + 1, home["group"], [home["pupils"][0]], day) for n, day in enumerate(days)]
    pushed = [r["entry_id"] for r in push(client, ops)]
    for limit in (1, 2, 5, 13, 200):
        items = list_all(client, limit=limit)
        assert sorted(i["entry_id"] for i in items) == sorted(pushed)
        keys = [(i["date"], i["entry_id"]) for i in items]
        assert keys == sorted(keys, reverse=True)
    first = client.get("/api/v1/entries/?limit=4").get_json()
    # A correction while paging keeps the entry's place: it is neither repeated nor skipped.
    later = next(i for i in list_all(client) if i not in first["items"])
    op = session_op(50, home["group"], [home["pupils"][0]], date.fromisoformat(later["date"]))
    op["entry"].update(entry_id=later["entry_id"], base_rev=1)
    assert push(client, [op])[0]["status"] == "accepted"
    rest = list_all_from(client, first["next_cursor"])
    seen = [i["entry_id"] for i in first["items"]] + [i["entry_id"] for i in rest]
    assert sorted(seen) == sorted(pushed)


def list_all_from(client, cursor):
    items = []
    while cursor:
        page = client.get(f"/api/v1/entries/?limit=4&cursor={cursor}").get_json()
        items += page["items"]
        cursor = page["next_cursor"]
    return items


def test_a_page_is_filled_past_entries_the_reader_may_read_none_of(app, api, home):
    """The TA wrote voice entries about a pupil who has since left their group: the SQL scope
    still finds them (as author), the cut leaves nothing; the page goes on past them."""
    from server.models import Enrolment

    ash = home["pupils"][3]
    client = api("ta")
    push(client, [voice_op(n, ash) for n in range(1, 6)])
    kept = push(client, [session_op(9, home["group"], [home["pupils"][0]], date(2026, 10, 1))])
    with app.app_context():
        db.session.scalar(select(Enrolment).where(Enrolment.pupil_id == ash)).left_on = date(
            2026, 11, 20
        )
        db.session.commit()
    page = client.get("/api/v1/entries/?limit=1").get_json()
    assert [i["entry_id"] for i in page["items"]] == [kept[0]["entry_id"]]
    assert page["next_cursor"] is None


@pytest.mark.parametrize(
    "query,field",
    [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=ten", "limit"),
        ("kind=diary", "kind"),
        ("pupil_id=abc", "pupil_id"),
        ("pupil_id=0", "pupil_id"),
        ("group_id=99999999999999", "group_id"),
        ("author_id=1.5", "author_id"),
        ("date_from=2026-13-01", "date_from"),
        ("date_to=yesterday", "date_to"),
        ("date_from=2026-12-01&date_to=2026-11-01", "date_to"),
        ("include_deleted=perhaps", "include_deleted"),
        ("cursor=bm90LWEtY3Vyc29y", "cursor"),
        ("cursor=%00%ff", "cursor"),
        ("colour=red", "colour"),
    ],
)
def test_bad_filters_are_a_422_naming_the_field(api, home, query, field):
    response = api("teacher").get(f"/api/v1/entries/?{query}")
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert body["code"] == 422 and field in body["errors"], body


def test_reads_of_conversations_and_safeguarding_content_are_audited_as_pull_audits_them(
    app, api, home, stored
):
    def reads():
        with app.app_context():
            return [
                (e.resource_id, e.detail)
                for e in db.session.scalars(
                    select(AuditEvent)
                    .where(AuditEvent.resource == "entries", AuditEvent.action == "read")
                    .order_by(AuditEvent.id)
                )
            ]

    list_all(api("ta"))  # sessions and voice, cut: nothing sensitive was shown
    assert reads() == []
    list_all(api("senco"), "&kind=pupil_voice")
    [(resource_id, detail)] = reads()
    # Any answer to a safeguarding question counts, "safe" as much as "worried".
    assert resource_id is None and detail["view"] == "list" and detail["conversations"] == []
    assert set(detail["safeguarding"]) == {stored["worried"], stored["ash_voice"]}
    api("teacher").get(f"/api/v1/entries/{stored['talk']}")
    assert reads()[-1] == (
        stored["talk"],
        {"view": "one", "conversations": [stored["talk"]], "safeguarding": []},
    )


def test_the_list_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    listed = spec["paths"]["/api/v1/entries/"]["get"]
    assert {p["name"] for p in listed["parameters"]} >= {
        "pupil_id",
        "group_id",
        "kind",
        "author_id",
        "date_from",
        "date_to",
        "include_deleted",
        "limit",
        "cursor",
    }
    assert "/api/v1/entries/{entry_id}" in spec["paths"]
    assert "EntryItem" in spec["components"]["schemas"]


def test_the_pupil_a_concern_names_is_not_read_through_pupil_ids(api, home):
    """Beyond the SENCO and DSLs, an entry's pupil_ids do not say whom a concern is about, and
    an entry only a concern tied to the reader's pupil is not theirs (pull and list alike)."""
    oak, oak2 = home["pupils"][0], home["pupils"][1]
    flag = {"flagged_concern": True, "concern_note": NOTE, "concern_pupil_id": oak}
    walk = push(api("senco"), [walk_op(1, home["classes"], core=flag)])[0]["entry_id"]
    talk_op = conversation_op(2, oak2, core={**flag, "concern_pupil_id": oak})
    talk = push(api("senco"), [talk_op])[0]["entry_id"]
    teacher = api("teacher")
    pulled = {c["id"]: c["data"] for c in of_type(pull_all(teacher)[0], "entry")}
    listed = {i["entry_id"]: i for i in list_all(teacher)}
    assert walk not in pulled and walk not in listed
    assert teacher.get(f"/api/v1/entries/{walk}").status_code == 404
    assert pulled[talk]["pupil_ids"] == listed[talk]["pupil_ids"] == [oak2]
    assert listed[talk]["withheld"]["fields"] == ["core.concern_note", "core.concern_pupil_id"]
    assert {i["entry_id"] for i in list_all(teacher, f"&pupil_id={oak}")} == set()
    senco = {i["entry_id"]: i for i in list_all(api("senco"))}
    assert senco[walk]["pupil_ids"] == [oak] and senco[walk]["core"]["concern_pupil_id"] == oak
    assert sorted(senco[talk]["pupil_ids"]) == sorted([oak2, oak])
