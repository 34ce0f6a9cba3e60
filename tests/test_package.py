"""Archival packages: E-ARK SIP structure checked by eark-validator, XML against the
schemas, fixity verification, configuration, and never-half-written packages."""

from __future__ import annotations

import shutil
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from pipeline import package as package_module
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.errors import ConfigError, ExitCode, InputFileError
from pipeline.package import build_package, check_xml, package_id, verify
from pipeline.process import sha256_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
EXAMPLE_CONFIG = SAMPLES / "plandigit.example.toml"
VOCABULARIES = ROOT / "schemas" / "xml" / "vocabularies"
VOCABULARY_URL = "https://earkcsip.dilcis.eu/schema/"
STEMS = ("legacy-ocr", "verksamhetsplan-2024")
NS = {
    "mets": "http://www.loc.gov/METS/",
    "premis": "http://www.loc.gov/premis/v3",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xlink": "http://www.w3.org/1999/xlink",
}


def eark_validator():
    """eark_validator.packages, imported with its four vocabulary downloads served from
    the project's copies (and any other URL refused), so it runs without network."""
    module = "eark_validator.ipxml.schematron"
    if module not in sys.modules:
        real = urllib.request.urlopen

        def local(url, *args, **kwargs):
            url = getattr(url, "full_url", url)
            name = url.removeprefix(VOCABULARY_URL)
            if url.startswith(VOCABULARY_URL) and (VOCABULARIES / name).is_file():
                return open(VOCABULARIES / name, "rb")
            raise urllib.error.URLError(f"no network in tests: {url}")

        urllib.request.urlopen = local
        try:
            __import__(module)
        finally:
            urllib.request.urlopen = real
    import eark_validator.packages

    return eark_validator.packages


@pytest.fixture(scope="module")
def config():
    return load_config(EXAMPLE_CONFIG)


@pytest.fixture(scope="module")
def packages(processed, config, tmp_path_factory) -> dict[str, Path]:
    outdir = tmp_path_factory.mktemp("packages")
    return {
        stem: build_package(SAMPLES / f"{stem}.pdf", processed(stem), outdir, config)
        for stem in STEMS
    }


@pytest.mark.parametrize("stem", STEMS)
def test_eark_validator_finds_only_the_known_defect(packages, stem):
    from eark_validator.specifications.specification import SpecificationVersion

    report = (
        eark_validator()
        .PackageValidator(packages[stem], SpecificationVersion.V2_1_0)
        .validation_report
    )
    assert report.structure.status.value == "WellFormed"
    assert report.metadata.schema_results.status.value == "VALID"
    errors = [
        m.rule_id
        for m in report.metadata.schematron_results.messages
        if m.severity.value == "Error"
    ]
    # eark-validator 1.1.3 flags the software agent's SOFTWARE VERSION note (SIP14) on
    # every SIP (see schemas/xml/README.md); nothing else may be an error.
    assert errors == ["SIP14"]


