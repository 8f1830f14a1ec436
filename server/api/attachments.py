"""Photo attachments, stored once per school under the SHA-256 of the bytes the device sent.

The entry names its photos by that hash, so the device can upload them later and in any order.
It may delete its own copy once PUT or /meta has answered for the hash: both mean the re-encoded
image and its thumbnail are on disk and the row is committed.
"""

import contextlib
import hashlib
import os
import re
import tempfile

from flask import Response, current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from flask_smorest.error_handler import ErrorSchema
from marshmallow import fields
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from schemas.base import StrictSchema
from server import media
from server.extensions import db
from server.models import Attachment, Staff, audit
from server.policy import CAPTURE, require

blp = Blueprint(
    "attachments",
    __name__,
    url_prefix="/api/v1/attachments",
    description="Photos for entries, stored by content hash with EXIF/GPS removed.",
)

SHA256_HEX = re.compile(r"[0-9a-f]{64}")
BINARY = {"schema": {"type": "string", "format": "binary"}}
CHUNK = 64 * 1024


class AttachmentSchema(StrictSchema):
    sha256 = fields.String(metadata={"description": "SHA-256 of the bytes the device uploaded."})
    width = fields.Integer(metadata={"description": "Of the stored, re-encoded image."})
    height = fields.Integer()
    size = fields.Integer(metadata={"description": "Bytes of the stored image."})
    content_type = fields.String(
        metadata={"description": "image/jpeg, or image/png if transparent."}
    )


PUT_DOC = {
    "summary": "Upload a photo (idempotent by hash)",
    "description": "The body is the raw image: JPEG, PNG or WebP, at most 10 MB and 40 megapixels. "
    "The URL names the lowercase hex SHA-256 of the body. The server re-encodes the "
    "image without EXIF/GPS, at most 2048 px on the long side, plus a 320 px "
    "thumbnail. 201 the first time, 200 with the same record for the same bytes again.",
    "requestBody": {"required": True, "content": {ct: BINARY for ct in media.FORMATS.values()}},
}


@blp.route("/<sha256>")
class AttachmentItem(MethodView):
    @blp.doc(**PUT_DOC)
    @blp.response(201, AttachmentSchema, description="Stored for the first time.")
    @blp.alt_response(200, schema=AttachmentSchema, description="These bytes were already stored.")
    @blp.alt_response(413, schema=ErrorSchema, description="The body is over 10 MB.")
    @blp.alt_response(415, schema=ErrorSchema, description="Not a JPEG, PNG or WebP image.")
    @blp.alt_response(
        422,
        schema=ErrorSchema,
        description="Bad or mismatched hash, damaged image, or too many pixels.",
    )
    def put(self, sha256):
        staff = require(CAPTURE)
        _check_hash_format(sha256)
        body = _read_body()
        if hashlib.sha256(body).hexdigest() != sha256:
            abort(
                422,
                message="The body's SHA-256 does not match the hash in the URL: the upload "
                "was changed or cut short. Send it again.",
                errors={"sha256": ["Does not match the SHA-256 of the body."]},
            )
        existing = _find(staff.school_id, sha256)
        if existing is not None and _files_present(existing):
            return existing, 200
        try:
            encoded = media.reencode(body, current_app.config["MAX_IMAGE_PIXELS"])
        except media.ImageRejected as refusal:
            abort(refusal.status, message=refusal.message, errors={"body": [refusal.message]})
        return _store(staff, sha256, encoded, existing)

    @blp.doc(
        summary="Download the re-encoded image",
        responses={
            "200": {
                "description": "The stored image.",
                "content": {"image/jpeg": BINARY, "image/png": BINARY},
            }
        },
    )
    def get(self, sha256):
        row = _visible(sha256)
        return _send(row, row.path, row.content_type)


@blp.route("/<sha256>/thumbnail")
class AttachmentThumbnail(MethodView):
    @blp.doc(
        summary="Download the thumbnail (JPEG, at most 320 px)",
        responses={"200": {"description": "The thumbnail.", "content": {"image/jpeg": BINARY}}},
    )
    def get(self, sha256):
        row = _visible(sha256)
        return _send(row, row.thumbnail_path, "image/jpeg")


