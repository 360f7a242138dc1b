"""Reading a study file: YAML with the line of every key, validated against :mod:`.schema`.

:func:`load_study` returns a :class:`~study.questionnaire.schema.Study` or raises a
:class:`~study.questionnaire.schema.StudyError` whose message names the file, the key path and the line of
every problem, so that the user can fix the file without a traceback.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from .schema import Study, StudyError, _hint


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping key, for error messages."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False):
    loader.flatten_mapping(node)  # YAML merge keys (<<: *anchor), as yaml.SafeLoader does
    mapping = {}
    lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a single word or number, not a list or mapping",
                key_node.start_mark) from None
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} appears twice in the same mapping (first on line {lines[key]}); "
                "keep one", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=deep)
        lines[key] = key_node.start_mark.line + 1
    loader.key_lines[id(mapping)] = (mapping, lines, node.start_mark.line + 1)
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line_of(document, loc: tuple, key_lines: dict) -> int | None:
    """The line of the deepest key of ``loc`` that exists in the parsed document."""
    node, line = document, None
    for part in loc:
        entry = key_lines.get(id(node))
        if isinstance(node, dict) and part in node:
            if entry:
                line = entry[1].get(part, line)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            entry = key_lines.get(id(node))
            if entry:
                line = entry[2]
        else:
            break
    return line


def _known_keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items() if name != "path"]


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The schema class whose keys are expected at ``loc`` (for did-you-mean hints)."""
    model: type[BaseModel] | None = Study
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return None
        model = _inner_model(field.annotation)
    return model


def _inner_model(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found:
            return found
    return None


def load_study(path: str | Path) -> Study:
    """Read and validate a study file.

    Parameters
    ----------
    path : str or Path
        The YAML study file.

    Returns
    -------
    Study

    Raises
    ------
    StudyError
        With every problem found, each naming the file, the key path and the line.
    """
    path = Path(path)
    if not path.is_file():
        raise StudyError(f"{path}: study file not found. Give the path of a YAML study file, "
                         "e.g. questionnaires/ecommerce_loyalty.yaml")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StudyError(f"{path}: the study file is not UTF-8 text ({exc.reason}); save it as UTF-8") from None
    except OSError as exc:
        raise StudyError(f"{path}: cannot read the study file ({exc.strerror or exc})") from None
    loader = None
    try:
        loader = _LineLoader(text)  # the reader already rejects control characters here
        loader.key_lines = {}
        document = loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        before = text[:exc.position]
        where = f", line {before.count(chr(10)) + 1}, column {len(before) - before.rfind(chr(10))}"
        raise StudyError(f"{path}{where}: the file contains the control character {chr(exc.character)!r}, "
                         "which YAML does not allow; delete it") from None
    except RecursionError:
        raise StudyError(f"{path}{_deep_nesting(text)}: the file nests lists or mappings too deeply for a study file "
                         f"(more than {_MAX_DEPTH} levels); check the brackets and the indentation there") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise StudyError(f"{path}{where}: the file is not valid YAML: {problem}") from None
    finally:
        if loader is not None:
            loader.dispose()
    if not isinstance(document, dict):
        found = ("an empty file" if document is None else "a list" if isinstance(document, list)
                 else f"a single value ({document!r:.40})")
        raise StudyError(f"{path}: expected a mapping with the keys study, data, scale, constructs and model "
                         f"(see questionnaires/ecommerce_loyalty.yaml); found {found}")
    control = _control_character(document)
    if control is not None:
        loc, char = control
        line = _line_of(document, loc, loader.key_lines)
        where = f"{path}, line {line}" if line else str(path)
        raise StudyError(f"{where}: {'.'.join(map(str, loc))}: the text contains the control character "
                         f"U+{ord(char):04X} (written as an escape such as \\x{ord(char):02x}), which the report cannot "
                         "show; delete it")
    try:
        study = Study.model_validate(document)
    except ValidationError as exc:
        raise StudyError(_format_errors(path, exc, document, loader.key_lines)) from None
    return study.model_copy(update={"path": path.resolve()})


_MAX_DEPTH = 50
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _deep_nesting(text: str) -> str:
    """', line N' where the YAML first nests deeper than _MAX_DEPTH (found by the event parser, which does
    not recurse), or ''."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > _MAX_DEPTH:
                    return f", line {event.start_mark.line + 1}"
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except (yaml.YAMLError, RecursionError):
        pass
    return ""


def _control_character(node, loc: tuple = ()):
    """(key path, character) of the first text that holds a control character (tab, newline and carriage
    return aside): YAML's escapes ("\\x01") let them through, and the Word and Excel files cannot hold them."""
    if isinstance(node, str):
        found = _CONTROL.search(node)
        return (loc, found.group()) if found else None
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        if isinstance(key, str) and (found := _CONTROL.search(key)):
            return (*loc, key), found.group()
        inner = _control_character(value, (*loc, key))
        if inner is not None:
            return inner
    return None


def _format_errors(path: Path, exc: ValidationError, document, key_lines) -> str:
    messages = []
    errors = []
    for error in exc.errors():
        if error["type"] == "study_references":  # cross-reference problems, each with its own key path
            errors += [{"type": "reference", "loc": loc, "msg": msg} for loc, msg in error["ctx"]["problems"]]
        else:
            errors.append(error)
    for error in errors:
        loc = tuple(error["loc"])
        key = ".".join(str(p) for p in loc) or "(top level)"
        line = _line_of(document, loc, key_lines)
        where = f"{path}, line {line}" if line else str(path)
        if error["type"] == "extra_forbidden":
            parent = _model_at(loc[:-1])
            hint = _hint(str(loc[-1]), _known_keys(parent)) if parent else ""
            msg = f"unknown key{hint}"
        elif error["type"] == "missing":
            msg = "required key is missing"
        else:
            msg = error["msg"].removeprefix("Value error, ")
            value = error.get("input")
            if error["type"] == "string_type" and isinstance(value, (bool, int, float, datetime.date)):
                msg += f" (YAML read {value} as a {type(value).__name__}; put it in quotes)"
        messages.append(f"{where}: {key}: {msg}")
    head = f"{path}: the study file has {len(messages)} problem(s):" if len(messages) > 1 else ""
    return "\n".join([head, *messages] if head else messages)


def study_json_schema() -> dict:
    """The study file's JSON Schema, for editors that complete and check YAML files
    (``python analysis.py --schema > study.schema.json``)."""
    schema = Study.model_json_schema(by_alias=True)
    schema["properties"].pop("path", None)  # set by the loader, not written in a study file
    schema["title"] = "Satisfaction-loyalty study file (loyalty-study)"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def key_line(path: str | Path, loc: tuple) -> int | None:
    """The line of a key path in a study file (for problems found after loading, e.g. when the data are
    analysed); None if the file cannot be read again or has no such key."""
    try:
        loader = _LineLoader(Path(path).read_text(encoding="utf-8-sig"))
        loader.key_lines = {}
        try:
            document = loader.get_single_data()
        finally:
            loader.dispose()
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return _line_of(document, tuple(loc), loader.key_lines)
