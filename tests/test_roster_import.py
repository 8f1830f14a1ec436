"""Roster in from the MIS (DESIGN §7): CTF and CSV through the API and the CLI, on a real database.

The home school in tests/support.py is 8202001. Its fixture pupils carry LA 830 UPNs (stdnum
rejects LA 820), so these tests mint their own pupils with LA 822 UPNs.
"""

import io
from datetime import date

from sqlalchemy import func, select

from schemas.sen import today_in_london
from server.extensions import db
from server.models import AuditEvent, Pupil, RosterImport, SchoolClass
from tests.support import make_upn

URL = "/api/v1/roster-imports/"
UPNS = [make_upn("822", "2001", n) for n in range(1, 6)]
PUPIL_TABLES = ("pupils", "sen_provisions", "pupil_needs")


def kid(n: int, **overrides) -> dict:
    base = {
        "upn": UPNS[n],
        "forename": f"Kid{n}",
        "surname": "Roster",
        "dob": f"2016-05-0{n + 1}",
        "gender": "MF"[n % 2],
        "year": "4",
        "sen": [],
        "needs": [],
    }
    return {**base, **overrides}


def _sen_xml(p: dict) -> str:
    if not p["sen"] and not p["needs"]:
        return ""
    sen = "".join(
        f"<SEN><StartDate>{start}</StartDate><SENprovision>{code}</SENprovision></SEN>"
        for code, start in p["sen"]
    )
    needs = "".join(
        f"<SENneed><SENtype>{t}</SENtype><SENtypeRank>{r}</SENtypeRank></SENneed>"
        for t, r in p["needs"]
    )
    return f"<SENhistory>{sen}<SENneeds>{needs}</SENneeds></SENhistory>"


def ctf(*pupils: dict, lea="820", estab="2001") -> bytes:
    """A CTF in the DfE namespace, as MIS exports write it."""
    body = "".join(
        f"<Pupil><UPN>{p['upn']}</UPN><Surname>{p['surname']}</Surname>"
        f"<Forename>{p['forename']}</Forename><DOB>{p['dob']}</DOB>"
        f"<Gender>{p['gender']}</Gender><BasicDetails><NCyearActual>{p['year']}</NCyearActual>"
        f"</BasicDetails>{_sen_xml(p)}</Pupil>"
        for p in pupils
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><CTfile xmlns="http://www.dfes.gov.uk/CTF">'
        "<Header><DocumentName>Common Transfer File</DocumentName><SourceSchool>"
        f"<LEA>{lea}</LEA><Estab>{estab}</Estab></SourceSchool></Header>"
        f"<CTFpupilData>{body}</CTFpupilData>"
        "</CTfile>"
    ).encode()


def upload(client, data: bytes, name="roster.xml", **form):
    form = {key: str(value).lower() for key, value in form.items()}
    return client.post(
        URL, data={"file": (io.BytesIO(data), name), **form}, content_type="multipart/form-data"
    )


def imported(client, data: bytes, name="roster.xml", **form) -> dict:
    response = upload(client, data, name, **form)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def pupil(app, upn: str) -> dict:
    with app.app_context():
        p = db.session.scalar(select(Pupil).where(Pupil.upn == upn))
        return (
            None
            if p is None
            else {
                "id": p.id,
                "surname": p.surname,
                "year_group": p.year_group,
                "on_roll": p.on_roll,
                "left_on": p.left_on,
                "class_id": p.class_id,
                "seq": p.server_seq,
                "eal": p.eal,
                "pupil_premium": p.pupil_premium,
                "looked_after": p.looked_after,
                "dob": p.dob,
                "history": [(s.code, s.start_date, s.end_date) for s in p.provisions],
                "needs": [(n.need_type, n.rank) for n in p.needs],
            }
        )


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def pupil_audit_rows(app) -> int:
    return count(app, AuditEvent, AuditEvent.resource.in_(PUPIL_TABLES))


def reasons(report: dict) -> dict[str, str]:
    return {r["upn"]: " ".join(r["errors"]) for r in report["rejected"]}


