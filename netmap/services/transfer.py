"""Export everything to JSON, import it back all or nothing, GraphML, backup and restore.

The export file is the graph itself: nodes by label and relationships by type, each with its
properties. An import validates the whole file first (every record through its schema, every
reference resolvable, no id already in use) and only then writes, as one atomic unit.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

from marshmallow import EXCLUDE, ValidationError

from ..files import open_private
from ..export_format import (FORMAT, FORMAT_VERSION, SAFE_NAME, SECRET_FIELDS, SECRET_LABELS,
                             node_key)
from ..schemas import ConnectionFieldsSchema, PersonSchema, YoungPersonSchema
from ..schemas.records import RECORD_SCHEMAS, generic_problems
from .errors import InvalidInput
from .validation import flatten

# Domain records in an export are checked with the same schemas as the API.
NODE_SCHEMAS = {"YoungPerson": YoungPersonSchema, "Person": PersonSchema, **RECORD_SCHEMAS}
RELATIONSHIP_SCHEMAS = {"CONNECTED": ConnectionFieldsSchema}
# Properties the store adds that the input schemas do not accept.
STORED_EXTRAS = {"id", "created_at", "updated_at", "version", "search_text", "person_id",
                 "young_person_id"}


def export_document(store, progress=None, *, credentials: bool = True) -> dict:
    """Every node and relationship, all read at one moment. With `credentials=False` (what
    `netmap export` writes; a backup keeps them) no password or token hash, authenticator secret, recovery code or
    sign-in link nonce leaves (SECRET_FIELDS, SECRET_LABELS): a user imported from it sets a
    new password."""
    with store.unit_of_work() as uow:
        nodes, relationships = uow.transfer.snapshot()
    if not credentials:
        nodes = without_credentials(nodes)
    if progress:
        progress(sum(map(len, nodes.values())) + sum(map(len, relationships.values())))
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": datetime.now(timezone.utc).isoformat(),
        "nodes": nodes,
        "relationships": relationships,
    }


def without_credentials(nodes: dict[str, list[dict]]) -> dict[str, list[dict]]:
    out = {}
    for label, rows in nodes.items():
        if label in SECRET_LABELS:
            continue
        secret = SECRET_FIELDS.get(label, ())
        out[label] = [{k: v for k, v in row.items() if k not in secret} for row in rows] \
            if secret else rows
    return out


def write_export(store, path: str | os.PathLike, progress=None, *, document=None,
                 credentials: bool = False) -> dict:
    """The export file (0600). Made here (no `document`), it holds no credentials unless
    asked: `netmap export` leaves out every password and token hash and secret."""
    document = document if document is not None else export_document(
        store, progress, credentials=credentials)
    tmp = Path(f"{path}.tmp")
    with open_private(tmp, "w") as f:
        json.dump(document, f, sort_keys=True, indent=1)
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(path)
    return summary(document)


def record_checksum(document: dict) -> dict:
    """Counts by label and type, and one SHA-256 over every record (each record's canonical
    JSON hashed, the hashes sorted): two exports with the same records give the same sum,
    whatever order they were read in."""
    import hashlib

    digests = []
    nodes = {label: len(rows) for label, rows in sorted((document.get("nodes") or {}).items())}
    rels = {t: len(rows) for t, rows in sorted((document.get("relationships") or {}).items())}
    for kind, groups in (("n", document.get("nodes") or {}),
                         ("r", document.get("relationships") or {})):
        for name, rows in groups.items():
            for row in rows:
                text = json.dumps([kind, name, row], sort_keys=True, default=str,
                                  separators=(",", ":"))
                digests.append(hashlib.sha256(text.encode()).hexdigest())
    digests.sort()
    total = hashlib.sha256("\n".join(digests).encode()).hexdigest()
    return {"nodes": nodes, "relationships": rels, "records": len(digests), "sha256": total}


def summary(document: dict) -> dict:
    return {
        "nodes": sum(len(v) for v in document["nodes"].values()),
        "relationships": sum(len(v) for v in document["relationships"].values()),
    }


MAX_DEPTH = 64


def read_document(path: str | os.PathLike) -> dict:
    """The export file, or InvalidInput saying plainly what is wrong with it: not there, not
    UTF-8 (a UTF-16 file, say), NUL bytes, not JSON, or nested deeper than any export."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise InvalidInput.field("file", f"There is no file at {path}.") from None
    except IsADirectoryError:
        raise InvalidInput.field("file", f"{path} is a folder, not an export file.") from None
    return parse_document(raw)