@blp.route("/<sha256>/meta")
class AttachmentMeta(MethodView):
    @blp.response(200, AttachmentSchema)
    @blp.doc(summary="Does the server hold this hash? 404 means upload it")
    def get(self, sha256):
        # Not audited: it says nothing about a pupil, and devices ask it before every upload.
        return _visible(sha256)


def _check_hash_format(sha256: str) -> None:
    if not SHA256_HEX.fullmatch(sha256):
        abort(422, errors={"sha256": ["Must be a SHA-256 digest: 64 lowercase hex characters."]})


def _read_body() -> bytes:
    """The raw body, refusing over MAX_IMAGE_BYTES (below the app-wide limit) without reading it all."""
    if request.mimetype not in media.FORMATS.values():
        abort(
            415,
            message="Send the image as image/jpeg, image/png or image/webp.",
            errors={"Content-Type": ["Must be image/jpeg, image/png or image/webp."]},
        )
    limit = current_app.config["MAX_IMAGE_BYTES"]
    too_big = f"The image is larger than {limit // (1024 * 1024)} MB. Resize it on the device."
    if (request.content_length or 0) > limit:
        abort(413, message=too_big, errors={"body": [too_big]})
    chunks, total = [], 0
    # The stream is a raw stream: one read() may return less than asked, so read to the end.
    while chunk := request.stream.read(CHUNK):
        total += len(chunk)
        if total > limit:
            abort(413, message=too_big, errors={"body": [too_big]})
        chunks.append(chunk)
    if not total:
        abort(422, message="The body is empty.", errors={"body": ["Send the image bytes."]})
    return b"".join(chunks)


def _find(school_id: int, sha256: str) -> Attachment | None:
    return db.session.scalar(
        select(Attachment).where(Attachment.school_id == school_id, Attachment.sha256 == sha256)
    )


def _full_path(relative: str) -> str:
    return os.path.join(current_app.config["ATTACHMENTS_DIR"], relative)


def _files_present(row: Attachment) -> bool:
    return os.path.isfile(_full_path(row.path)) and os.path.isfile(_full_path(row.thumbnail_path))


def _store(staff: Staff, sha256: str, encoded: media.Encoded, existing: Attachment | None):
    """Files first, then the row: a crash leaves at worst an orphan file, never a row without one."""
    row = existing or Attachment(school_id=staff.school_id, sha256=sha256, uploaded_by=staff.id)
    row.path = f"{staff.school_id}/{sha256}.{encoded.ext}"
    row.thumbnail_path = f"{staff.school_id}/{sha256}.thumb.jpg"
    _write_atomically(_full_path(row.path), encoded.data)
    _write_atomically(_full_path(row.thumbnail_path), encoded.thumbnail)
    row.content_type, row.size = encoded.content_type, len(encoded.data)
    row.width, row.height = encoded.width, encoded.height
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:
        # The same photo arrived twice at once; the other request stored identical files.
        db.session.rollback()
        winner = _find(staff.school_id, sha256)
        if winner is None:
            abort(409, message="This upload clashed with another; send it again.")
        return winner, 200
    return row, 200 if existing else 201


def _write_atomically(target: str, data: bytes) -> None:
    folder = os.path.dirname(target)
    os.makedirs(folder, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    # Make the rename itself durable, so "stored" survives a power cut (POSIX).
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _visible(sha256: str) -> Attachment:
    """This school's attachment, with its files on disk; otherwise 404 so the device re-uploads."""
    staff = require(CAPTURE)
    _check_hash_format(sha256)
    row = _find(staff.school_id, sha256)
    if row is None or not _files_present(row):
        abort(404, message=f"No attachment with hash {sha256}.")
    return row


def _send(row: Attachment, relative: str, mimetype: str):
    audit.record(db.session, "read", "attachment", row.sha256, school_id=row.school_id)
    db.session.commit()
    # Read whole (a few MB at most after re-encoding) so no file handle outlives the request.
    with open(_full_path(relative), "rb") as fh:
        data = fh.read()
    # Pupil photos must not linger in a shared tablet's HTTP cache.
    return Response(data, mimetype=mimetype, headers={"Cache-Control": "no-store"})