def test_ctf_creates_updates_and_a_reimport_changes_nothing(app, api):
    senco = api("senco")
    first = ctf(kid(0, sen=[("K", "2025-09-03")], needs=[("SPLD", 1)]), kid(1), kid(2))
    report = imported(senco, first)
    assert report["status"] == "applied"
    assert report["counts"] | {"left": 0} == {
        "rows": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "left": 0,
        "rejoined": 0,
        "rejected": 0,
        "classes_created": 0,
    }
    created = pupil(app, UPNS[0])
    assert created["history"] == [("K", date(2025, 9, 3), None)]
    assert created["needs"] == [("SPLD", 1)] and created["dob"] == date(2016, 5, 1)

    second = ctf(
        kid(0, sen=[("K", "2025-09-03")], needs=[("SPLD", 1)]), kid(1, surname="Changed"), kid(2)
    )
    report = imported(senco, second)
    assert (report["counts"]["updated"], report["counts"]["unchanged"]) == (1, 2)
    assert pupil(app, UPNS[1])["surname"] == "Changed"

    audit_before, seqs = pupil_audit_rows(app), [pupil(app, u)["seq"] for u in UPNS[:3]]
    again = imported(senco, second)
    assert again["counts"]["unchanged"] == 3
    assert again["counts"]["created"] == again["counts"]["updated"] == 0
    assert pupil_audit_rows(app) == audit_before
    assert [pupil(app, u)["seq"] for u in UPNS[:3]] == seqs
    assert count(app, RosterImport) == 3


def test_provision_change_closes_the_old_record_and_opens_a_new_one(app, api):
    senco = api("senco")
    imported(senco, ctf(kid(0, sen=[("K", "2025-09-03")], needs=[("SPLD", 1)])), partial=True)
    report = imported(
        senco,
        ctf(kid(0, sen=[("E", "2026-01-12")], needs=[("SLCN", 1), ("SPLD", 2)])),
        partial=True,
    )
    assert report["counts"]["updated"] == 1
    record = pupil(app, UPNS[0])
    assert record["history"] == [
        ("K", date(2025, 9, 3), date(2026, 1, 12)),
        ("E", date(2026, 1, 12), None),
    ]
    assert record["needs"] == [("SLCN", 1), ("SPLD", 2)]

    imported(senco, ctf(kid(0)), partial=True)  # no SENhistory: no longer on the SEN register
    record = pupil(app, UPNS[0])
    assert record["history"][-1] == ("E", date(2026, 1, 12), today_in_london())
    assert record["needs"] == []


def test_legacy_statement_code_is_mapped_to_an_ehc_plan(app, api):
    imported(api("senco"), ctf(kid(0, sen=[("S", "2014-09-01")], needs=[("ASD", 1)])))
    assert pupil(app, UPNS[0])["history"] == [("E", date(2014, 9, 1), None)]


def test_leavers_are_flagged_not_deleted_and_can_rejoin(app, api, world):
    senco = api("senco")
    report = imported(senco, ctf(kid(0), kid(1)))
    assert report["counts"]["left"] == 5  # the fixture's five pupils are not on this roster
    assert count(app, Pupil, Pupil.school_id == world["home"]["school"]) == 7

    report = imported(senco, ctf(kid(0)))
    assert report["counts"]["left"] == 1
    leaver = pupil(app, UPNS[1])
    assert (leaver["on_roll"], leaver["left_on"]) == (False, today_in_london())

    report = imported(senco, ctf(kid(0), kid(1)))
    assert report["counts"]["rejoined"] == 1
    back = pupil(app, UPNS[1])
    assert (back["on_roll"], back["left_on"]) == (True, None)


def test_partial_files_and_rejected_rows_flag_no_leavers(app, api):
    senco = api("senco")
    imported(senco, ctf(kid(0), kid(1)))
    report = imported(senco, ctf(kid(2)), partial=True)
    assert report["counts"]["left"] == 0 and pupil(app, UPNS[0])["on_roll"]

    report = imported(senco, ctf(kid(0), kid(1, dob="2016-13-40"), kid(2)))
    assert "date of birth '2016-13-40' is not a date" in reasons(report)[UPNS[1]]
    assert report["counts"]["left"] == 0 and pupil(app, UPNS[1])["on_roll"]


def test_truncated_ctf_is_refused_whole_and_writes_nothing(app, api):
    before = count(app, Pupil), pupil_audit_rows(app)
    response = upload(api("senco"), ctf(kid(0), kid(1))[:-60])
    assert response.status_code == 422
    assert "not well-formed" in response.get_json()["errors"]["file"][0]
    assert (count(app, Pupil), pupil_audit_rows(app)) == before
    assert count(app, RosterImport) == 0


def test_ctf_from_another_school_is_refused(app, api):
    response = upload(api("senco"), ctf(kid(0), lea="821", estab="2002"))
    assert response.status_code == 422
    assert "8212002" in response.get_json()["errors"]["file"][0]
    assert pupil(app, UPNS[0]) is None


