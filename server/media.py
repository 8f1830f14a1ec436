"""Image checks and re-encoding for attachments: bytes in, bytes out, no Flask.

Why re-encode: a tablet photo carries EXIF (GPS position of a school or a pupil's home, camera
make, time), ICC profiles, XMP and PNG text chunks. Rebuilding the image from its pixels alone
drops all of them, whatever Pillow's save() might otherwise copy across.

Output format: JPEG, unless some pixel is transparent, when it stays PNG so a cut-out or diagram
looks the same; WebP input becomes JPEG or PNG by the same rule. Thumbnails are always JPEG,
flattened onto white.

Refusals raise ImageRejected with the HTTP status the caller should answer with.
"""

import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
LONG_SIDE = 2048
THUMB_SIDE = 320
JPEG_QUALITY = 85
THUMB_QUALITY = 80
# The most a decode may hold at once (decode_cost): with a worker's own memory, it keeps one
# upload under 300 MB (tests/test_scale_media.py measures the worst accepted image). An RGB
# JPEG, PNG or WebP photo fits up to MAX_IMAGE_PIXELS, about 20 megapixels with transparency, and a
# WebP up to 10.
MAX_DECODE_BYTES = 154 * 1024 * 1024  # a 40 MP RGB photo fits; ~15 MB of headroom as the app grows
# libwebp's animation decoder, which Pillow uses for every WebP, holds its own full-size
# buffers beside Pillow's (tests/test_scale_media.py: some 12 bytes a pixel more).
WEBP_DECODER_BYTES = 12
ONE_BYTE_MODES = frozenset({"1", "L", "P"})
ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})
REDUCIBLE_MODES = frozenset({"L", "LA", "RGB", "RGBA"})
ORIENTATION = 0x0112
TURNS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# What a broken or hostile file makes Pillow's parsers raise; all mean "not a usable image".
BAD_IMAGE = (OSError, ValueError, SyntaxError, EOFError, IndexError, struct.error)


class ImageRejected(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Encoded:
    data: bytes
    content_type: str
    ext: str
    width: int
    height: int
    thumbnail: bytes


def reencode(data: bytes, max_pixels: int, max_decode_bytes: int = MAX_DECODE_BYTES) -> Encoded:
    """Check, decode and re-encode an upload; raise ImageRejected if it is not one we keep."""
    image = _decode(_open(data, max_pixels), max_decode_bytes)
    transparent = _has_transparency(image)
    image = image.convert("RGBA" if transparent else "RGB")
    image.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    image = _pixels_only(image)
    if transparent:
        body, content_type, ext = _save(image, "PNG"), "image/png", "png"
    else:
        body, content_type, ext = _save(image, "JPEG", quality=JPEG_QUALITY), "image/jpeg", "jpg"
    return Encoded(body, content_type, ext, image.width, image.height, _thumbnail(image))


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """Read the header only, and refuse a bomb before a single pixel is decoded."""
    try:
        with warnings.catch_warnings():
            # Pillow merely warns between its two limits; treat that like its error above them.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only these parsers ever see the bytes: never trust the client's Content-Type.
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
    except UnidentifiedImageError:
        raise ImageRejected(415, "The body is not a JPEG, PNG or WebP image.") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(max_pixels) from None
    except BAD_IMAGE:
        raise ImageRejected(422, "The image header is damaged.") from None
    if image.width * image.height > max_pixels:
        raise _too_many_pixels(max_pixels)
    return image


def _too_many_pixels(max_pixels: int) -> ImageRejected:
    return ImageRejected(
        422,
        f"The image has more than {max_pixels // 1_000_000} megapixels; "
        "resize it on the device first.",
    )


def decode_cost(image: Image.Image) -> int:
    """Bytes the decode will hold at once, from the header alone: the decoded pixels (Pillow
    keeps one byte a pixel for one band, four for more), plus a full-size copy when the mode
    needs converting first, plus the premultiplied copy Pillow makes to shrink an alpha image."""
    held = 1 if image.mode in ONE_BYTE_MODES else 4
    converted = 4 if _needs_converting(image) else 0
    premultiplied = 4 if _may_be_transparent(image) else 0
    decoder = WEBP_DECODER_BYTES if image.format == "WEBP" else 0
    return image.width * image.height * (held + converted + premultiplied + decoder)


def _may_be_transparent(image: Image.Image) -> bool:
    return image.mode in ALPHA_MODES or "transparency" in image.info


def _needs_converting(image: Image.Image) -> bool:
    """Image.reduce takes these modes as they are; a palette's or a tRNS chunk's transparency
    would not survive it, so such images become RGBA first."""
    return image.mode not in REDUCIBLE_MODES or "transparency" in image.info


def _decode(image: Image.Image, max_decode_bytes: int) -> Image.Image:
    """Decode within the budget, and shrink at once to the smallest whole fraction that still
    covers LONG_SIDE, so what follows never copies the full-size pixels."""
    if image.format == "JPEG":
        # libjpeg decodes at 1/2, 1/4 or 1/8 scale when that still covers LONG_SIDE.
        image.draft("RGB", (LONG_SIDE, LONG_SIDE))
    if decode_cost(image) > max_decode_bytes:
        raise ImageRejected(
            422,
            f"The image is too large to process ({image.width} x {image.height}); "
            "resize it on the device first.",
        )
    try:
        # load() raises on truncated data as long as ImageFile.LOAD_TRUNCATED_IMAGES is False.
        image.load()
        # The EXIF orientation, read before the pixels part from their metadata.
        orientation = image.getexif().get(ORIENTATION)
        if _needs_converting(image):
            image = image.convert("RGBA" if _may_be_transparent(image) else "RGB")
        factor = max(image.width, image.height) // LONG_SIDE
        if factor > 1:
            image = image.reduce(factor)
    except (Image.DecompressionBombError, *BAD_IMAGE):
        raise ImageRejected(422, "The image is damaged or incomplete; send it again.") from None
    # Turn the pixels the way the EXIF orientation says, since that tag is about to be dropped.
    method = TURNS.get(orientation)
    return image.transpose(method) if method is not None else image


def _has_transparency(image: Image.Image) -> bool:
    if image.mode not in ("RGBA", "LA", "PA") and "transparency" not in image.info:
        return False
    return image.convert("RGBA").getchannel("A").getextrema()[0] < 255


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image from the pixels alone: no info dict, no cached EXIF, nothing to leak."""
    return Image.frombytes(image.mode, image.size, image.tobytes())


def _thumbnail(image: Image.Image) -> bytes:
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    if thumb.mode == "RGBA":
        flat = Image.new("RGB", thumb.size, "white")
        flat.paste(thumb, mask=thumb.getchannel("A"))
        thumb = flat
    return _save(thumb, "JPEG", quality=THUMB_QUALITY)


def _save(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, optimize=fmt == "JPEG", **options)
    return out.getvalue()
