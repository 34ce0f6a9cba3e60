"""JSON Schema validation of everything plandigit writes (schemas/*.schema.json)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InvalidOutputError
from .resources import schemas_dir

if TYPE_CHECKING:  # imported when first needed: jsonschema is 0.05 s of start-up
    from jsonschema import Draft202012Validator
    from referencing import Registry


@dataclass(frozen=True)
class Violation:
    path: str  # JSON path, e.g. $.pages[0].lines[3].bbox
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@cache
def _registry() -> tuple[Registry, dict[str, dict]]:
    from referencing import Registry, Resource

    schemas = {}
    for path in sorted(schemas_dir().glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        schemas[path.name.removesuffix(".schema.json")] = schema
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in schemas.values()
    )
    return registry, schemas


def _inline(node: Any, resolver: Any, seen: tuple[str, ...] = ()) -> Any:
    """The schema with each $ref replaced by what it points to: validating a document's
    thousands of words then needs no reference lookups (a quarter of the time). A
    recursive $ref is kept as it is. `resolver` is a referencing Resolver."""
    if isinstance(node, list):
        return [_inline(item, resolver, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if ref is None or ref in seen:
        return {key: _inline(value, resolver, seen) for key, value in node.items()}
    target = resolver.lookup(ref)
    inlined = _inline(target.contents, target.resolver, (*seen, ref))
    rest = {key: _inline(value, resolver, seen) for key, value in node.items() if key != "$ref"}
    return {**rest, "allOf": [*rest.get("allOf", []), inlined]} if rest else inlined


@cache
def validator(name: str) -> Draft202012Validator:
    """Validator for ``schemas/<name>.schema.json`` (document, action, clause, diff, ...)."""
    from jsonschema import Draft202012Validator

    registry, schemas = _registry()
    schema = schemas[name]
    return Draft202012Validator(
        _inline(schema, registry.resolver(schema["$id"])), registry=registry
    )


def violations(data: Any, name: str = "document") -> list[Violation]:
    errors = sorted(validator(name).iter_errors(data), key=lambda e: list(e.absolute_path))
    return [Violation(e.json_path, e.message) for e in errors]


def file_violations(path: str | os.PathLike[str], name: str = "document") -> list[Violation]:
    """Violations of a JSON file (an unreadable or non-JSON file is one violation at $)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [Violation("$", f"not a readable JSON file ({exc})")]
    return violations(data, name)


def check(data: Any, name: str = "document", what: str | None = None) -> None:
    """Raise InvalidOutputError naming the first violations; called before every write."""
    found = violations(data, name)
    if found:
        shown = "; ".join(str(v) for v in found[:3])
        more = f" (+{len(found) - 3} more)" if len(found) > 3 else ""
        raise InvalidOutputError(f"output fails {name} schema: {shown}{more}", what)
