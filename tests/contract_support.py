"""A demo school's day, as the contract tests drive it: who logs in, what a TA pushes, and the
real ids that fill every GET path in the OpenAPI document (iterated, never listed by hand, so
endpoints added later are read too)."""

import re
import threading
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

from werkzeug.serving import make_server

from server.demo.school import PASSWORD, demo_accounts

API = "/api/v1"
# One login per role the demo school has, the SENCO first: the SENCO's ids fill the paths.
ROLES = ("senco", "admin", "teacher", "ta", "viewer")
# A moment in the API: ISO date and time, then "+00:00" (UTC, one style everywhere).
MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(?P<offset>.*)")
# Flask's own JSON encoder writes datetimes as HTTP dates; one of those escaping is a bug too.
HTTP_DATE = re.compile(r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT")
PARAM = re.compile(r"\{(\w+)\}")


def first_login(role: str) -> str:
    return next(email for r, email, _ in demo_accounts() if r == role)


def password() -> str:
    return PASSWORD


def times_without_offset(value, where: str = "") -> list[str]:
    """Every string in a JSON value that reads as a date and time but has no UTC offset."""
    if isinstance(value, dict):
        return [bad for k, v in value.items() for bad in times_without_offset(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [
            bad for i, v in enumerate(value) for bad in times_without_offset(v, f"{where}[{i}]")
        ]
    if isinstance(value, str):
        moment = MOMENT.fullmatch(value)
        if (moment and moment["offset"] != "+00:00") or HTTP_DATE.fullmatch(value):
            return [f"{where} = {value!r}"]
    return []


def get_operations(spec: dict) -> list[str]:
    return sorted(path for path, item in spec["paths"].items() if "get" in item)


def _items(body):
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        lists = [v for v in body.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        return lists[0] if lists else [body]
    return []


def _candidates(get, prefix: str, name: str, known: dict) -> list:
    """Real values for the path parameter `name`: from `known` (things the day made), else from
    what the path up to the parameter lists, or the object just above it, by its name or id."""
    if name in known:
        return [known[name]]
    parent = prefix.rstrip("/").rsplit("/", 1)[0]
    for source in (prefix, parent):
        response = get(source)
        if response.status_code != 200 or not response.is_json:
            continue
        found = [
            item.get(name, item.get("id"))
            for item in _items(response.get_json())[:25]
            if isinstance(item, dict) and item.get(name, item.get("id")) is not None
        ]
        if found:
            return found
    return []


def fill_paths(get, spec: dict, known: dict) -> tuple[dict, list[str]]:
    """Each GET path of the document with real ids in it (the first that reads, for the last
    parameter), and the paths no id was found for."""
    filled, unfilled = {}, []
    for path in get_operations(spec):
        concrete, names = path, PARAM.findall(path)
        for i, name in enumerate(names):
            slot = "{" + name + "}"
            values = _candidates(get, concrete[: concrete.index(slot)], name, known)
            if not values:
                unfilled.append(path)
                break
            if i == len(names) - 1:
                tries = (concrete.replace(slot, str(v), 1) for v in values)
                concrete = next((t for t in tries if get(t).status_code == 200), None) or (
                    concrete.replace(slot, str(values[0]), 1)
                )
            else:
                concrete = concrete.replace(slot, str(values[0]), 1)
        else:
            filled[path] = concrete
    return filled, unfilled


def tiny_png() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (8, 8), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def pull_all(get) -> list[dict]:
    """Every page of a first pull."""
    pages, cursor = [], None
    while True:
        response = get(f"{API}/sync/pull" + (f"?since={cursor}" if cursor else ""))
        assert response.status_code == 200, response.get_json()
        page = response.get_json()
        pages.append(page)
        if not page["more"]:
            return pages
        cursor = page["cursor"]


def ta_ops(changes: list[dict], ta_id: int, day: str) -> list[dict]:
    """A session record for the TA's first group on `day` and one of its pupils' voice."""
    group = next(
        c["data"] for c in changes if c["type"] == "group" and ta_id in c["data"]["staff_ids"]
    )
    pupils = sorted(
        c["data"]["pupil_id"]
        for c in changes
        if c["type"] == "enrolment"
        and c["data"]["group_id"] == group["id"]
        and not c["data"]["left_on"]
    )
    now = datetime.now(UTC).isoformat()
    attendance = [
        {"pupil_id": p, "status": "present", "engagement": 4, "step": "Step 3", "note": None}
        for p in pupils
    ]
    session = {
        "group_id": group["id"],
        "date": day,
        "minutes_delivered": group["minutes_per_session"],
        "delivered_as_planned": True,
        "attendance": attendance,
    }
    voice = {"pupil_id": pupils[0], "date": day, "mode": "independent", "context": "termly_review"}
    entries = [
        ("session_record", "session-record", session, {}),
        ("pupil_voice", "pv-ks2", voice, {"feel_school": 4, "safe": "safe"}),
    ]
    return [
        {
            "op_id": str(uuid.uuid4()),
            "device_seq": seq,
            "type": "entry",
            "entry": {
                "entry_id": str(uuid.uuid4()),
                "base_rev": None,
                "deleted": False,
                "kind": kind,
                "template_id": template,
                "template_version": 1,
                "recorded_at": now,
                "core": core,
                "answers": answers,
            },
        }
        for seq, (kind, template, core, answers) in enumerate(entries, start=1)
    ]


@contextmanager
def serving(app):
    """The app on a real socket (threaded), for clients that speak HTTP: its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
