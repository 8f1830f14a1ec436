"""SEN data out as a CTF-shaped XML file (reference/send-mis-standards.md §2.1): `CTfile/Header`,
then `CTFpupilData/Pupil` with identity, `SENhistory/SEN(StartDate, EndDate, SENprovision)`
oldest first and `SENneeds/SENneed(SENtype, SENtypeRank)`. Dates are yyyy-mm-dd.

MIS vendors take SEN data back by file import, not by API write-back (§0.4), so this is the
file the school imports. It is exactly what our own importer reads (sync/mis/ctf.py), which a
round-trip test holds. The DfE XSD itself was not available: element names and order follow
the reference notes. Every pupil on roll is listed; one without SENhistory has no SEN.
Nothing in the file depends on the clock beyond the day, so a rerun the same day writes the
same bytes.
"""

from xml.etree.ElementTree import Element, SubElement, indent, tostring

from server.models import Pupil
from sync.mis.export_data import ExportData

CTF_VERSION = "21.0"


def file_name(dfe_number: str) -> str:
    """<sending LA+estab>_CTF_<receiving LA+estab>_<sequence>.xml; the school sends to itself."""
    return f"{dfe_number}_CTF_{dfe_number}_001.xml"


def _text(parent: Element, tag: str, value) -> Element:
    element = SubElement(parent, tag)
    element.text = str(value)
    return element


def _school(parent: Element, tag: str, dfe_number: str, name: str | None = None) -> None:
    school = SubElement(parent, tag)
    _text(school, "LEA", dfe_number[:3])
    _text(school, "Estab", dfe_number[3:])
    if name:
        _text(school, "SchoolName", name)


def _header(root: Element, data: ExportData) -> None:
    header = SubElement(root, "Header")
    _text(header, "DocumentName", "Common Transfer File")
    _text(header, "CTFversion", CTF_VERSION)
    _school(header, "SourceSchool", data.school.dfe_number, data.school.name)
    _school(header, "DestSchool", data.school.dfe_number)


def _sen(pupil_element: Element, pupil: Pupil) -> None:
    if not pupil.provisions and not pupil.needs:
        return
    history = SubElement(pupil_element, "SENhistory")
    for record in sorted(pupil.provisions, key=lambda p: (p.start_date, p.end_date is None)):
        sen = SubElement(history, "SEN")
        _text(sen, "StartDate", record.start_date.isoformat())
        if record.end_date is not None:
            _text(sen, "EndDate", record.end_date.isoformat())
        _text(sen, "SENprovision", record.code)
    needs = SubElement(history, "SENneeds")
    for need in sorted(pupil.needs, key=lambda n: n.rank):
        element = SubElement(needs, "SENneed")
        _text(element, "SENtype", need.need_type)
        _text(element, "SENtypeRank", need.rank)


def _pupil(parent: Element, pupil: Pupil) -> None:
    element = SubElement(parent, "Pupil")
    _text(element, "UPN", pupil.upn)
    _text(element, "Surname", pupil.surname)
    _text(element, "Forename", pupil.forename)
    _text(element, "DOB", pupil.dob.isoformat())
    _text(element, "Gender", pupil.gender)
    _text(SubElement(element, "BasicDetails"), "NCyearActual", pupil.year_group)
    _sen(element, pupil)


def build(data: ExportData) -> bytes:
    root = Element("CTfile")
    _header(root, data)
    pupils = SubElement(root, "CTFpupilData")
    for pupil in data.pupils:
        _pupil(pupils, pupil)
    indent(root)
    return tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
