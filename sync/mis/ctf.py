"""Read a Common Transfer File (CTF XML) into roster rows (reference/send-mis-standards.md §2.1).

defusedxml refuses DTDs and entity tricks (billion laughs, external entities): a CTF never needs
them, so a file that has them is refused whole. Element names are matched on their local part,
so a CTF with or without an XML namespace reads the same.

A pupil without `SENhistory` is read as "no SEN" (no open provision, no needs): the MIS writes
the block only for pupils with SEN, and the roster is its full picture.
"""

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from sync.mis import RosterFileError, RosterRow, SenRecord

DATE_FORMATS = ("%Y-%m-%d",)  # CTF dates are always yyyy-mm-dd


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _strip_namespaces(root: Element) -> None:
    """Rename every element to its local name once, so the C-speed find() paths work on both."""
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag[0] == "{":
            element.tag = _local(element.tag)


def _text(element: Element, path: str) -> str:
    return (element.findtext(path) or "").strip()


def _root(data: bytes) -> Element:
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise RosterFileError(
            "The CTF contains a DTD or entity declarations, which are refused "
            "for safety. Export the file from the MIS again."
        ) from None
    except ParseError as exc:
        raise RosterFileError(
            f"The CTF is not well-formed XML ({exc}): it may be cut short or "
            "damaged. Nothing was imported."
        ) from None
    except LookupError as exc:  # an XML declaration naming an encoding Python does not know
        raise RosterFileError(f"The CTF cannot be read: {exc}. Nothing was imported.") from None
    if _local(root.tag) != "CTfile":
        raise RosterFileError(
            f"This XML is not a Common Transfer File: its root element is "
            f"<{_local(root.tag)}>, not <CTfile>."
        )
    _strip_namespaces(root)
    return root


def source_school(root: Element) -> str | None:
    """LEA + Estab of the school that wrote the file, if the header says."""
    lea = _text(root, "Header/SourceSchool/LEA")
    estab = _text(root, "Header/SourceSchool/Estab")
    return lea + estab if lea and estab else None


def _sen(pupil: Element) -> tuple[list[SenRecord], list[tuple[str, str]]]:
    history = pupil.find("SENhistory")
    if history is None:
        return [], []
    records = [
        SenRecord(
            code=_text(sen, "SENprovision"),
            start=_text(sen, "StartDate"),
            end=_text(sen, "EndDate"),
        )
        for sen in history.iterfind("SEN")
    ]
    needs = [
        (_text(need, "SENtype"), _text(need, "SENtypeRank"))
        for need in history.iterfind("SENneeds/SENneed")
    ]
    return records, needs


def _row(index: int, pupil: Element) -> RosterRow:
    year = _text(pupil, "BasicDetails/NCyearActual") or _text(pupil, "NCyearActual")
    fields = {
        "forename": _text(pupil, "Forename"),
        "surname": _text(pupil, "Surname"),
        "dob": _text(pupil, "DOB"),
        "gender": _text(pupil, "Gender"),
        "year_group": year,
    }
    sen, needs = _sen(pupil)
    return RosterRow(
        row=index, upn=_text(pupil, "UPN").upper(), fields=fields, sen=sen, needs=needs
    )


def parse_ctf(data: bytes) -> tuple[str | None, list[RosterRow]]:
    """(source school DfE number or None, one row per Pupil numbered from 1)."""
    root = _root(data)
    pupil_data = root.find("CTFpupilData")
    if pupil_data is None:
        raise RosterFileError("The CTF has no <CTFpupilData> block, so it lists no pupils.")
    pupils = pupil_data.findall("Pupil")
    return source_school(root), [_row(n, p) for n, p in enumerate(pupils, start=1)]
