"""Every way plandigit can fail, each with its own exit code (in the spirit of OCRmyPDF).

Only the CLI turns these into a message and an exit status; library code raises them.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit statuses of the `plandigit` command; documented in README.md."""

    ok = 0
    other_error = 1
    bad_args = 2  # click's own status for usage errors
    input_file = 3  # not a PDF, truncated or corrupt
    encrypted_pdf = 4
    empty_pdf = 5  # zero pages
    image_too_large = 6  # decompression-bomb guard
    missing_dependency = 7  # tesseract or its language data missing
    invalid_output = 8  # a JSON document fails its schema
    some_failed = 9  # batch: at least one document failed
    package_invalid = 10  # an archival package fails verification
    config_error = 11  # package metadata missing or malformed
    pages_failed = 12  # output written, but some pages failed (OCR timeout, tesseract error)


class PlandigitError(Exception):
    """Base class: a one-line, user-facing message plus an exit code."""

    exit_code: ExitCode = ExitCode.other_error

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class BadArgsError(PlandigitError):
    exit_code = ExitCode.bad_args


class InputFileError(PlandigitError):
    exit_code = ExitCode.input_file


class EncryptedPdfError(PlandigitError):
    exit_code = ExitCode.encrypted_pdf


class EmptyPdfError(PlandigitError):
    exit_code = ExitCode.empty_pdf


class ImageTooLargeError(PlandigitError):
    exit_code = ExitCode.image_too_large


class MissingDependencyError(PlandigitError):
    exit_code = ExitCode.missing_dependency


class InvalidOutputError(PlandigitError):
    exit_code = ExitCode.invalid_output


class PackageInvalidError(PlandigitError):
    exit_code = ExitCode.package_invalid


class ConfigError(PlandigitError):
    exit_code = ExitCode.config_error


class PageTimeoutError(PlandigitError):
    """A page's OCR ran past the per-page timeout; the page fails, the document goes on."""

    exit_code = ExitCode.pages_failed


class OcrFailedError(PlandigitError):
    """tesseract failed on one page; the page fails, the document goes on."""

    exit_code = ExitCode.pages_failed
