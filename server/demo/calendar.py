"""The demo's school year, worked out from the day it is built, so the demo looks like a school
mid-year whenever it is run: six half-terms in the usual English pattern, the teaching weeks
between them, and a way to move the 2026-27 pupil data to the current year."""

from datetime import date, timedelta

MONDAY, THURSDAY, FRIDAY = 0, 3, 4


def school_year(today: date) -> int:
    """The September the current school year began (August still belongs to the year before)."""
    return today.year if today.month >= 9 else today.year - 1


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _last_monday(year: int, month: int) -> date:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return _on_or_before(first_of_next - timedelta(days=1), MONDAY)


def half_terms(year: int) -> list[tuple[str, date, date]]:
    """(name, first day, last day) of the six half-terms of the year starting in September
    `year`: autumn from the first Thursday of September with a break in the last week of
    October, spring from the first Monday after 3 January with a break in the third week of
    February and two weeks at Easter (taken here as the turn of March), summer with a break in
    the last week of May, ending in the third week of July."""
    autumn_break = _last_monday(year, 10)
    spring_start = _on_or_after(date(year + 1, 1, 4), MONDAY)
    spring_break = _on_or_after(date(year + 1, 2, 15), MONDAY)
    spring_end = _on_or_before(date(year + 1, 3, 31), FRIDAY)
    summer_start = spring_end + timedelta(days=17)
    summer_break = _last_monday(year + 1, 5)
    return [
        (f"Autumn 1 {year}", _on_or_after(date(year, 9, 1), THURSDAY), autumn_break - timedelta(3)),
        (
            f"Autumn 2 {year}",
            autumn_break + timedelta(7),
            _on_or_before(date(year, 12, 20), FRIDAY),
        ),
        (f"Spring 1 {year + 1}", spring_start, spring_break - timedelta(3)),
        (f"Spring 2 {year + 1}", spring_break + timedelta(7), spring_end),
        (f"Summer 1 {year + 1}", summer_start, summer_break - timedelta(3)),
        (f"Summer 2 {year + 1}", summer_break + timedelta(7), date(year + 1, 7, 21)),
    ]


def teaching_mondays(terms: list[tuple[str, date, date]]) -> list[date]:
    """The Monday of every week with a school day in it, in order."""
    found: list[date] = []
    for _, first, last in terms:
        week = monday_of(first)
        while week <= last:
            if not found or found[-1] != week:
                found.append(week)
            week += timedelta(weeks=1)
    return found


def shift_years(day: date | None, years: int) -> date | None:
    """The same day `years` later; 29 February becomes the 28th."""
    if day is None or years == 0:
        return day
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