def test_entity_declarations_are_refused(app, api):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><CTfile><CTFpupilData>'
        b"<Pupil><UPN>&a;</UPN></Pupil></CTFpupilData></CTfile>"
    )
    response = upload(api("senco"), bomb)
    assert response.status_code == 422 and "DTD" in response.get_json()["message"]


CSV = (
    "\ufeffUPN,Forename,Surname,DOB,Gender,Year Group,Class,SEN_Provision,SEN_Start_Date,"
    "Need_1,Need_2,Pupil_Premium,EAL,Looked_After\r\n"
    f"{UPNS[0]},Zoë,Ábel,03/04/2016,F,Y4,Oak,K,01/09/2025,SLCN,ASD,Y,true,0\r\n"
    "\r\n"
    f"{UPNS[1]},Sam,Lee,2016-11-30,M,4,Willow,N,,,,N,false,no\r\n"
)


def test_csv_with_bom_crlf_and_both_date_styles(app, api, world):
    report = imported(api("senco"), CSV.encode("utf-8"), "export.csv", partial=True)
    assert report["counts"]["created"] == 2 and report["counts"]["classes_created"] == 1
    zoe, sam = pupil(app, UPNS[0]), pupil(app, UPNS[1])
    assert zoe["surname"] == "Ábel" and zoe["dob"] == date(2016, 4, 3)
    assert zoe["class_id"] == world["home"]["classes"]["mine"]  # "Oak" already existed
    assert zoe["history"] == [("K", date(2025, 9, 1), None)]
    assert zoe["needs"] == [("SLCN", 1), ("ASD", 2)]
    assert (zoe["pupil_premium"], zoe["eal"], zoe["looked_after"]) == (True, True, False)
    assert sam["history"] == [] and sam["year_group"] == "4"
    with app.app_context():
        willow = db.session.scalar(select(SchoolClass).where(SchoolClass.name == "Willow"))
        assert (willow.id, willow.school_id) == (sam["class_id"], world["home"]["school"])
    again = imported(api("senco"), CSV.encode(), "export.csv", partial=True)
    assert again["counts"]["unchanged"] == 2


def test_csv_missing_required_columns_is_a_file_error(app, api):
    response = upload(api("senco"), b"upn,forename,Surname\r\nP207000016049,A,B\r\n", "r.csv")
    assert response.status_code == 422
    message = response.get_json()["errors"]["file"][0]
    assert "dob, gender, year_group" in message


def test_history_is_not_rewritten_backwards(app, api):
    senco = api("senco")
    imported(senco, ctf(kid(0, sen=[("K", "2025-09-03")], needs=[("SPLD", 1)])), partial=True)
    report = imported(
        senco, ctf(kid(0, sen=[("E", "2024-01-01")], needs=[("SPLD", 1)])), partial=True
    )
    assert "before the open K provision began (2025-09-03)" in reasons(report)[UPNS[0]]
    assert pupil(app, UPNS[0])["history"] == [("K", date(2025, 9, 3), None)]


def test_csv_flags_must_be_yes_or_no_and_an_empty_roster_is_refused(app, api):
    header = "upn,forename,surname,dob,gender,year_group,eal\r\n"
    report = imported(
        api("senco"),
        f"{header}{UPNS[0]},A,B,2016-01-01,F,4,maybe\r\n".encode(),
        "r.csv",
        partial=True,
    )
    assert "eal is 'maybe'; use Y or N." in reasons(report)[UPNS[0]]
    response = upload(api("senco"), header.encode(), "r.csv")
    assert response.status_code == 422 and "lists no pupils" in response.get_json()["message"]
    assert count(app, Pupil, Pupil.on_roll.is_(False)) == 0


def test_files_that_are_neither_ctf_nor_csv_are_refused(api):
    response = upload(api("senco"), b"%PDF-1.4", "roster.pdf")
    assert response.status_code == 422 and "file" in response.get_json()["errors"]


def test_row_rules_are_reported_with_row_and_reason(app, api):
    rows = ctf(
        kid(0, upn="P207000016049"),
        kid(1, upn="Q207000016049"),
        kid(2, sen=[("K", "2025-09-01")], needs=[("DYS", 1)]),
        kid(3, sen=[("K", "2025-09-01"), ("E", "2025-10-01")], needs=[("ASD", 1)]),
        kid(4, sen=[("K", "2025-09-01")]),
    )
    report = imported(api("senco"), rows, partial=True)
    why = reasons(report)
    assert report["status"] == "partial" and report["counts"]["created"] == 1
    assert "check letter does not match" in why["Q207000016049"]
    assert "Unknown need type code(s): DYS" in why[UPNS[2]]
    assert "Only one SEN provision may be open" in why[UPNS[3]]
    assert "needs a primary need" in why[UPNS[4]]
    assert [r["row"] for r in report["rejected"]] == [2, 3, 4, 5]
    assert pupil(app, "P207000016049") is not None and pupil(app, UPNS[4]) is None


