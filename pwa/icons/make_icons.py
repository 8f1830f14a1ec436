"""Draw the app icons (project-made): a white tick in a speech bubble on the theme colour.

Run from the repository root: .venv/bin/python pwa/icons/make_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
THEME = (18, 53, 91)


def icon(size: int) -> Image.Image:
    image = Image.new("RGB", (size, size), THEME)
    draw = ImageDraw.Draw(image)
    s = size / 512
    # Keep the drawing inside the central 80% so a maskable crop never cuts it.
    draw.rounded_rectangle([112 * s, 120 * s, 400 * s, 340 * s], radius=40 * s, fill="white")
    draw.polygon([(170 * s, 330 * s), (250 * s, 330 * s), (170 * s, 400 * s)], fill="white")
    draw.line(
        [(180 * s, 232 * s), (236 * s, 286 * s), (336 * s, 176 * s)],
        fill=THEME,
        width=max(2, round(34 * s)),
        joint="curve",
    )
    return image


if __name__ == "__main__":
    for size in (192, 512):
        icon(size).save(HERE / f"icon-{size}.png", optimize=True)