def parse_document(raw: bytes) -> dict:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(raw) > 1 and (raw[0] == 0 or raw[1] == 0)):
        raise InvalidInput.field("file", "The file is UTF-16 text. Save it as UTF-8 and try "
                                         "again.")
    if b"\x00" in raw:
        at = raw.index(b"\x00")
        raise InvalidInput.field("file", f"The file has a NUL byte (at byte {at}): it is not "
                                         "a netmap export.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InvalidInput.field("file", f"The file is not UTF-8 text (a bad byte at {e.start})."
                                         " Save it as UTF-8 and try again.") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as e:
        raise InvalidInput.field("file", f"The file is not valid JSON (line {e.lineno}, "
                                         f"column {e.colno}: {e.msg}).") from None
    except RecursionError:
        raise InvalidInput.field("file", "The file is nested too deeply to be an export.") \
            from None
    where = _nul_in(document)
    if where is not None:
        raise InvalidInput.field("file", f"The file has a NUL character in {where}: it cannot "
                                         "be stored. Nothing was imported.")
    return document


def _nul_in(value, where: str = "the file") -> str | None:
    """Where a NUL character is (None if nowhere); deeper nesting than any export has is
    refused on the way (walked without recursion)."""
    stack = [(value, where, 0)]
    while stack:
        item, at, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InvalidInput.field("file", f"The file is nested more than {MAX_DEPTH} "
                                             "levels deep: it is not a netmap export.")
        if isinstance(item, str):
            if "\x00" in item:
                return at
        elif isinstance(item, dict):
            for key, v in item.items():
                if "\x00" in str(key):
                    return at
                stack.append((v, f"{at}.{key}" if at != "the file" else str(key), depth + 1))
        elif isinstance(item, list):
            stack.extend((v, f"{at}[{i}]", depth + 1) for i, v in enumerate(item))
    return None


def validate_document(document, existing: dict[str, set] | None = None) -> None:
    """Raise InvalidInput naming every problem; return only if the whole file is good."""
    errors: dict[str, list[str]] = defaultdict(list)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidInput.field("format", f"This is not a netmap export (format must be "
                                           f"{FORMAT!r}).")
    if document.get("version") != FORMAT_VERSION:
        raise InvalidInput.field("version", f"Export version {document.get('version')!r} is "
                                            f"not supported (expected {FORMAT_VERSION}).")
    nodes, relationships = document.get("nodes"), document.get("relationships")
    if not isinstance(nodes, dict) or not isinstance(relationships, dict):
        raise InvalidInput.field("nodes", "The file must have 'nodes' and 'relationships' "
                                          "objects.")
    ids: dict[str, set] = defaultdict(set)
    for label, rows in nodes.items():
        if not SAFE_NAME.match(str(label)):
            errors[f"nodes.{label}"].append("Not a valid label.")
            continue
        if not isinstance(rows, list):
            errors[f"nodes.{label}"].append("Must be a list.")
            continue
        key = node_key(label)
        schema = NODE_SCHEMAS.get(label)
        for i, row in enumerate(rows):
            where = f"nodes.{label}[{i}]"
            if not isinstance(row, dict) or row.get(key) in (None, ""):
                errors[where].append(f"Each record needs its {key}.")
                continue
            if any(isinstance(v, dict) for v in row.values()):
                errors[where].append("Properties cannot be objects.")
            if row[key] in ids[label]:
                errors[where].append(f"{key} {row[key]!r} appears twice.")
            ids[label].add(row[key])
            if existing and label != "Meta" and row[key] in existing.get(label, ()):
                errors[where].append(f"{key} {row[key]!r} is already in the database.")
            if existing and label == "User" and row.get("email") in existing.get("User.email", ()):
                errors[where].append(f"A user with the email {row.get('email')!r} exists.")
            for field, message in generic_problems(row).items():
                errors[f"{where}.{field}"].append(message)
            if schema:
                _check(schema, row, where, errors)
    for rel_type, rows in relationships.items():
        if not SAFE_NAME.match(str(rel_type)) or not isinstance(rows, list):
            errors[f"relationships.{rel_type}"].append("Not a valid relationship list.")
            continue
        schema = RELATIONSHIP_SCHEMAS.get(rel_type)
        for i, row in enumerate(rows):
            where = f"relationships.{rel_type}[{i}]"
            if not isinstance(row, dict):
                errors[where].append("Must be an object.")
                continue
            for end in ("a", "b"):
                lbl = row.get(f"{end}_label")
                if not SAFE_NAME.match(str(lbl)) or row.get(end) not in ids.get(lbl, ()) and \
                        not (existing and row.get(end) in existing.get(lbl, ())):
                    errors[f"{where}.{end}"].append(
                        f"Refers to {lbl} {row.get(end)!r}, which is not in the file.")
            if not isinstance(row.get("p", {}), dict):
                errors[f"{where}.p"].append("Must be an object.")
                continue
            for field, message in generic_problems(row.get("p") or {}).items():
                errors[f"{where}.p.{field}"].append(message)
            if schema:
                _check(schema, row.get("p") or {}, f"{where}.p", errors)
        if len(errors) > 200:
            break
    if errors:
        first_field, messages = next(iter(errors.items()))
        raise InvalidInput(f"The import file has {len(errors)} problem(s); nothing was "
                           f"imported. First: {first_field}: {messages[0]}", dict(errors))


