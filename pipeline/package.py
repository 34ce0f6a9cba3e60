"""Archival packages: one E-ARK SIP 2.1 (FGS Paketstruktur 2.0) folder per document.

A package is named after its OBJID, ``uuid-<uuid5 of the input's SHA-256>``, so a rerun
or a resumed batch builds the same package. It is assembled in a temporary folder beside
the target and renamed into place at the end, never left half-written::

    uuid-…/
      METS.xml                          package METS (CSIP + SIP profile)
      metadata/descriptive/dc.xml       Dublin Core (oai_dc container)
      metadata/preservation/premis.xml  PREMIS 3: files, events, agents
      documentation/README.txt          what the package holds, how it was made
      schemas/*.xsd                     every schema the XML files reference
      representations/master/           the input PDF as received
      representations/access/           the PDF/A access copy with the corrected text layer
      representations/text/             raw OCR text, corrected text, corrections, JSON
        (each with METS.xml and data/)

Every file but the package METS itself is listed with size, MIME type and SHA-256 in a
METS file; `verify` recomputes them all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

import ocrmypdf
import pikepdf
from lxml import etree

from . import __version__, atomic
from .config import PackageConfig
from .errors import InputFileError, InvalidOutputError, PackageInvalidError, PlandigitError
from .model import Document
from .pdfa import PdfaFlavour, PdfaResult, make_access_copy
from .process import Executor, Settings, run_documents, sha256_file
from .resources import schemas_dir

SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
# Fixed namespace for package identifiers: the same input always gives the same OBJID.
OBJID_NAMESPACE = uuid.UUID("6f1c0f3e-2b7a-5d4e-9c61-8a0e4b2f7d15")

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP_NS = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
PREMIS_NS = "http://www.loc.gov/premis/v3"
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"

_METS_NSMAP = {"mets": METS_NS, "xlink": XLINK_NS, "csip": CSIP_NS, "sip": SIP_NS, "xsi": XSI_NS}
# Schemas copied into every package (the files that its XML references).
PACKAGE_SCHEMAS = (
    "mets.xsd",
    "xlink.xsd",
    "xml.xsd",
    "DILCISExtensionMETS.xsd",
    "DILCISExtensionSIPMETS.xsd",
    "premis-v3-0.xsd",
    "dc.xsd",
    "oai_dc.xsd",
)
_METS_LOCATIONS = (
    (METS_NS, "mets.xsd"),
    (XLINK_NS, "xlink.xsd"),
    (CSIP_NS, "DILCISExtensionMETS.xsd"),
    (SIP_NS, "DILCISExtensionSIPMETS.xsd"),
)
CONTENT_INFORMATION_TYPE = "plandigit document: PDF, PDF/A access copy, text and JSON data"
_KIND_NAMES = {"plan": "verksamhetsplan", "agreement": "samarbetsavtal", "other": "dokument"}
# PRONOM identifiers of the formats a package holds.
_PDF_PUIDS = {
    "1.0": "fmt/14",
    "1.1": "fmt/15",
    "1.2": "fmt/16",
    "1.3": "fmt/17",
    "1.4": "fmt/18",
    "1.5": "fmt/19",
    "1.6": "fmt/20",
    "1.7": "fmt/276",
    "2.0": "fmt/1129",
}
_PDFA_PUIDS = {"1b": "fmt/354", "2b": "fmt/476"}


@dataclass(frozen=True)
class FileFormat:
    mime: str
    name: str
    version: str | None = None
    puid: str | None = None


@dataclass(frozen=True)
class PackageFile:
    """One file of the package, with what METS and PREMIS say about it."""

    path: str  # relative to the package root, POSIX
    size: int
    sha256: str
    format: FileFormat
    id: str = ""


@dataclass
class _Representation:
    name: str
    label: str
    files: list[PackageFile] = field(default_factory=list)


def package_id(sha256: str) -> str:
    """OBJID and folder name of the package of the input with this SHA-256."""
    return f"uuid-{uuid.uuid5(OBJID_NAMESPACE, sha256)}"


def build_package(
    pdf_path: Path,
    document: Document,
    outdir: Path,
    config: PackageConfig,
    flavour: PdfaFlavour = "2b",
) -> Path:
    """Build the SIP of `document` (read from `pdf_path`) under `outdir`; return its folder.

    An existing package of the same input is replaced only once the new one is complete.
    Raises InputFileError if the document was not read from this PDF, InvalidOutputError
    if the access copy or an XML file fails its check.
    """
    pdf_path = Path(pdf_path)
    digest = sha256_file(pdf_path)
    if digest != document.source.sha256:
        raise InputFileError(
            "the document data was read from a different file (SHA-256 differs)", str(pdf_path)
        )
    objid = package_id(digest)
    outdir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{objid}.", suffix=".tmp", dir=outdir))
    try:
        _assemble(work, objid, pdf_path, document, config, flavour)
        return _move_into_place(work, outdir / objid)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _move_into_place(work: Path, final: Path) -> Path:
    """Rename the finished package to its name, replacing an older build of it."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.rename(final, old)
    os.rename(work, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return final


def _assemble(
    root: Path,
    objid: str,
    pdf_path: Path,
    document: Document,
    config: PackageConfig,
    flavour: PdfaFlavour,
) -> None:
    now = _now()
    stem = _safe_stem(pdf_path)
    master = _Representation("master", "Original PDF as received (preservation master)")
    access = _Representation("access", f"PDF/A-{flavour} access copy, corrected text layer")
    text = _Representation("text", "Extracted text and data: OCR text, corrected text, JSON")

    master_path = root / "representations/master/data" / f"{stem}.pdf"
    master_path.parent.mkdir(parents=True)
    shutil.copyfile(pdf_path, master_path)
    master.files.append(_describe(root, master_path, _pdf_format(master_path)))

    access_path = root / "representations/access/data" / f"{stem}.pdf"
    language = str(document.generator.get("settings", {}).get("lang", "swe"))
    pdfa = make_access_copy(pdf_path, document, access_path, flavour, language.split("+")[0])
    access.files.append(
        _describe(
            root,
            access_path,
            FileFormat("application/pdf", "PDF/A", f"PDF/A-{flavour}", _PDFA_PUIDS[flavour]),
        )
    )

    data = root / "representations/text/data"
    plain = FileFormat("text/plain", "Plain Text File", None, "x-fmt/111")
    json_format = FileFormat("application/json", "JSON Data Interchange Format", None, "fmt/817")
    outputs = (
        (f"{stem}.ocr.txt", "\f".join(p.raw_text for p in document.pages) + "\n", plain),
        (f"{stem}.txt", document.text + "\n", plain),
        (f"{stem}.corrections.json", _json([asdict(c) for c in document.corrections]), json_format),
        (f"{stem}.json", _json(document.to_dict()), json_format),
    )
    for name, content, file_format in outputs:
        atomic.write_text(data / name, content)
        text.files.append(_describe(root, data / name, file_format))

    representations = [master, access, text]
    for representation in representations:
        _write_xml(
            root / "representations" / representation.name / "METS.xml",
            _representation_mets(objid, representation, document, config, now),
        )

    schemas = root / "schemas"
    schemas.mkdir()
    for name in PACKAGE_SCHEMAS:
        shutil.copyfile(schemas_dir() / "xml" / name, schemas / name)

    documentation = root / "documentation/README.txt"
    atomic.write_text(documentation, _documentation(objid, stem, document, config, pdfa))

    dc_path = root / "metadata/descriptive/dc.xml"
    _write_xml(dc_path, _dublin_core(objid, pdf_path, document, config))

    content_files = [f for r in representations for f in r.files]
    premis_path = root / "metadata/preservation/premis.xml"
    _write_xml(premis_path, _premis(content_files, document, config, pdfa, now))

    _write_xml(
        root / "METS.xml",
        _package_mets(root, objid, document, config, representations, now),
    )
    problems = check_xml(root)
    if problems:
        raise InvalidOutputError(f"package XML fails its schema: {problems[0]}", str(pdf_path))


# --- files ---------------------------------------------------------------------------------


def _describe(root: Path, path: Path, file_format: FileFormat) -> PackageFile:
    return PackageFile(
        path=path.relative_to(root).as_posix(),
        size=path.stat().st_size,
        sha256=sha256_file(path),
        format=file_format,
    )


def _with_id(item: PackageFile, file_id: str) -> PackageFile:
    return replace(item, id=file_id)


def _pdf_format(path: Path) -> FileFormat:
    """The PDF version from the file itself, with its PRONOM identifier."""
    try:
        with pikepdf.open(path) as pdf:
            version = pdf.pdf_version
    except pikepdf.PdfError as exc:
        raise InputFileError(f"cannot read PDF: {exc}", str(path)) from exc
    return FileFormat(
        "application/pdf", "Portable Document Format", version, _PDF_PUIDS.get(version)
    )


_XML_FORMAT = FileFormat("text/xml", "Extensible Markup Language", "1.0", "fmt/101")
_XSD_FORMAT = FileFormat("text/xml", "XML Schema Definition", "1.0", "x-fmt/280")
_TEXT_FORMAT = FileFormat("text/plain", "Plain Text File", None, "x-fmt/111")


def _safe_stem(pdf_path: Path) -> str:
    """The input's name without suffix, kept readable but safe as a file name and URL."""
    stem = pdf_path.stem.strip() or "document"
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in stem)


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _write_xml(path: Path, element: etree._Element) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = etree.tostring(element, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    atomic.write_bytes(path, data)


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def _schema_location(pairs: Iterable[tuple[str, str]], prefix: str) -> str:
    return " ".join(f"{ns} {prefix}{name}" for ns, name in pairs)


def _href(path: str) -> str:
    return quote(path, safe="/-_.~")


# --- METS ----------------------------------------------------------------------------------


def _content_category(document: Document) -> str:
    """E-ARK content category: scanned print, or a born-digital text."""
    if any(p.source == "ocr" for p in document.pages):
        return "Textual works – Print"
    return "Textual works – Digital"


def _mets_root(objid: str, label: str, document: Document, schema_prefix: str):
    root = etree.Element(_q(METS_NS, "mets"), nsmap=_METS_NSMAP)
    root.set("OBJID", objid)
    root.set("LABEL", label)
    root.set("TYPE", _content_category(document))
    root.set(_q(CSIP_NS, "CONTENTINFORMATIONTYPE"), "OTHER")
    root.set(_q(CSIP_NS, "OTHERCONTENTINFORMATIONTYPE"), CONTENT_INFORMATION_TYPE)
    root.set("PROFILE", SIP_PROFILE)
    root.set(_q(XSI_NS, "schemaLocation"), _schema_location(_METS_LOCATIONS, schema_prefix))
    return root


def _mets_header(root, config: PackageConfig, now: str, with_organisation: bool) -> None:
    header = etree.SubElement(root, _q(METS_NS, "metsHdr"))
    header.set("CREATEDATE", now)
    header.set("LASTMODDATE", now)
    header.set("RECORDSTATUS", "NEW")
    header.set(_q(CSIP_NS, "OAISPACKAGETYPE"), "SIP")
    software = etree.SubElement(header, _q(METS_NS, "agent"))
    software.set("ROLE", "CREATOR")
    software.set("TYPE", "OTHER")
    software.set("OTHERTYPE", "SOFTWARE")
    etree.SubElement(software, _q(METS_NS, "name")).text = "plandigit"
    note = etree.SubElement(software, _q(METS_NS, "note"))
    note.text = __version__
    note.set(_q(CSIP_NS, "NOTETYPE"), "SOFTWARE VERSION")
    if not with_organisation:
        return
    # ROLE=ARCHIVIST as in FGS 1.x: eark-validator 1.1.3 misapplies the software-agent
    # rules to an organisation declared as CREATOR (see schemas/xml/README.md).
    organisation = etree.SubElement(header, _q(METS_NS, "agent"))
    organisation.set("ROLE", "ARCHIVIST")
    organisation.set("TYPE", "ORGANIZATION")
    etree.SubElement(organisation, _q(METS_NS, "name")).text = config.organisation
    number = etree.SubElement(organisation, _q(METS_NS, "note"))
    number.text = config.organisation_number
    number.set(_q(CSIP_NS, "NOTETYPE"), "IDENTIFICATIONCODE")
    for record_type, value in (
        ("SUBMISSIONAGREEMENT", config.submission_agreement),
        ("REFERENCECODE", config.reference_code),
    ):
        record = etree.SubElement(header, _q(METS_NS, "altRecordID"))
        record.set("TYPE", record_type)
        record.text = value


def _file_group(parent, use: str, group_id: str):
    group = etree.SubElement(parent, _q(METS_NS, "fileGrp"))
    group.set("ID", group_id)
    group.set("USE", use)
    # eark-validator 1.1.3 (CSIP63) accepts only OTHER with a named type on every group
    group.set(_q(CSIP_NS, "CONTENTINFORMATIONTYPE"), "OTHER")
    group.set(_q(CSIP_NS, "OTHERCONTENTINFORMATIONTYPE"), CONTENT_INFORMATION_TYPE)
    return group


def _file_element(group, item: PackageFile, href: str, now: str) -> None:
    element = etree.SubElement(group, _q(METS_NS, "file"))
    element.set("ID", item.id)
    element.set("MIMETYPE", item.format.mime)
    element.set("SIZE", str(item.size))
    element.set("CREATED", now)
    element.set("CHECKSUM", item.sha256)
    element.set("CHECKSUMTYPE", "SHA-256")
    element.set(_q(SIP_NS, "FILEFORMATNAME"), item.format.name)
    if item.format.version:
        element.set(_q(SIP_NS, "FILEFORMATVERSION"), item.format.version)
    if item.format.puid:
        element.set(_q(SIP_NS, "FORMATREGISTRY"), "PRONOM")
        element.set(_q(SIP_NS, "FORMATREGISTRYKEY"), item.format.puid)
    location = etree.SubElement(element, _q(METS_NS, "FLocat"))
    location.set("LOCTYPE", "URL")
    location.set(_q(XLINK_NS, "type"), "simple")
    location.set(_q(XLINK_NS, "href"), _href(href))


def _md_ref(parent, item: PackageFile, mdtype: str, now: str) -> None:
    ref = etree.SubElement(parent, _q(METS_NS, "mdRef"))
    ref.set("LOCTYPE", "URL")
    ref.set(_q(XLINK_NS, "type"), "simple")
    ref.set(_q(XLINK_NS, "href"), _href(item.path))
    ref.set("MDTYPE", mdtype)
    ref.set("MIMETYPE", item.format.mime)
    ref.set("SIZE", str(item.size))
    ref.set("CREATED", now)
    ref.set("CHECKSUM", item.sha256)
    ref.set("CHECKSUMTYPE", "SHA-256")


def _div(parent, label: str, div_id: str, **attributes: str):
    div = etree.SubElement(parent, _q(METS_NS, "div"))
    div.set("ID", div_id)
    div.set("LABEL", label)
    for key, value in attributes.items():
        div.set(key, value)
    return div


def _fptr(div, file_id: str) -> None:
    etree.SubElement(div, _q(METS_NS, "fptr")).set("FILEID", file_id)


def _representation_mets(
    objid: str,
    representation: _Representation,
    document: Document,
    config: PackageConfig,
    now: str,
):
    """METS of one representation: its data files, paths relative to its own folder."""
    root = _mets_root(
        f"{objid}/representations/{representation.name}",
        representation.label,
        document,
        "../../schemas/",
    )
    _mets_header(root, config, now, with_organisation=False)
    file_section = etree.SubElement(root, _q(METS_NS, "fileSec"))
    file_section.set("ID", "file-section")
    group = _file_group(file_section, "Data", "data-group")
    prefix = f"representations/{representation.name}/"
    files = []
    for index, item in enumerate(representation.files, 1):
        item = _with_id(item, f"file-{index}")
        files.append(item)
        _file_element(group, item, item.path.removeprefix(prefix), now)
    struct_map = etree.SubElement(root, _q(METS_NS, "structMap"))
    struct_map.set("ID", "struct-map")
    struct_map.set("TYPE", "PHYSICAL")
    struct_map.set("LABEL", "CSIP")
    top = _div(struct_map, representation.name, "struct-root")
    data = _div(top, "Data", "struct-data")
    for item in files:
        _fptr(data, item.id)
    return root


def _package_mets(
    root_dir: Path,
    objid: str,
    document: Document,
    config: PackageConfig,
    representations: list[_Representation],
    now: str,
):
    title = document.title or Path(document.source.file).stem
    root = _mets_root(objid, title, document, "schemas/")
    _mets_header(root, config, now, with_organisation=True)

    dc = _describe(root_dir, root_dir / "metadata/descriptive/dc.xml", _XML_FORMAT)
    premis = _describe(root_dir, root_dir / "metadata/preservation/premis.xml", _XML_FORMAT)
    dmd = etree.SubElement(root, _q(METS_NS, "dmdSec"))
    dmd.set("ID", "dmd-dc")
    dmd.set("CREATED", now)
    dmd.set("STATUS", "CURRENT")
    _md_ref(dmd, dc, "DC", now)
    amd = etree.SubElement(root, _q(METS_NS, "amdSec"))
    amd.set("ID", "amd")
    digiprov = etree.SubElement(amd, _q(METS_NS, "digiprovMD"))
    digiprov.set("ID", "digiprov-premis")
    digiprov.set("STATUS", "CURRENT")
    _md_ref(digiprov, premis, "PREMIS", now)

    file_section = etree.SubElement(root, _q(METS_NS, "fileSec"))
    file_section.set("ID", "file-section")
    documentation = _with_id(
        _describe(root_dir, root_dir / "documentation/README.txt", _TEXT_FORMAT),
        "file-documentation",
    )
    _file_element(
        _file_group(file_section, "Documentation", "group-documentation"),
        documentation,
        documentation.path,
        now,
    )
    schema_group = _file_group(file_section, "Schemas", "group-schemas")
    schema_files = []
    for index, name in enumerate(PACKAGE_SCHEMAS, 1):
        item = _with_id(
            _describe(root_dir, root_dir / "schemas" / name, _XSD_FORMAT), f"file-schema-{index}"
        )
        schema_files.append(item)
        _file_element(schema_group, item, item.path, now)
    representation_files = []
    for representation in representations:
        mets_file = root_dir / "representations" / representation.name / "METS.xml"
        item = _with_id(
            _describe(root_dir, mets_file, _XML_FORMAT), f"file-rep-{representation.name}"
        )
        representation_files.append(item)
        group = _file_group(
            file_section,
            f"Representations/{representation.name}",
            f"group-rep-{representation.name}",
        )
        _file_element(group, item, item.path, now)

    struct_map = etree.SubElement(root, _q(METS_NS, "structMap"))
    struct_map.set("ID", "struct-map")
    struct_map.set("TYPE", "PHYSICAL")
    struct_map.set("LABEL", "CSIP")
    top = _div(struct_map, objid, "struct-root")
    _div(top, "Metadata", "struct-metadata", ADMID="digiprov-premis", DMDID="dmd-dc")
    _fptr(_div(top, "Documentation", "struct-documentation"), documentation.id)
    schemas_div = _div(top, "Schemas", "struct-schemas")
    for item in schema_files:
        _fptr(schemas_div, item.id)
    representations_div = _div(top, "Representations", "struct-representations")
    for item in representation_files:
        _fptr(representations_div, item.id)
    for representation, item in zip(representations, representation_files, strict=True):
        div = _div(
            representations_div,
            f"Representations/{representation.name}",
            f"struct-rep-{representation.name}",
        )
        pointer = etree.SubElement(div, _q(METS_NS, "mptr"))
        pointer.set("LOCTYPE", "URL")
        pointer.set(_q(XLINK_NS, "type"), "simple")
        pointer.set(_q(XLINK_NS, "href"), _href(item.path))
        pointer.set(_q(XLINK_NS, "title"), f"METS of representation {representation.name}")
    return root


# --- Dublin Core ---------------------------------------------------------------------------


def _dublin_core(objid: str, pdf_path: Path, document: Document, config: PackageConfig):
    root = etree.Element(
        _q(OAI_DC_NS, "dc"), nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    )
    root.set(
        _q(XSI_NS, "schemaLocation"),
        _schema_location([(OAI_DC_NS, "oai_dc.xsd"), (DC_NS, "dc.xsd")], "../../schemas/"),
    )

    def add(name: str, value: str, lang: str | None = None) -> None:
        element = etree.SubElement(root, _q(DC_NS, name))
        element.text = value
        if lang:
            element.set(_q(XML_NS, "lang"), lang)

    add("title", document.title or pdf_path.stem, "sv")
    add("creator", config.creator)
    for party in document.parties:
        add("contributor", party)
    if document.year is not None:
        add("date", str(document.year))
    add("type", "Text")
    add("type", document.kind)
    add("type", _KIND_NAMES[document.kind], "sv")
    add("format", "application/pdf")
    add("identifier", objid)
    add("source", pdf_path.name)
    add("language", "swe")
    add("description", _summary(document), "en")
    return root


def _summary(document: Document) -> str:
    parts = [f"{len(document.pages)} pages"]
    if document.actions:
        parts.append(f"{len(document.actions)} action-plan rows")
    if document.clauses:
        parts.append(f"{len(document.clauses)} clauses")
    applied = sum(1 for c in document.corrections if c.applied)
    parts.append(f"{applied} corrections of the OCR text")
    return "; ".join(parts)


# --- PREMIS --------------------------------------------------------------------------------


def _premis(
    files: list[PackageFile],
    document: Document,
    config: PackageConfig,
    pdfa: PdfaResult,
    now: str,
):
    """Objects (every content file with fixity and format), the events that made them,
    and the agents that carried the events out."""
    root = etree.Element(_q(PREMIS_NS, "premis"), nsmap={"premis": PREMIS_NS, "xsi": XSI_NS})
    root.set("version", "3.0")
    root.set(
        _q(XSI_NS, "schemaLocation"),
        _schema_location([(PREMIS_NS, "premis-v3-0.xsd")], "../../schemas/"),
    )

    def sub(parent, name: str, text: str | None = None):
        element = etree.SubElement(parent, _q(PREMIS_NS, name))
        if text is not None:
            element.text = text
        return element

    settings = document.generator.get("settings", {})
    language = str(settings.get("lang", "swe"))
    ocr_pages = [p.number for p in document.pages if p.source == "ocr"]
    layer_pages = [p.number for p in document.pages if p.source == "text-layer"]
    failed = document.failed_pages
    applied = sum(1 for c in document.corrections if c.applied)
    master = files[0].path
    access = files[1].path
    text_files = [f.path for f in files[2:]]

    tesseract = _tesseract_version()
    agents = {
        "plandigit": ("software", "plandigit", __version__),
        "tesseract": ("software", "Tesseract OCR", tesseract),
        "ocrmypdf": ("software", "OCRmyPDF", ocrmypdf.__version__),
        "pikepdf": ("software", "pikepdf", pikepdf.__version__),
        "organisation": ("organization", config.organisation, None),
    }
    events = []

    def event(kind, detail, outcome, sources, outcomes, agent_roles, note=None):
        events.append(
            (
                f"event-{len(events) + 1}",
                kind,
                detail,
                outcome,
                sources,
                outcomes,
                agent_roles,
                note,
            )
        )

    if ocr_pages or layer_pages:
        detail = (
            f"Text read from {len(document.pages)} pages: OCR by Tesseract "
            f"{tesseract or '(version unknown)'}, language "
            f"{language}, at {settings.get('dpi', '?')} dpi on pages {_ranges(ocr_pages)}; "
            f"the PDF's own text layer on pages {_ranges(layer_pages)}"
        )
        event(
            "extraction",
            detail,
            "success" if not failed else "partial success",
            [master],
            [text_files[0]],
            [("plandigit", "executing program"), ("tesseract", "executing program")],
            f"failed pages: {_ranges(failed)}" if failed else None,
        )
    event(
        "modification",
        "Correction of Swedish diacritics and OCR errors in the text; correction data and "
        f"settings fingerprint {document.generator.get('fingerprint', 'unknown')}",
        "success",
        [text_files[0]],
        [text_files[1], text_files[2]],
        [("plandigit", "executing program")],
        f"{applied} corrections applied, {len(document.corrections) - applied} suggested",
    )
    event(
        "normalization",
        f"PDF/A-{pdfa.flavour} access copy; invisible text layer with the corrected words at "
        f"their positions on pages {_ranges(list(pdfa.layered_pages))}; {pdfa.converter}",
        "success",
        [master, text_files[3]],
        [access],
        [
            ("plandigit", "executing program"),
            ("ocrmypdf", "executing program"),
            ("pikepdf", "executing program"),
        ],
    )
    event(
        "validation",
        f"PDF/A-{pdfa.flavour} conformance check of the access copy by {pdfa.validator}",
        pdfa.validation,
        [access],
        [],
        [("pikepdf", "validator")],
    )
    event(
        "message digest calculation",
        "SHA-256 of every file of the package, recorded here and in the METS files",
        "success",
        [f.path for f in files],
        [],
        [("plandigit", "executing program")],
    )
    event(
        "information package creation",
        "E-ARK SIP 2.1.0 (FGS Paketstruktur 2.0) built by plandigit",
        "success",
        [f.path for f in files],
        [],
        [("plandigit", "executing program"), ("organisation", "submitter")],
    )

    links: dict[str, list[str]] = {}
    for event_id, *_, sources, outcomes, _roles, _note in events:
        for path in [*sources, *outcomes]:
            links.setdefault(path, []).append(event_id)

    for item in files:
        obj = sub(root, "object")
        obj.set(_q(XSI_NS, "type"), "premis:file")
        identifier = sub(obj, "objectIdentifier")
        sub(identifier, "objectIdentifierType", "local")
        sub(identifier, "objectIdentifierValue", item.path)
        characteristics = sub(obj, "objectCharacteristics")
        sub(characteristics, "compositionLevel", "0")
        fixity = sub(characteristics, "fixity")
        sub(fixity, "messageDigestAlgorithm", "SHA-256")
        sub(fixity, "messageDigest", item.sha256)
        sub(fixity, "messageDigestOriginator", "plandigit")
        sub(characteristics, "size", str(item.size))
        file_format = sub(characteristics, "format")
        designation = sub(file_format, "formatDesignation")
        sub(designation, "formatName", item.format.name)
        if item.format.version:
            sub(designation, "formatVersion", item.format.version)
        if item.format.puid:
            registry = sub(file_format, "formatRegistry")
            sub(registry, "formatRegistryName", "PRONOM")
            sub(registry, "formatRegistryKey", item.format.puid)
        if item.path == master:
            sub(obj, "originalName", Path(document.source.file).name)
        else:
            relationship = sub(obj, "relationship")
            sub(relationship, "relationshipType", "derivation")
            sub(relationship, "relationshipSubType", "has source")
            related = sub(relationship, "relatedObjectIdentifier")
            sub(related, "relatedObjectIdentifierType", "local")
            sub(related, "relatedObjectIdentifierValue", master)
        for event_id in links.get(item.path, []):
            linking = sub(obj, "linkingEventIdentifier")
            sub(linking, "linkingEventIdentifierType", "local")
            sub(linking, "linkingEventIdentifierValue", event_id)

    for event_id, kind, detail, outcome, sources, outcomes, roles, note in events:
        element = sub(root, "event")
        identifier = sub(element, "eventIdentifier")
        sub(identifier, "eventIdentifierType", "local")
        sub(identifier, "eventIdentifierValue", event_id)
        sub(element, "eventType", kind)
        sub(element, "eventDateTime", now)
        sub(sub(element, "eventDetailInformation"), "eventDetail", detail)
        outcome_information = sub(element, "eventOutcomeInformation")
        sub(outcome_information, "eventOutcome", outcome)
        if note:
            sub(sub(outcome_information, "eventOutcomeDetail"), "eventOutcomeDetailNote", note)
        for agent_key, role in roles:
            linking = sub(element, "linkingAgentIdentifier")
            sub(linking, "linkingAgentIdentifierType", "local")
            sub(linking, "linkingAgentIdentifierValue", f"agent-{agent_key}")
            sub(linking, "linkingAgentRole", role)
        for path, role in [(p, "source") for p in sources] + [(p, "outcome") for p in outcomes]:
            linking = sub(element, "linkingObjectIdentifier")
            sub(linking, "linkingObjectIdentifierType", "local")
            sub(linking, "linkingObjectIdentifierValue", path)
            sub(linking, "linkingObjectRole", role)

    for key, (agent_type, name, version) in agents.items():
        agent = sub(root, "agent")
        identifier = sub(agent, "agentIdentifier")
        sub(identifier, "agentIdentifierType", "local")
        sub(identifier, "agentIdentifierValue", f"agent-{key}")
        sub(agent, "agentName", name)
        sub(agent, "agentType", agent_type)
        if version:
            sub(agent, "agentVersion", version)
        if key == "organisation":
            sub(agent, "agentNote", f"organisationsnummer {config.organisation_number}")
    return root


def _tesseract_version() -> str | None:
    """The installed tesseract's version (its --version; no OCR is run)."""
    import pytesseract

    try:
        return str(pytesseract.get_tesseract_version())
    except (pytesseract.TesseractNotFoundError, OSError):
        return None


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> "1-3, 5"; "none" for an empty list."""
    if not numbers:
        return "none"
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


# --- documentation -------------------------------------------------------------------------


def _documentation(
    objid: str, stem: str, document: Document, config: PackageConfig, pdfa: PdfaResult
) -> str:
    example = (
        "\nNOTE: built with the EXAMPLE configuration; the submission metadata are not real.\n"
        if config.example
        else ""
    )
    return f"""Archival package {objid}
E-ARK SIP 2.1.0 / FGS Paketstruktur 2.0, built by plandigit {__version__}.
{example}
Document: {document.title or stem} ({document.kind}, {document.year or "year unknown"})
Submitted by: {config.organisation} ({config.organisation_number})
Reference code: {config.reference_code}
Submission agreement: {config.submission_agreement}

Contents
  METS.xml                              package METS: files, checksums, structure
  metadata/descriptive/dc.xml           Dublin Core description
  metadata/preservation/premis.xml      PREMIS: file fixity and formats, processing events
  representations/master/data/{stem}.pdf
                                        the PDF as received (preservation master)
  representations/access/data/{stem}.pdf
                                        PDF/A-{pdfa.flavour} access copy; its invisible text layer
                                        holds the corrected text at each word's position
  representations/text/data/{stem}.ocr.txt        text as read (OCR or text layer)
  representations/text/data/{stem}.txt            corrected text
  representations/text/data/{stem}.corrections.json
                                        every correction: page, line, offset, before/after
  representations/text/data/{stem}.json           the full document data (plandigit JSON)
  schemas/                              XML schemas referenced by the XML files

Pages are separated by form feeds in the text files. Every file except the package
METS.xml carries a SHA-256 checksum in a METS file; `plandigit package --verify DIR`
recomputes them.
"""


# --- checks --------------------------------------------------------------------------------


def _schema(names: Iterable[str]) -> etree.XMLSchema:
    """A schema importing the project's copies (xlink first: mets.xsd imports it by URL)."""
    folder = schemas_dir() / "xml"
    imports = []
    for name in names:
        target = etree.parse(str(folder / name)).getroot().get("targetNamespace")
        imports.append(
            f'<xs:import namespace="{target}" schemaLocation="{(folder / name).as_uri()}"/>'
        )
    wrapper = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        + "".join(imports)
        + "</xs:schema>"
    )
    return etree.XMLSchema(etree.fromstring(wrapper.encode()))