def test_gender_and_year_group_must_be_known(api):
    report = imported(api("senco"), ctf(kid(0, gender="Q"), kid(1, year="Year 15")), partial=True)
    why = reasons(report)
    assert "gender 'Q' is not known" in why[UPNS[0]]
    assert "year group 'Year 15' is not known" in why[UPNS[1]]


def test_a_upn_twice_in_one_file_rejects_every_copy(app, api):
    report = imported(api("senco"), ctf(kid(0), kid(1), kid(0, surname="Other")), partial=True)
    assert sorted(r["row"] for r in report["rejected"]) == [1, 3]
    assert "appears on 2 rows (1, 3)" in reasons(report)[UPNS[0]]
    assert pupil(app, UPNS[0]) is None and pupil(app, UPNS[1]) is not None


def test_strict_mode_applies_nothing_when_a_row_fails(app, api):
    report = imported(api("senco"), ctf(kid(0), kid(1, upn="Q207000016049")), strict=True)
    assert report["status"] == "rejected" and report["counts"]["created"] == 0
    assert pupil(app, UPNS[0]) is None
    assert count(app, Pupil, Pupil.on_roll.is_(False)) == 0  # no leavers either
    assert count(app, RosterImport, RosterImport.status == "rejected") == 1


def test_only_senco_and_admin_may_import_and_only_into_their_school(app, api, world):
    for role in ("teacher", "ta", "viewer"):
        assert upload(api(role), ctf(kid(0))).status_code == 403
        assert api(role).get(URL).status_code == 403
    assert pupil(app, UPNS[0]) is None
    other_report = imported(api("admin", school="other"), ctf(kid(0), lea="821", estab="2002"))
    assert other_report["counts"]["left"] == 5
    home = world["home"]["school"]
    assert count(app, Pupil, Pupil.school_id == home, Pupil.on_roll.is_(True)) == 5
    assert api("senco").get(URL).get_json() == []
    listed = api("admin", school="other").get(URL).get_json()
    assert [entry["id"] for entry in listed] == [other_report["id"]]


def test_import_log_lists_newest_first_with_the_file_hash(api):
    import hashlib

    senco = api("senco")
    data = ctf(kid(0))
    ids = [imported(senco, data, partial=True)["id"] for _ in range(2)]
    listed = senco.get(URL).get_json()
    assert [entry["id"] for entry in listed] == ids[::-1]
    assert listed[0]["sha256"] == hashlib.sha256(data).hexdigest()
    assert listed[0]["file_format"] == "ctf"


def test_cli_import_summarises_and_attributes_the_writes(app, runner, world, tmp_path):
    good, bad = tmp_path / "roster.xml", tmp_path / "cut.xml"
    good.write_bytes(ctf(kid(0), kid(1, upn="Q207000016049")))
    bad.write_bytes(ctf(kid(0))[:50])
    result = runner.invoke(args=["mis", "import", str(good), "--school", "8202001", "--partial"])
    assert result.exit_code == 0, result.output
    assert "created 1" in result.output and "row 2 (Q207000016049)" in result.output
    assert pupil(app, UPNS[0])["on_roll"]
    by_cli = (AuditEvent.resource == "pupils", AuditEvent.device_id == "cli")
    assert count(app, AuditEvent, *by_cli) == 1

    failed = runner.invoke(args=["mis", "import", str(bad), "--school", "8202001"])
    assert failed.exit_code != 0 and "not well-formed" in failed.output
    strict = runner.invoke(args=["mis", "import", str(good), "--school", "8202001", "--strict"])
    assert strict.exit_code == 1 and "Nothing was applied" in strict.output
    unknown = runner.invoke(args=["mis", "import", str(good), "--school", "9999999"])
    assert unknown.exit_code != 0 and "No school has DfE number 9999999" in unknown.output


def test_the_upload_is_in_the_openapi_spec(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    body = spec["paths"]["/api/v1/roster-imports/"]["post"]["requestBody"]["content"]
    assert body["multipart/form-data"]["schema"]["$ref"].endswith("/RosterUpload")
    form = spec["components"]["schemas"]["RosterUpload"]
    assert form["properties"]["file"]["format"] == "binary" and form["required"] == ["file"]
    assert {"strict", "partial"} <= set(form["properties"])
