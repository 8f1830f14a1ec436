"""PUT/GET /api/v1/attachments: real database, real requests, images made here with Pillow."""

import hashlib
import io
import os
import struct
import zlib

import pytest
from PIL import Image, ImageCms, ImageFile, PngImagePlugin
from sqlalchemy import func, select

from server.extensions import db
from server.models import Attachment, AuditEvent

URL = "/api/v1/attachments/"
RED, BLUE = (220, 20, 20), (20, 20, 220)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def put(client, data: bytes, content_type="image/jpeg", digest=None):
    return client.put(URL + (digest or sha(data)), data=data, content_type=content_type)


def gps_photo() -> bytes:
    """60x30 stored, left half red; EXIF orientation 6 says "turn 90° clockwise to view"."""
    image = Image.new("RGB", (60, 30), BLUE)
    image.paste(RED, (0, 0, 30, 30))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "Apple", "iPad Pro", 6
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (51.0, 30.0, 12.0), 3: "W", 4: (0.0, 7.0, 40.0)})
    return encode(image, "JPEG", exif=exif, quality=95)


def noise_jpeg(size=(400, 300)) -> bytes:
    return encode(Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)), "JPEG")


def png_declaring(width: int, height: int) -> bytes:
    """A 1-pixel PNG whose IHDR claims width x height, with a valid CRC: a header-only bomb."""
    data = bytearray(encode(Image.new("L", (1, 1)), "PNG"))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def count_rows(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Attachment))


def test_gps_exif_is_stripped_and_orientation_kept(app, api, world):
    photo = gps_photo()
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(0x8825)  # the input really has GPS
    teacher = api("teacher")
    created = put(teacher, photo)
    assert created.status_code == 201, created.get_json()
    assert created.get_json() == {
        "sha256": sha(photo),
        "width": 30,
        "height": 60,
        "size": created.get_json()["size"],
        "content_type": "image/jpeg",
    }
    got = teacher.get(URL + sha(photo))
    assert got.status_code == 200 and got.mimetype == "image/jpeg"
    stored = Image.open(io.BytesIO(got.data))
    assert not stored.getexif() and "exif" not in stored.info and "icc_profile" not in stored.info
    assert b"Exif" not in got.data and b"iPad" not in got.data
    assert stored.size == (30, 60)  # turned upright, as the tablet showed it
    top, bottom = stored.getpixel((15, 10)), stored.getpixel((15, 50))
    assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]
    on_disk = os.path.join(
        app.config["ATTACHMENTS_DIR"], str(world["home"]["school"]), sha(photo) + ".jpg"
    )
    with open(on_disk, "rb") as fh:
        assert fh.read() == got.data


@pytest.mark.parametrize(
    "fmt,mode,colour,out_type",
    [
        ("PNG", "RGB", RED, "image/jpeg"),
        ("PNG", "RGBA", (0, 0, 0, 0), "image/png"),
        ("WEBP", "RGB", BLUE, "image/jpeg"),
        ("WEBP", "RGBA", (10, 200, 10, 100), "image/png"),
    ],
)
def test_png_and_webp_accepted(api, fmt, mode, colour, out_type):
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "Taken at 12 Acacia Avenue")
    options = {"pnginfo": text} if fmt == "PNG" else {"lossless": True}
    options["icc_profile"] = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(Image.new(mode, (50, 40), colour), fmt, **options)
    senco = api("senco")
    response = put(senco, data, content_type=f"image/{fmt.lower()}")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["content_type"] == out_type
    stored = senco.get(URL + sha(data))
    assert stored.mimetype == out_type
    assert not {"Comment", "icc_profile"} & set(Image.open(io.BytesIO(stored.data)).info)
    assert b"Acacia" not in stored.data


def test_large_photo_is_downscaled_and_thumbnailed(api):
    data = encode(Image.new("RGB", (3000, 1000), RED), "JPEG")
    ta = api("ta")
    body = put(ta, data).get_json()
    assert (body["width"], body["height"]) == (2048, 683)
    thumb = ta.get(URL + sha(data) + "/thumbnail")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(thumb.data)).size == (320, 107)


