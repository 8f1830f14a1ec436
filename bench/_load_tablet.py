"""The Locust user for bench/load.py: one tablet, logged in as one TA, doing what the PWA does.

Run by bench/load.py as `locust -f bench/_load_tablet.py --headless ...`, with LOAD_DEVICES naming
a JSON file of devices already signed in and synced by bench/_load_setup.sign_in ({device_id,
groups: {group_id: [pupil ids]}, cookies, csrf, cursor}). Each simulated tablet takes the next
device in the file and, like a tablet that has been in use all day, every 30 s pulls what
changed (paging until `more` is false; the tablets' timers are not in step), and in between
pushes 1-20 session records, reads a pupil's passport or its provision map, and now and then
uploads a photo.
"""

import hashlib
import io
import itertools
import json
import os
import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import gevent
from locust import HttpUser, between, task

DEVICES = json.load(open(os.environ["LOAD_DEVICES"]))
_next_device = itertools.count()
PULL_EVERY = 30  # seconds, as the PWA's sync timer
WAIT = (3, 8)  # seconds between one thing a tablet does and the next
FIRST_DAY = date.fromisoformat(os.environ.get("LOAD_FIRST_DAY", "2026-10-05"))
DAYS = [d for d in (FIRST_DAY + timedelta(n) for n in range(56)) if d.weekday() < 5]


def _photo() -> bytes:
    """A 1600x1200 camera-like JPEG (noise compresses as badly as a real photo)."""
    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (400, 300), os.urandom(400 * 300 * 3)).resize((1600, 1200)).save(
        out, "JPEG", quality=85
    )
    return out.getvalue()


PHOTO = _photo()


class Tablet(HttpUser):
    wait_time = between(*WAIT)

    def on_start(self):
        self.device = DEVICES[next(_next_device) % len(DEVICES)]
        self.device_id = self.device["device_id"]
        self.seq = 0
        self.cursor = self.device["cursor"]
        self.csrf = self.device["csrf"]
        self.client.headers["X-Device-Id"] = self.device_id
        self.client.cookies.update(self.device["cookies"])
        # Synced at sign-in, some time in the last half minute.
        self.pulled_at = time.monotonic() - random.uniform(0, PULL_EVERY)
        # Locust runs a user's first task the moment it starts: 200 tablets doing so in the
        # same second is a burst no afternoon has. A first pause like any other spreads them.
        gevent.sleep(random.uniform(*WAIT))

    def _pull(self):
        more = True
        while more:
            params = {"since": self.cursor} if self.cursor else {}
            with self.client.get(
                "/api/v1/sync/pull", params=params, name="pull", catch_response=True
            ) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")
                    return
                body = response.json()
                self.cursor, more = body["cursor"], body["more"]
        self.pulled_at = time.monotonic()

    def _maybe_pull(self):
        if time.monotonic() - self.pulled_at >= PULL_EVERY:
            self._pull()

    @task(10)
    def push(self):
        self._maybe_pull()
        ops = [self._session_op() for _ in range(random.randint(1, 20))]
        with self.client.post(
            "/api/v1/sync/push",
            json={"device_id": self.device_id, "ops": ops},
            headers={"X-CSRF-Token": self.csrf},
            name="push",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
                return
            bad = [r for r in response.json()["results"] if r["status"] != "accepted"]
            if bad:
                response.failure(f"not accepted: {json.dumps(bad[0])[:300]}")

    @task(3)
    def passport(self):
        self._maybe_pull()
        pupil = random.choice(random.choice(list(self.device["groups"].values())))
        self.client.get(f"/api/v1/pupils/{pupil}/passport", name="passport")

    @task(3)
    def provision_map(self):
        self._maybe_pull()
        self.client.get("/api/v1/provision-map", name="provision_map")

    @task(1)
    def photo(self):
        self._maybe_pull()
        # A new photo each time: bytes after the JPEG's end marker change its hash, not its image.
        data = PHOTO + os.urandom(16)
        sha = hashlib.sha256(data).hexdigest()
        with self.client.put(
            f"/api/v1/attachments/{sha}",
            data=data,
            headers={"Content-Type": "image/jpeg", "X-CSRF-Token": self.csrf},
            name="photo",
            catch_response=True,
        ) as response:
            if response.status_code not in (200, 201):
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")

    def _session_op(self) -> dict:
        self.seq += 1
        group_id, pupils = random.choice(list(self.device["groups"].items()))
        attendance = [
            {
                "pupil_id": p,
                "status": "present",
                "engagement": random.randint(1, 5),
                "step": "Step 2: turn taking",
                "note": "Good focus",
            }
            for p in pupils
        ]
        return {
            "op_id": str(uuid.uuid4()),
            "device_seq": self.seq,
            "type": "entry",
            "entry": {
                "entry_id": str(uuid.uuid4()),
                "base_rev": None,
                "deleted": False,
                "kind": "session_record",
                "template_id": "test-session",
                "template_version": 1,
                "recorded_at": datetime.now(UTC).isoformat(),
                "core": {
                    "group_id": int(group_id),
                    "date": random.choice(DAYS).isoformat(),
                    "minutes_delivered": 30,
                    "delivered_as_planned": True,
                    "attendance": attendance,
                },
                "answers": {"went_well": "Worked well together"},
            },
        }