@pytest.mark.parametrize("stem", STEMS)
def test_package_layout_and_metadata(packages, processed, stem):
    folder = packages[stem]
    document = processed(stem)
    assert folder.name == package_id(sha256_file(SAMPLES / f"{stem}.pdf"))
    assert check_xml(folder) == []
    assert verify(folder) == []
    data = folder / "representations"
    assert (data / "master/data" / f"{stem}.pdf").read_bytes() == (
        SAMPLES / f"{stem}.pdf"
    ).read_bytes()
    assert (data / "text/data" / f"{stem}.txt").read_text(encoding="utf-8") == document.text + "\n"
    for name in ("ocr.txt", "corrections.json", "json"):
        assert (data / "text/data" / f"{stem}.{name}").is_file()

    mets = etree.parse(str(folder / "METS.xml"))
    root = mets.getroot()
    assert root.get("OBJID") == folder.name
    assert root.get("PROFILE") == "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
    header = root.find("mets:metsHdr", NS)
    assert header.get("{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}OAISPACKAGETYPE") == "SIP"
    agents = {a.get("ROLE"): a.findtext("mets:name", namespaces=NS) for a in header}
    assert agents["CREATOR"] == "plandigit"
    assert agents["ARCHIVIST"] == "Exempelkommunen (EXEMPEL)"
    records = {r.get("TYPE"): r.text for r in header.findall("mets:altRecordID", NS)}
    assert records == {
        "SUBMISSIONAGREEMENT": "EXEMPEL-LEVERANSOVERENSKOMMELSE-2024",
        "REFERENCECODE": "EXEMPEL-REF-0001",
    }

    dc = etree.parse(str(folder / "metadata/descriptive/dc.xml"))
    values = {}
    for element in dc.getroot():
        values.setdefault(etree.QName(element).localname, []).append(element.text)
    assert values["language"] == ["swe"]
    assert document.kind in values["type"]
    assert values["creator"] == ["Södertörnskommunernas samarbetskommitté (EXEMPEL)"]
    if document.title:
        assert values["title"] == [document.title]
    if document.year:
        assert values["date"] == [str(document.year)]

    premis = etree.parse(str(folder / "metadata/preservation/premis.xml"))
    events = {
        e.findtext("premis:eventType", namespaces=NS) for e in premis.iterfind("premis:event", NS)
    }
    assert {
        "modification",
        "normalization",
        "validation",
        "message digest calculation",
        "information package creation",
    } <= events
    digests = {
        o.findtext(
            "premis:objectIdentifier/premis:objectIdentifierValue", namespaces=NS
        ): o.findtext(".//premis:messageDigest", namespaces=NS)
        for o in premis.iterfind("premis:object", NS)
    }
    for path, digest in digests.items():
        assert sha256_file(folder / path) == digest
    if any(p.source == "ocr" for p in document.pages):
        ocr = next(
            e
            for e in premis.iterfind("premis:event", NS)
            if e.findtext("premis:eventType", namespaces=NS) == "extraction"
        )
        assert "Tesseract" in ocr.findtext(".//premis:eventDetail", namespaces=NS)
        agents = [
            a.findtext("premis:agentName", namespaces=NS)
            for a in premis.iterfind("premis:agent", NS)
        ]
        assert "Tesseract OCR" in agents


def test_rerun_replaces_the_same_package(packages, processed, config):
    folder = packages["verksamhetsplan-2024"]
    again = build_package(
        SAMPLES / "verksamhetsplan-2024.pdf",
        processed("verksamhetsplan-2024"),
        folder.parent,
        config,
    )
    assert again == folder
    assert sorted(p.name for p in folder.parent.iterdir()) == sorted(
        p.name for p in packages.values()
    )
    assert verify(again) == []


def _flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.fixture
def copy_of_package(packages, tmp_path) -> Path:
    folder = packages["legacy-ocr"]
    target = tmp_path / folder.name
    shutil.copytree(folder, target)
    return target


@pytest.mark.parametrize(
    "relative",
    [
        "representations/master/data/legacy-ocr.pdf",
        "representations/access/data/legacy-ocr.pdf",
        "representations/text/data/legacy-ocr.txt",
        "representations/text/data/legacy-ocr.ocr.txt",
        "representations/text/data/legacy-ocr.json",
        "representations/text/data/legacy-ocr.corrections.json",
        "representations/text/METS.xml",
        "metadata/descriptive/dc.xml",
        "metadata/preservation/premis.xml",
        "documentation/README.txt",
        "schemas/mets.xsd",
    ],
)
def test_verify_catches_a_changed_byte(copy_of_package, relative):
    _flip_byte(copy_of_package / relative)
    problems = verify(copy_of_package)
    assert any(p.startswith(relative) for p in problems), problems


