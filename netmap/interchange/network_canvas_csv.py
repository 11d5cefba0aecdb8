"""Network Canvas's CSV file set, read into a session and written from one.

The exporter writes, per session, an ego list (``<case>_<session>_ego.csv``: networkCanvasEgoUUID,
networkCanvasCaseID, networkCanvasSessionID, networkCanvasProtocolName, sessionStart,
sessionFinish, sessionExported, then ego variables), one attribute list per node type
(``…_attributeList_<type>.csv``: nodeID, networkCanvasEgoUUID, networkCanvasUUID, then
variables by name) and one edge list per edge type (``…_edgeList_<type>.csv``: edgeID, from,
to, networkCanvasEgoUUID, networkCanvasUUID, networkCanvasSourceUUID,
networkCanvasTargetUUID, then variables). A categorical variable is one true/false column per
option (``<name>_<option>``), a layout variable two columns (``<name>_x``, ``<name>_y``).
Given as a zip or as separate files.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

from . import MAX_BYTES, InterchangeError, check_size

NODE_COLUMNS = ("nodeID", "networkCanvasEgoUUID", "networkCanvasUUID")
EDGE_COLUMNS = ("edgeID", "from", "to", "networkCanvasEgoUUID", "networkCanvasUUID",
                "networkCanvasSourceUUID", "networkCanvasTargetUUID")
EGO_COLUMNS = ("networkCanvasEgoUUID", "networkCanvasCaseID", "networkCanvasSessionID",
               "networkCanvasProtocolName", "sessionStart", "sessionFinish", "sessionExported")
ATTRIBUTE_LIST = re.compile(r"attributeList_(.+)\.csv$", re.I)
EDGE_LIST = re.compile(r"edgeList_(.+)\.csv$", re.I)
EGO_LIST = re.compile(r"(^|_)ego\.csv$", re.I)
MAX_FILES = 50


def files_from(uploads: list[tuple[str, bytes]]) -> dict[str, bytes]:
    """{file name: content} from the uploads: each zip opened (its CSV files), other files as
    they are. The size limit holds for what the zips hold too."""
    files: dict[str, bytes] = {}
    total = 0
    for name, raw in uploads:
        check_size(raw)
        if raw[:4] == b"PK\x03\x04":
            try:
                archive = zipfile.ZipFile(io.BytesIO(raw))
                members = [m for m in archive.infolist() if not m.is_dir()]
            except zipfile.BadZipFile:
                raise InterchangeError(f"{name} is not a complete zip file.", name) from None
            if len(members) > MAX_FILES:
                raise InterchangeError(f"{name} holds {len(members)} files; a session has a "
                                       "few.", name)
            for member in members:
                total += member.file_size
                if total > MAX_BYTES:
                    check_size(b"x" * (total))
                base = member.filename.rsplit("/", 1)[-1]
                if base.lower().endswith(".csv"):
                    files[base] = archive.read(member)
        else:
            total += len(raw)
            files[name.rsplit("/", 1)[-1]] = raw
    if total > MAX_BYTES:
        check_size(b"x" * total)
    return files


def _rows(name: str, raw: bytes) -> tuple[list[str], list[tuple[int, dict]]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InterchangeError(f"{name} is not UTF-8 text (a bad byte at {e.start}).",
                               name) from None
    if "\x00" in text:
        raise InterchangeError(f"{name} has a NUL character: it is not a CSV file.", name)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as e:
        raise InterchangeError(f"{name} line {reader.line_num}: {e}.",
                               f"{name} line {reader.line_num}") from None
    if not rows:
        raise InterchangeError(f"{name} is empty.", name)
    header = [h.strip() for h in rows[0]]
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InterchangeError(f"{name} line {number} has {len(row)} values where the "
                                   f"header has {len(header)}.", f"{name} line {number}")
        out.append((number, dict(zip(header, row))))
    return header, out


def _is_bool(text: str) -> bool:
    return text.strip().lower() in ("true", "false", "")


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return text.strip() == ""


def _variables(header: list[str], rows: list[tuple[int, dict]], fixed) -> dict:
    """What each column carries: a categorical option, a layout axis or a value."""
    columns = [c for c in header if c not in fixed]
    values = {c: [r[c] for _, r in rows] for c in columns}
    booleans = [c for c in columns if "_" in c and all(_is_bool(v) for v in values[c])
                and any(v.strip() for v in values[c])]
    layout = {}
    for c in columns:
        if c.endswith("_x") and c[:-2] + "_y" in columns and all(
                _is_number(v) for v in values[c] + values[c[:-2] + "_y"]):
            layout[c[:-2]] = (c, c[:-2] + "_y")
    categorical: dict[str, list[tuple[str, str]]] = {}
    for c in booleans:
        cuts = [i for i, ch in enumerate(c) if ch == "_"]
        best = None
        for i in cuts:
            shared = sum(1 for b in booleans if b.startswith(c[:i + 1]))
            if shared >= 2 and (best is None or shared >= best[1]):
                best = (i, shared)
        if best:
            categorical.setdefault(c[:best[0]], []).append((c, c[best[0] + 1:]))
    spec: dict[str, dict] = {}
    taken = set()
    for name, options in categorical.items():
        spec[name] = {"type": "categorical", "options": [o for _, o in options],
                      "columns": dict(options)}
        taken.update(c for c, _ in options)
    for name, (x, y) in layout.items():
        spec[name] = {"type": "layout", "columns": (x, y)}
        taken.update((x, y))
    for c in columns:
        if c not in taken:
            kind = "boolean" if c in booleans else "number" if all(
                _is_number(v) for v in values[c]) and any(v.strip() for v in values[c]) \
                else "text"
            spec[c] = {"type": kind}
    return spec


def _attributes(row: dict, spec: dict, where: str) -> dict:
    out = {}
    for name, var in spec.items():
        if var["type"] == "categorical":
            out[name] = [o for c, o in var["columns"].items()
                         if row[c].strip().lower() == "true"]
        elif var["type"] == "layout":
            x, y = (row[c].strip() for c in var["columns"])
            out[name] = (float(x), float(y)) if x and y else None
        elif var["type"] == "number":
            text = row[name].strip()
            out[name] = None if not text else int(float(text)) if float(text).is_integer() \
                else float(text)
        elif var["type"] == "boolean":
            out[name] = row[name].strip().lower() == "true"
        else:
            out[name] = row[name]
    return out


def parse(uploads: list[tuple[str, bytes]]) -> dict:
    files = files_from(uploads)
    egos = [n for n in files if EGO_LIST.search(n)]
    nodes = [n for n in files if ATTRIBUTE_LIST.search(n)]
    edges = [n for n in files if EDGE_LIST.search(n)]
    if not nodes:
        raise InterchangeError("No attribute list (attributeList_<type>.csv) among the files: "
                               "send the CSV files Network Canvas exported, or their zip.",
                               "file")
    session: dict = {"variables": {}, "ego": {}, "nodes": [], "edges": []}
    if len(egos) > 1:
        raise InterchangeError(f"{len(egos)} ego lists: netmap imports one session at a time.",
                               "file")
    if egos:
        header, rows = _rows(egos[0], files[egos[0]])
        if len(rows) > 1:
            raise InterchangeError(f"{egos[0]} holds {len(rows)} sessions: netmap imports one "
                                   "at a time.", egos[0])
        if rows:
            _, row = rows[0]
            session.update(session_uuid=row.get("networkCanvasSessionID") or None,
                           case_id=row.get("networkCanvasCaseID") or None,
                           protocol_name=row.get("networkCanvasProtocolName") or None,
                           ego_uuid=row.get("networkCanvasEgoUUID") or None)
            spec = _variables(header, rows, EGO_COLUMNS)
            session["ego"] = _attributes(row, spec, egos[0])
    node_ids: dict[str, str] = {}
    for name in sorted(nodes):
        node_type = ATTRIBUTE_LIST.search(name).group(1)
        header, rows = _rows(name, files[name])
        if "networkCanvasUUID" not in header:
            raise InterchangeError(f"{name} has no networkCanvasUUID column.", name)
        spec = _variables(header, rows, NODE_COLUMNS)
        _merge_variables(session["variables"], spec)
        for number, row in rows:
            where = f"{name} line {number}"
            uuid = row["networkCanvasUUID"].strip()
            if not uuid:
                raise InterchangeError(f"{where} has no networkCanvasUUID.", where)
            try:
                attributes = _attributes(row, spec, where)
            except ValueError:
                raise InterchangeError(f"{where}: a layout value is not a number.",
                                       where) from None
            if row.get("nodeID"):
                node_ids[row["nodeID"].strip()] = uuid
            session["nodes"].append({"uuid": uuid, "type": node_type, "where": where,
                                     "attributes": attributes})
    for name in sorted(edges):
        edge_type = EDGE_LIST.search(name).group(1)
        header, rows = _rows(name, files[name])
        spec = _variables(header, rows, EDGE_COLUMNS)
        for number, row in rows:
            where = f"{name} line {number}"
            source = (row.get("networkCanvasSourceUUID") or "").strip() or node_ids.get(
                (row.get("from") or "").strip())
            target = (row.get("networkCanvasTargetUUID") or "").strip() or node_ids.get(
                (row.get("to") or "").strip())
            if not source or not target:
                raise InterchangeError(f"{where} does not say which two people it joins.",
                                       where)
            try:
                attributes = _attributes(row, spec, where)
            except ValueError:
                raise InterchangeError(f"{where}: a value is not a number.", where) from None
            session["edges"].append({"uuid": (row.get("networkCanvasUUID") or "").strip()
                                     or None, "type": edge_type, "where": where,
                                     "source": source, "target": target,
                                     "attributes": attributes})
    return session


def _merge_variables(into: dict, spec: dict) -> None:
    for name, var in spec.items():
        if name not in into:
            into[name] = {k: v for k, v in var.items() if k != "columns"}


# --- writing ----------------------------------------------------------------------------------
def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _table(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return out.getvalue().encode("utf-8")


def _columns(variables: dict, names: list[str]) -> list[tuple[str, str, str, object]]:
    """(column, variable, kind, option or axis index)."""
    out = []
    for name in names:
        var = variables.get(name, {"type": "text"})
        if var["type"] == "categorical":
            out += [(f"{name}_{o}", name, "option", o) for o in var["options"]]
        elif var["type"] == "layout":
            out += [(f"{name}_x", name, "axis", 0), (f"{name}_y", name, "axis", 1)]
        else:
            out.append((name, name, "value", None))
    return out


def _values(attributes: dict, columns) -> list:
    row = []
    for _column, name, kind, part in columns:
        value = attributes.get(name)
        if kind == "option":
            row.append(part in (value or []))
        elif kind == "axis":
            row.append(value[part] if value else None)
        else:
            row.append(value)
    return row


def write(session: dict) -> bytes:
    """The session's CSV file set as one zip."""
    prefix = f"{session.get('case_id') or 'case'}_{session.get('session_uuid') or 'session'}"
    prefix = re.sub(r"[^A-Za-z0-9_.-]", "-", prefix)
    variables = session.get("variables") or {}
    ego_names = list(session.get("ego_variables") or [])
    node_names = [n for n in variables if n not in ego_names]
    ego_columns = _columns(variables, ego_names)
    ego = _table(list(EGO_COLUMNS) + [c[0] for c in ego_columns], [[
        session.get("ego_uuid"), session.get("case_id"), session.get("session_uuid"),
        session.get("protocol_name"), session.get("session_start_time"),
        session.get("session_finish_time"), session.get("session_export_time"),
        *_values(session.get("ego") or {}, ego_columns)]])
    node_columns = _columns(variables, node_names)
    ids = {}
    node_rows = []
    for i, node in enumerate(session.get("nodes") or []):
        ids[node["uuid"]] = i + 1
        node_rows.append([i + 1, session.get("ego_uuid"), node["uuid"],
                          *_values(node["attributes"], node_columns)])
    nodes = _table(list(NODE_COLUMNS) + [c[0] for c in node_columns], node_rows)
    edge_rows = [[i + 1, ids.get(e["source"]), ids.get(e["target"]), session.get("ego_uuid"),
                  e.get("uuid"), e["source"], e["target"]]
                 for i, e in enumerate(session.get("edges") or [])]
    edges = _table(list(EDGE_COLUMNS), edge_rows)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{prefix}_ego.csv", ego)
        archive.writestr(f"{prefix}_attributeList_Person.csv", nodes)
        archive.writestr(f"{prefix}_edgeList_knows.csv", edges)
    return buffer.getvalue()
