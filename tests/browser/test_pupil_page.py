"""A pupil's page (#/pupil-page/<id>): opened from the provision map, it shows the passport at a
glance, the pupil's groups, the pupil-voice trend as a chart with the pupil's own words (three
faces' "Happy" is "Happy"), conversations with parents and learning-walk stops in the pupil's
class, each record linking to #/record/<id>, offline too. A TA sees only pupils in scope and gets
a clear message for any other; a viewer cannot open it. Passes axe; photographed at two sizes."""

import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.test_screens import VIEWPORTS, check_axe, shoot

pytestmark = pytest.mark.browser


def friendly(day: date) -> str:
    """pwa/js/words.js friendlyDate: "Wed 2 Dec 2026" (Chromium's en-GB says "Sept")."""
    month = "Sept" if day.month == 9 else f"{day:%b}"
    return f"{day:%a} {day.day} {month} {day:%Y}"


def days_ago(n: int) -> date:
    return date.today() - timedelta(days=n)


def op(seq, kind, template, core, answers):
    return {
        "op_id": str(uuid.uuid4()),
        "device_seq": seq,
        "type": "entry",
        "entry": {
            "entry_id": str(uuid.uuid4()),
            "kind": kind,
            "template_id": template,
            "template_version": 1,
            "recorded_at": datetime.now(UTC).isoformat(),
            "core": core,
            "answers": answers,
        },
    }


def voice(seq, pupil, when, template, face):
    core = {
        "pupil_id": pupil,
        "date": when.isoformat(),
        "mode": "independent",
        "context": "termly_review",
    }
    return op(seq, "pupil_voice", template, core, {"feel_school": face})


def seed(page, live):
    """Records about Pupil1 (Oak class, in the TA's Talk Boost group), pushed by the SENCO
    through the app's own API module, then pulled."""
    home = live.world["home"]
    pupil, oak = home["pupils"][0], home["classes"]["mine"]
    ops = [
        voice(1, pupil, days_ago(20), "pv-ks2", 2),  # five faces: Sad
        voice(2, pupil, days_ago(12), "pv-early-years-ks1", 3),  # three faces: Happy
        voice(3, pupil, days_ago(5), "pv-ks2", 5),  # five faces: Very happy
        op(
            4,
            "conversation",
            "conversation-structured",
            {
                "pupil_id": pupil,
                "date": days_ago(8).isoformat(),
                "attendees": [
                    {"name": "Parent Testfamily", "role": "parent"},
                    {"name": "Home Teacher", "role": "key_teacher"},
                ],
                "targets": [{"wording": "Ask for help with a card"}],
                "next_meeting": (date.today() + timedelta(days=40)).isoformat(),
            },
            {"summary": "Talked about playtimes and reading at home."},
        ),
        op(
            5,
            "learning_walk",
            "lw-inclusive-classroom",
            {
                "date": days_ago(3).isoformat(),
                "walkers": [{"name": "Home Senco", "role": "learning_teaching"}],
                "stops": [
                    {
                        "class_id": oak,
                        "context": "whole_class",
                        "judgements": [{"look_for": "visual_timetables", "rag": "green"}],
                    }
                ],
            },
            {},
        ),
        {
            "op_id": str(uuid.uuid4()),
            "device_seq": 6,
            "type": "passport_edit",
            "passport_edit": {
                "pupil_id": pupil,
                "field": "i_enjoy",
                "value": "Lego, drawing and the class guinea pig",
                "base_rev": 0,
            },
        },
    ]
    results = page.evaluate(
        """async (body) => {
            const api = await import('/js/api.js');
            return (await api.post('/api/v1/sync/push', body)).results;
        }""",
        {"device_id": f"seed-{uuid.uuid4()}", "ops": ops},
    )
    assert [r["status"] for r in results] == ["accepted"] * len(ops), results
    page.get_by_role("button", name="Sync now").click()
    page.wait_for_function(
        """async (n) => {
            const db = await import('/js/db.js');
            return (await db.getRecords('entry')).length >= n;
        }""",
        arg=5,
    )
    return pupil


def open_from_provision_map(page, name="Pupil1 Homeson"):
    page.goto("/#/provision")
    expect(page.locator("#map-groups")).to_be_visible()
    page.get_by_role("link", name=name).first.click()
    expect(page.locator("h1")).to_have_text(name)