def test_verify_catches_a_changed_checksum_in_the_package_mets(copy_of_package):
    mets = copy_of_package / "METS.xml"
    tree = etree.parse(str(mets))
    ref = tree.find(".//mets:mdRef", NS)
    ref.set(
        "CHECKSUM",
        ref.get("CHECKSUM").replace(ref.get("CHECKSUM")[0], "0", 1)
        if ref.get("CHECKSUM")[0] != "0"
        else "1" + ref.get("CHECKSUM")[1:],
    )
    tree.write(str(mets), xml_declaration=True, encoding="UTF-8")
    problems = verify(copy_of_package)
    assert any("checksum differs" in p for p in problems), problems


def test_verify_catches_missing_and_extra_files(copy_of_package):
    (copy_of_package / "representations/access/data/legacy-ocr.pdf").unlink()
    (copy_of_package / "representations/text/data/stray.txt").write_text("x")
    problems = verify(copy_of_package)
    assert (
        "representations/access/data/legacy-ocr.pdf: missing (listed in "
        "representations/access/METS.xml)" in problems
    )
    assert "representations/text/data/stray.txt: not listed in any METS file" in problems


def test_cli_verify_reports_and_exits_package_invalid(packages, copy_of_package):
    runner = CliRunner()
    good = runner.invoke(main, ["package", "--verify", str(packages["verksamhetsplan-2024"])])
    assert good.exit_code == 0, good.output
    assert good.output.strip().endswith(": ok")
    _flip_byte(copy_of_package / "metadata/descriptive/dc.xml")
    bad = runner.invoke(main, ["package", "--verify", str(copy_of_package)])
    assert bad.exit_code == ExitCode.package_invalid
    assert "metadata/descriptive/dc.xml: SHA-256 checksum differs" in bad.output


def test_failed_build_leaves_nothing_and_keeps_the_old_package(
    packages, processed, config, monkeypatch
):
    folder = packages["legacy-ocr"]
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))

    def broken(*args, **kwargs):
        raise InputFileError("injected failure", "legacy-ocr.pdf")

    monkeypatch.setattr(package_module, "make_access_copy", broken)
    with pytest.raises(InputFileError, match="injected failure"):
        build_package(SAMPLES / "legacy-ocr.pdf", processed("legacy-ocr"), folder.parent, config)
    assert sorted(p.name for p in folder.parent.iterdir()) == sorted(
        p.name for p in packages.values()
    )
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before
    assert verify(folder) == []


def test_document_from_another_pdf_is_refused(processed, config, tmp_path):
    with pytest.raises(InputFileError, match="different file"):
        build_package(
            SAMPLES / "verksamhetsplan-2024.pdf", processed("legacy-ocr"), tmp_path, config
        )
    assert list(tmp_path.iterdir()) == []


# --- configuration -------------------------------------------------------------------------


def test_example_config_is_marked_as_example(config):
    assert config.example is True
    assert config.organisation_number == "555555-5555"


def test_config_from_working_directory(tmp_path):
    (tmp_path / "plandigit.toml").write_text(
        EXAMPLE_CONFIG.read_text(encoding="utf-8").replace("example = true", "example = false"),
        encoding="utf-8",
    )
    config = load_config(cwd=tmp_path)
    assert config.example is False
    assert config.source == str(tmp_path / "plandigit.toml")


@pytest.mark.parametrize(
    "change, message",
    [
        ('reference_code = "EXEMPEL-REF-0001"\n', "missing or empty key package.reference_code"),
        ('organisation_number = "555555-5555"', "555555-5556"),
        ("[package]", "missing table [package]"),
        ('organisation = "', "not valid TOML"),
    ],
)
def test_config_errors_name_file_and_key(tmp_path, change, message):
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    replacement = {
        'organisation_number = "555555-5555"': 'organisation_number = "555555-5556"',
        "[package]": "[paket]",
        'organisation = "': 'organisation = "unterminated\n',
    }.get(change, "")
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(change, replacement, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)


def test_cli_without_config_fails_before_any_work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main, ["package", str(SAMPLES / "legacy-ocr.pdf"), "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == ExitCode.config_error
    assert "plandigit.toml" in result.output
    assert not (tmp_path / "out").exists()