def _check(schema_class, row: dict, where: str, errors: dict) -> None:
    data = {k: v for k, v in row.items() if k not in STORED_EXTRAS}
    try:
        schema_class(unknown=EXCLUDE).load(data)
    except ValidationError as e:
        for field, messages in flatten(e.messages).items():
            errors[f"{where}.{field}"].extend(messages)


def existing_keys(store, document) -> dict[str, set]:
    """The keys already in the database for each label the document brings (and emails)."""
    keys: dict[str, set] = {}
    nodes = document.get("nodes") if isinstance(document, dict) else None
    if not isinstance(nodes, dict):
        return keys
    with store.unit_of_work() as uow:
        present = set(uow.transfer.labels())
        wanted = {lbl for lbl in nodes if SAFE_NAME.match(str(lbl))} | {
            row.get(f"{end}_label") for rows in (document.get("relationships") or {}).values()
            if isinstance(rows, list) for row in rows if isinstance(row, dict)
            for end in ("a", "b")}
        for label in wanted:
            if label in present and SAFE_NAME.match(str(label)):
                rows = list(uow.transfer.nodes(label))
                keys[label] = {row.get(node_key(label)) for row in rows}
                if label == "User":
                    keys["User.email"] = {row.get("email") for row in rows}
    return keys


def import_document(store, document: dict, *, replace: bool = False) -> dict:
    """All or nothing: validate, then write everything as one atomic unit. The audit log's
    checkpoint file then records that the log was loaded (see audit.after_import); the
    summary's `audit` says what happened to the log's seals, in words."""
    from . import audit

    if replace:
        validate_document(document)
        store.load_document(document, replace=True)
        had_entries = False
    else:
        validate_document(document, existing_keys(store, document))
        with store.unit_of_work() as uow:
            had_entries = uow.audit.any()
        store.load_document(document)
    store.compact_log()
    result = summary(document)
    if replace or (document.get("nodes") or {}).get("Audit"):
        result["audit"] = audit.after_import(store, replace=replace, had_entries=had_entries)
    return result


def graphml(network: dict, path: str | os.PathLike) -> None:
    """One young person's network as GraphML, in Network Canvas's conventions (the one GraphML
    writer: netmap.interchange.graphml, which netmap's import reads back)."""
    from .network_import import write_graphml

    write_graphml(network, path)


# --- backups ----------------------------------------------------------------------------------
BACKUP_FILE = "netmap-backup.json"
MANIFEST_FILE = "MANIFEST.json"
BACKUP_PREFIX = "netmap-backup-"


def write_backup(store, directory: str | os.PathLike, keep: int | None = None) -> dict:
    """A new backup in its own folder under DIRECTORY (named by the time, so they sort), read
    back and checked against what was exported (counts and the checksum of every record);
    then, with keep, only the newest `keep` backups are left. Everything 0700/0600."""
    from ..files import private_dir, write_private_text

    root = private_dir(directory)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = private_dir(root / f"{BACKUP_PREFIX}{stamp}")
    document = export_document(store, credentials=True)  # a backup restores sign-ins too
    expected = record_checksum(document)
    counts = write_export(store, target / BACKUP_FILE, document=document)
    manifest = {**counts, "backend": store.backend, "checksum": expected,
                "exported_at": document["exported_at"]}
    write_private_text(target / MANIFEST_FILE, json.dumps(manifest, indent=1))
    verify_backup(target)
    removed = []
    if keep is not None:
        for old in list_backups(root)[:-keep] if keep > 0 else []:
            _remove_backup(old)
            removed.append(old.name)
    return {**counts, "path": str(target), "removed": removed}


def list_backups(root: str | os.PathLike) -> list[Path]:
    """The backups in a folder, oldest first."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir()
                  if p.is_dir() and p.name.startswith(BACKUP_PREFIX) and (p / BACKUP_FILE).exists())


def find_backup(directory: str | os.PathLike) -> Path | None:
    """DIRECTORY itself if it holds a backup, else its newest backup."""
    directory = Path(directory)
    if (directory / BACKUP_FILE).exists():
        return directory
    backups = list_backups(directory)
    return backups[-1] if backups else None


def verify_backup(directory: str | os.PathLike) -> dict:
    """Read a backup back and check it: valid JSON, a netmap export, and the same counts and
    checksum of every record as its manifest recorded. Raises InvalidInput if not."""
    directory = Path(directory)
    document = read_document(directory / BACKUP_FILE)
    validate_document(document)
    found = record_checksum(document)
    try:
        manifest = json.loads((directory / MANIFEST_FILE).read_text())
    except (OSError, ValueError):
        manifest = None
    expected = (manifest or {}).get("checksum")
    if expected is not None and expected != found:
        raise InvalidInput.field("backup", f"The backup in {directory} does not match its "
                                           "manifest: it is damaged. Take a new backup.")
    return found


def _remove_backup(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