def test_same_bytes_again_answer_200_with_the_same_record(app, api):
    data = noise_jpeg()
    first, again = put(api("ta"), data), put(api("senco"), data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert count_rows(app) == 1
    assert put(api("ta", school="other"), data).status_code == 201  # each school keeps its own
    assert count_rows(app) == 2


def test_hash_must_match_the_body(app, api):
    response = put(api("teacher"), noise_jpeg(), digest=sha(b"something else"))
    assert response.status_code == 422
    assert "does not match" in response.get_json()["message"]
    assert "sha256" in response.get_json()["errors"]
    assert count_rows(app) == 0


@pytest.mark.parametrize("digest", ["abc", "A" * 64, "g" * 64])
def test_malformed_hash_is_a_field_error(api, digest):
    response = put(api("teacher"), noise_jpeg(), digest=digest)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["sha256"]


@pytest.mark.parametrize(
    "make",
    [
        lambda: png_declaring(20000, 20000),  # over Pillow's own hard limit
        lambda: png_declaring(10000, 10000),  # where Pillow only warns
        lambda: png_declaring(8000, 8000),  # under Pillow's limits, over ours
        lambda: encode(Image.new("L", (7000, 6000)), "PNG"),  # a real, complete 42 MP image
    ],
    ids=["20000px", "10000px", "8000px", "real-42MP"],
)
def test_decompression_bombs_are_refused_before_decoding(app, api, monkeypatch, make):
    def no_decoding(self):
        raise AssertionError("pixels were decoded")

    data = make()
    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    response = put(api("senco"), data, content_type="image/png")
    assert response.status_code == 422, response.get_json()
    assert "megapixels" in response.get_json()["message"]
    assert count_rows(app) == 0


def test_truncated_jpeg_is_422(app, api):
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    whole = noise_jpeg()
    response = put(api("teacher"), whole[: len(whole) * 2 // 3])
    assert response.status_code == 422
    assert "damaged or incomplete" in response.get_json()["message"]
    assert count_rows(app) == 0


@pytest.mark.parametrize(
    "data,content_type",
    [
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", "image/jpeg"),
        (encode(Image.new("RGB", (20, 20), RED), "GIF"), "image/png"),
        (b"\xff\xd8\xff\xe0 not really a jpeg", "image/jpeg"),
    ],
    ids=["pdf-as-jpeg", "gif-as-png", "jpeg-magic-only"],
)
def test_non_images_are_refused(app, api, data, content_type):
    response = put(api("teacher"), data, content_type=content_type)
    assert response.status_code in (415, 422)
    assert response.get_json()["errors"]["body"]
    assert count_rows(app) == 0


def test_content_type_must_be_an_image_type(api):
    response = put(api("teacher"), noise_jpeg(), content_type="application/octet-stream")
    assert response.status_code == 415
    assert "Content-Type" in response.get_json()["errors"]


def test_eleven_megabytes_is_413(app, api):
    data = os.urandom(11 * 1024 * 1024)
    response = put(api("teacher"), data)
    assert response.status_code == 413
    assert "10 MB" in response.get_json()["message"]
    assert count_rows(app) == 0


def test_other_school_gets_404(api):
    data = noise_jpeg()
    assert put(api("senco"), data).status_code == 201
    stranger = api("senco", school="other")
    for suffix in ("", "/thumbnail", "/meta"):
        assert stranger.get(URL + sha(data) + suffix).status_code == 404


@pytest.mark.parametrize(
    "role,status", [("admin", 403), ("viewer", 403), ("senco", 200), ("teacher", 200), ("ta", 200)]
)
def test_roles(api, role, status):
    data = noise_jpeg()
    assert put(api("teacher"), data).status_code == 201
    client = api(role)
    for suffix in ("", "/thumbnail", "/meta"):
        assert client.get(URL + sha(data) + suffix).status_code == status
    assert put(client, noise_jpeg()).status_code == (403 if status == 403 else 201)


def test_meta_tells_the_device_whether_to_upload(app, api):
    data = noise_jpeg()
    ta = api("ta")
    assert ta.get(URL + sha(data) + "/meta").status_code == 404
    stored = put(ta, data).get_json()
    assert ta.get(URL + sha(data) + "/meta").get_json() == stored
    # A lost file makes the hash unknown again, and the next upload puts it back.
    with app.app_context():
        row = db.session.scalar(select(Attachment))
        os.remove(os.path.join(app.config["ATTACHMENTS_DIR"], row.path))
    assert ta.get(URL + sha(data) + "/meta").status_code == 404
    assert put(ta, data).status_code == 200
    assert ta.get(URL + sha(data)).status_code == 200
    assert count_rows(app) == 1


def test_reads_are_audited(app, api):
    data = noise_jpeg()
    teacher = api("teacher")
    put(teacher, data)
    teacher.get(URL + sha(data))
    teacher.get(URL + sha(data) + "/thumbnail")
    with app.app_context():
        reads = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "read", AuditEvent.resource == "attachment"
            )
        ).all()
    assert [r.resource_id for r in reads] == [sha(data)] * 2


def test_openapi_documents_the_upload(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    put_doc = paths["/api/v1/attachments/{sha256}"]["put"]
    assert set(put_doc["requestBody"]["content"]) == {"image/jpeg", "image/png", "image/webp"}
    assert {"200", "201", "413", "415", "422"} <= set(put_doc["responses"])
    meta = paths["/api/v1/attachments/{sha256}/meta"]["get"]["responses"]["200"]
    assert meta["content"]["application/json"]["schema"]["$ref"].endswith("/Attachment")
