"""The words review prompts are written in, the app's own style (pwa/js/words.js): a day reads
"Fri 23 Oct 2026", never "2026-10-23"; a count reads "1 conversation" or "2 conversations",
never "conversation(s)"; a field name reads as words."""

from datetime import date


def day(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def humane(code: str) -> str:
    text = str(code).replace("_", " ").strip()
    return text[:1].upper() + text[1:]
