"""Bounded image memory (server/media.py): the worst image an upload may be, decoded in a fresh
process that has loaded the app as a worker has, stays under 300 MB at its peak. Measured with
the kernel's high-water mark of the process's memory (VmHWM), not timed."""

import json
import subprocess
import sys
import textwrap

import pytest

from server import media

LIMIT_MB = 300
MAX_PIXELS = 40_000_000  # MAX_IMAGE_PIXELS's default (server/config.py)
BUDGET_SIDE = {  # the largest square each decode budget still lets in
    "rgb": int((MAX_PIXELS) ** 0.5),
    "rgba": int((media.MAX_DECODE_BYTES / 8) ** 0.5),
    "palette": int((media.MAX_DECODE_BYTES / 9) ** 0.5),
    "webp": int((media.MAX_DECODE_BYTES / (4 + media.WEBP_DECODER_BYTES)) ** 0.5),
    "webp_alpha": int((media.MAX_DECODE_BYTES / (8 + media.WEBP_DECODER_BYTES)) ** 0.5),
}
WORST = [
    ("rgba.png", "RGBA", BUDGET_SIDE["rgba"], "PNG"),
    ("palette.png", "P", BUDGET_SIDE["palette"], "PNG"),
    ("rgb.png", "RGB", BUDGET_SIDE["rgb"], "PNG"),
    ("rgb.webp", "RGB", BUDGET_SIDE["webp"], "WEBP"),
    ("rgba.webp", "RGBA", BUDGET_SIDE["webp_alpha"], "WEBP"),
    ("rgb.jpg", "RGB", BUDGET_SIDE["rgb"], "JPEG"),
]

MAKE = """
import sys
from PIL import Image, ImageDraw
name, mode, side, fmt = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
image = Image.new("RGBA" if mode == "P" else mode, (side, side), (40, 120, 200, 255)[: len(mode)])
ImageDraw.Draw(image).rectangle((0, 0, side // 3, side // 5), fill=(250, 200, 10, 0)[: len(mode)])
if mode == "P":
    image = image.quantize(4)
    image.info["transparency"] = 0
options = {"compress_level": 1} if fmt == "PNG" else {"method": 0} if fmt == "WEBP" else {}
image.save(name, fmt, **options)
"""

# VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child of a large pytest process
# would report its parent's high-water mark; VmHWM belongs to this process's own memory.
MEASURE = """
import json, sys
from server import create_app, media
def high_water_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
before = high_water_kb()
data = open(sys.argv[1], "rb").read()
try:
    encoded = media.reencode(data, 40_000_000)
    outcome = [encoded.width, encoded.height, encoded.content_type]
except media.ImageRejected as refusal:
    outcome = [refusal.status, refusal.message]
peak = high_water_kb()
print(json.dumps({"app_mb": before / 1024, "peak_mb": peak / 1024, "outcome": outcome}))
"""


@pytest.mark.slow
@pytest.mark.parametrize(("name", "mode", "side", "fmt"), WORST, ids=[w[0] for w in WORST])
def test_the_worst_accepted_image_stays_under_300_mb(tmp_path, name, mode, side, fmt):
    path = tmp_path / name
    subprocess.run(
        [sys.executable, "-c", MAKE, str(path), mode, str(side), fmt], check=True, timeout=120
    )
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(MEASURE), str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert len(result["outcome"]) == 3, result  # accepted: width, height, type
    assert max(result["outcome"][:2]) == media.LONG_SIDE, result
    print(name, result)
    assert result["peak_mb"] < LIMIT_MB, result


def test_an_image_past_the_decode_budget_is_refused_from_its_header():
    """A transparent PNG just over the budget: 422 before any pixel is decoded."""
    import io
    import struct
    import zlib

    side = BUDGET_SIDE["rgba"] + 2

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0)  # 8-bit RGBA
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")
    with pytest.raises(media.ImageRejected) as refusal:
        media.reencode(io.BytesIO(png).getvalue(), MAX_PIXELS)
    assert refusal.value.status == 422 and "too large to process" in refusal.value.message