def test_senco_opens_a_pupil_page_from_the_provision_map(page, context, live_server, axe_path):
    log_in(page, live_server, "senco")
    pupil = seed(page, live_server)
    open_from_provision_map(page)
    assert page.evaluate("location.hash") == f"#/pupil-page/{pupil}"
    main = page.locator("main")
    expect(page.locator("#pupil-facts")).to_contain_text("Year 4, Oak class")
    expect(page.locator("#pupil-facts")).to_contain_text(
        f"SEN support since {friendly(date(2024, 9, 4))}"
    )
    expect(page.locator("#pupil-facts")).to_contain_text(
        "Speech, language and communication needs (main need)"
    )

    # The passport at a glance, with the way to the whole passport.
    expect(page.locator("#passport-glance")).to_contain_text(
        "I enjoy" + "Lego, drawing and the class guinea pig"
    )
    expect(page.get_by_role("link", name="Open Pupil1 Homeson's full passport")).to_have_attribute(
        "href", f"#/passport/{pupil}"
    )

    # Groups, with attendance and entry -> exit from the map.
    groups = page.locator("#pupil-groups")
    expect(groups.get_by_role("heading", name="Talk Boost Y4")).to_be_visible()
    expect(groups).to_contain_text("3 sessions a week of 30 minutes")
    expect(groups).to_contain_text("Attendance")
    expect(groups).to_contain_text("Entry → exit")

    # The voice chart: one face per answer, and the words the pupil chose, oldest first. (Other
    # tests on this server give Pupil1 views today: the seeded ones are the oldest three.)
    words = page.locator("#voice-words > li")
    expect(words.first).to_contain_text(f"{friendly(days_ago(20))}: Sad")
    assert page.locator(".trend-chart .mark-face").count() == min(12, words.count()) >= 3
    texts = words.all_inner_texts()
    assert texts[1].startswith(f"{friendly(days_ago(12))}: Happy\n"), texts  # three faces
    assert texts[2].startswith(f"{friendly(days_ago(5))}: Very happy\n"), texts
    assert "How do you feel about school?" in texts[0]

    # Conversations and learning walks, each opening its record.
    talk = page.get_by_role("link", name=f"Conversation {friendly(days_ago(8))}")
    expect(talk).to_be_visible()
    expect(page.locator("#pupil-conversations")).to_contain_text(
        "With Parent Testfamily, Home Teacher: 1 target agreed"
    )
    expect(page.locator("#pupil-walks")).to_contain_text(
        "Whole class: Visual timetables are in place and used: ● Secure"
    )
    text = main.inner_text()
    assert not any(f"{days_ago(n).isoformat()}" in text for n in (3, 5, 8, 12, 20)), text

    for size, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("document.getElementById('announce').textContent = ''")
        check_axe(page, axe_path, f"pupil-page-{size}")
        shoot(page, "pupil-page", size)
        for link in page.locator("main .record-list a").all():
            box = link.bounding_box()
            assert box["height"] >= 44, (size, link.inner_text(), box)
    page.set_viewport_size({"width": 768, "height": 1024})

    talk.click()
    assert page.evaluate("location.hash").startswith("#/record/")
    page.go_back()
    expect(page.locator("h1")).to_have_text("Pupil1 Homeson")

    # Offline, after a reload, the page comes from what was pulled.
    context.set_offline(True)
    page.reload()
    expect(page.locator("h1")).to_have_text("Pupil1 Homeson")
    expect(page.locator("#voice-words > li").first).to_contain_text(
        f"{friendly(days_ago(20))}: Sad"
    )
    expect(page.locator("#pupil-groups")).to_contain_text("Talk Boost Y4")
    context.set_offline(False)


def test_passport_and_reviews_name_link_to_the_pupil_page(page, live_server):
    log_in(page, live_server, "senco")
    pupil = live_server.world["home"]["pupils"][0]
    page.goto(f"/#/passport/{pupil}")
    expect(page.get_by_label("Pupil", exact=True)).to_have_value(str(pupil))
    page.get_by_role("link", name="Pupil1 Homeson's page").click()
    expect(page.locator("h1")).to_have_text("Pupil1 Homeson")
    page.goto("/#/reviews")
    expect(page.locator(".as-of")).to_be_visible()
    text = page.locator("main").inner_text()
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), text  # no ISO dates, in details either
    assert "(s)" not in text, text
    # Pupil1 (SEN support) has fewer parent conversations than the year asks for: due at the
    # year's end, so among the prompts due later, folded away until opened.
    page.locator("#review-later summary").click()
    page.locator(f"#review-later-list a[href='#/pupil-page/{pupil}']").first.click()
    expect(page.locator("h1")).to_have_text("Pupil1 Homeson")


def test_a_ta_sees_only_pupils_in_scope(page, live_server, axe_path):
    home = live_server.world["home"]
    log_in(page, live_server, "ta")
    mine, not_mine = home["pupils"][0], home["pupils"][1]
    page.goto(f"/#/pupil-page/{mine}")
    expect(page.locator("h1")).to_have_text("Pupil1 Homeson")
    expect(page.locator("#pupil-groups")).to_contain_text("Talk Boost Y4")
    expect(page.locator("main")).to_contain_text("not shown to teaching assistants")

    # Another pupil's id, typed: a clear message, not a blank page and not their data.
    page.goto(f"/#/pupil-page/{not_mine}")
    expect(page.locator("h1")).to_have_text("Not one of your pupils")
    expect(page.locator("#pupil-not-found")).to_contain_text(
        f"Pupil number {not_mine} is not one of your pupils"
    )
    assert "Pupil2" not in page.locator("main").inner_text()
    check_axe(page, axe_path, "pupil-page-not-mine")
    shoot(page, "pupil-page-not-mine", "tablet")
    page.goto("/#/pupil-page/nonsense")
    expect(page.locator("#pupil-not-found")).to_have_text("This address does not name a pupil.")


def test_a_viewer_cannot_open_a_pupil_page(page, live_server):
    log_in(page, live_server, "viewer")
    page.goto(f"/#/pupil-page/{live_server.world['home']['pupils'][0]}")
    expect(page.locator("h1")).to_contain_text("Hello")
    assert page.evaluate("location.hash") == "#/home"