_SCHEMAS: dict[str, etree.XMLSchema] = {}


def _schema_for(kind: str) -> etree.XMLSchema:
    if kind not in _SCHEMAS:
        _SCHEMAS[kind] = _schema(
            {
                "mets": (
                    "xml.xsd",
                    "xlink.xsd",
                    "mets.xsd",
                    "DILCISExtensionMETS.xsd",
                    "DILCISExtensionSIPMETS.xsd",
                ),
                "premis": ("premis-v3-0.xsd",),
                "dc": ("xml.xsd", "dc.xsd", "oai_dc.xsd"),
            }[kind]
        )
    return _SCHEMAS[kind]


def check_xml(package: Path) -> list[str]:
    """Schema problems of the package's METS, PREMIS and Dublin Core files."""
    targets = [("mets", package / "METS.xml")]
    targets += [("mets", p) for p in sorted(package.glob("representations/*/METS.xml"))]
    targets += [
        ("premis", package / "metadata/preservation/premis.xml"),
        ("dc", package / "metadata/descriptive/dc.xml"),
    ]
    problems = []
    for kind, path in targets:
        name = path.relative_to(package).as_posix()
        try:
            tree = etree.parse(str(path))
        except (OSError, etree.XMLSyntaxError) as exc:
            problems.append(f"{name}: not readable XML ({exc})")
            continue
        schema = _schema_for(kind)
        if not schema.validate(tree):
            error = schema.error_log.last_error
            problems.append(f"{name}: line {error.line}: {error.message}")
    return problems


@dataclass(frozen=True)
class _Listed:
    path: str  # relative to the package root
    size: int | None
    checksum: str | None
    algorithm: str | None
    listed_in: str


def _listed_files(package: Path, mets_path: Path, problems: list[str]) -> list[_Listed]:
    """Every file and metadata reference of one METS file, paths made package-relative."""
    name = mets_path.relative_to(package).as_posix()
    try:
        tree = etree.parse(str(mets_path))
    except (OSError, etree.XMLSyntaxError) as exc:
        problems.append(f"{name}: not readable XML ({exc})")
        return []
    base = PurePosixPath(name).parent
    listed = []
    for element in tree.iter(_q(METS_NS, "file"), _q(METS_NS, "mdRef")):
        location = (
            element if element.tag == _q(METS_NS, "mdRef") else element.find(_q(METS_NS, "FLocat"))
        )
        href = location.get(_q(XLINK_NS, "href")) if location is not None else None
        if not href:
            problems.append(f"{name}: a file entry has no location")
            continue
        relative = PurePosixPath(os.path.normpath(str(base / unquote(href))))
        if relative.is_absolute() or relative.parts[:1] == ("..",):
            problems.append(f"{name}: {href} points outside the package")
            continue
        size = element.get("SIZE")
        listed.append(
            _Listed(
                relative.as_posix(),
                int(size) if size and size.isdigit() else None,
                element.get("CHECKSUM"),
                element.get("CHECKSUMTYPE"),
                name,
            )
        )
    return listed


_ALGORITHMS = {"SHA-256": "sha256", "SHA-512": "sha512", "SHA-1": "sha1", "MD5": "md5"}


def verify(package: Path) -> list[str]:
    """Everything wrong with a package: structure, schemas, and the fixity of every file
    listed in its METS files (size and checksum recomputed). Empty when it is intact."""
    package = Path(package)
    if not (package / "METS.xml").is_file():
        return [f"{package}: no METS.xml: not a package"]
    problems: list[str] = []
    for folder in ("metadata", "representations", "schemas"):
        if not (package / folder).is_dir():
            problems.append(f"missing folder {folder}/")
    for representation in sorted(p for p in (package / "representations").glob("*") if p.is_dir()):
        if not (representation / "data").is_dir():
            problems.append(f"missing folder {representation.relative_to(package)}/data/")
    problems += check_xml(package)

    listed = _listed_files(package, package / "METS.xml", problems)
    for mets in sorted(package.glob("representations/*/METS.xml")):
        listed += _listed_files(package, mets, problems)
    seen = set()
    for item in listed:
        seen.add(item.path)
        path = package / item.path
        if not path.is_file():
            problems.append(f"{item.path}: missing (listed in {item.listed_in})")
            continue
        size = path.stat().st_size
        if item.size is not None and size != item.size:
            problems.append(f"{item.path}: size {size} bytes, {item.listed_in} says {item.size}")
        algorithm = _ALGORITHMS.get(item.algorithm or "")
        if algorithm is None or not item.checksum:
            problems.append(f"{item.path}: no usable checksum in {item.listed_in}")
            continue
        digest = hashlib.new(algorithm)
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != item.checksum.lower():
            problems.append(f"{item.path}: {item.algorithm} checksum differs from {item.listed_in}")
    for path in sorted(p for p in package.rglob("*") if p.is_file()):
        relative = path.relative_to(package).as_posix()
        if relative != "METS.xml" and relative not in seen:
            problems.append(f"{relative}: not listed in any METS file")
    return problems


def verify_or_raise(package: Path) -> None:
    """`verify`, as an error for the CLI: PackageInvalidError with the first problem."""
    problems = verify(package)
    if problems:
        extra = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise PackageInvalidError(f"{problems[0]}{extra}", str(package))


@dataclass
class PackageResult:
    """Outcome of packaging one input: the package folder, or the error."""

    path: str
    package: Path | None = None
    error: PlandigitError | None = None


def package_documents(
    pdfs: Iterable[str | os.PathLike[str]],
    outdir: Path,
    config: PackageConfig,
    settings: Settings,
    executor: Executor,
    flavour: PdfaFlavour = "2b",
) -> Iterator[PackageResult]:
    """Process each PDF (all pages on one executor) and package it as soon as it is read.

    A failing document yields its error and never stops the others.
    """
    for result in run_documents(pdfs, settings, executor):
        if result.error is not None or result.document is None:
            yield PackageResult(result.path, error=result.error)
            continue
        try:
            folder = build_package(Path(result.path), result.document, outdir, config, flavour)
        except PlandigitError as exc:
            yield PackageResult(result.path, error=exc)
        else:
            yield PackageResult(result.path, package=folder)
