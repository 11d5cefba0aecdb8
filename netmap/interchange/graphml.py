"""GraphML the way Network Canvas's exporter (complexdatacollective/network-exporters) writes
it, read into a session and written from one.

Its shape: the ``nc`` namespace, session attributes on the ``graph`` element
(``nc:caseId``, ``nc:sessionUUID``, ``nc:protocolName``…), keys ``label``,
``networkCanvasType`` and ``networkCanvasUUID``, one key per variable (id: the variable's id,
attr.name: its name), a layout variable split into ``<id>_X`` / ``<id>_Y`` keys, a categorical
variable split into one boolean key per option (id ``<id>_<sha1(option)>``, attr.name
``<name>_<option>``), ego data on the graph element, edges with
``networkCanvasSourceUUID`` / ``networkCanvasTargetUUID``.

Parsed with defusedxml: a DTD, an entity or an external reference is refused.
"""

from __future__ import annotations

import hashlib
import re
from xml.etree import ElementTree as ET

from . import InterchangeError, check_size

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
NC_NS = "http://schema.networkcanvas.com/xmlns"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
G = f"{{{GRAPHML_NS}}}"
RESERVED = {"label", "networkCanvasType", "networkCanvasUUID", "networkCanvasSourceUUID",
            "networkCanvasTargetUUID"}
SESSION_ATTRIBUTES = ("caseId", "sessionUUID", "protocolName", "protocolUID", "codebookHash",
                      "sessionExportTime", "sessionStartTime", "sessionFinishTime")
_HEX40 = re.compile(r"^(.+)_([0-9a-f]{40})$")


def sha1(text: str) -> str:
    return hashlib.sha1(str(text).encode("utf-8")).hexdigest()


def _where(element, kind: str, index: int) -> str:
    ident = element.get("id")
    return f"<{kind}> {index + 1}" + (f" (id {ident!r})" if ident else "")


def parse(raw: bytes) -> dict:
    """A Network Canvas GraphML file as a session; InterchangeError naming the line or element
    if it cannot be read."""
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    check_size(raw)
    try:
        root = DET.fromstring(raw, forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    except DefusedXmlException:
        raise InterchangeError("The file declares a DTD or entities, which netmap does not "
                               "read (they can hide an attack). Export it again from Network "
                               "Canvas.") from None
    except ET.ParseError as e:
        line, column = e.position
        raise InterchangeError(f"The file is not complete GraphML: line {line}, column "
                               f"{column}: {str(e).split(':')[0]}.", f"line {line}") from None
    if root.tag != f"{G}graphml":
        raise InterchangeError("This is not a GraphML file (its first element is "
                               f"<{root.tag.split('}')[-1]}>, not <graphml>).", "root")
    keys = _keys(root)
    graphs = root.findall(f"{G}graph")
    if len(graphs) != 1:
        raise InterchangeError(f"The file holds {len(graphs)} networks; netmap imports one "
                               "session at a time (export without merging sessions).", "graph")
    graph = graphs[0]
    session = {"variables": {}, "ego": {}, "nodes": [], "edges": []}
    for name in SESSION_ATTRIBUTES:
        value = graph.get(f"{{{NC_NS}}}{name}") or root.get(f"{{{NC_NS}}}{name}")
        session[_snake(name)] = value
    for spec in keys.values():
        _declare(session["variables"], spec)
    session["ego"] = _data(graph, keys, "graph element")
    session["ego_uuid"] = session["ego"].pop("networkCanvasUUID", None)
    for i, node in enumerate(graph.findall(f"{G}node")):
        where = _where(node, "node", i)
        attributes = _data(node, keys, where)
        uuid = attributes.pop("networkCanvasUUID", None) or node.get("id")
        if not uuid:
            raise InterchangeError(f"{where} has no id.", where)
        session["nodes"].append({
            "uuid": uuid, "id": node.get("id"), "where": where,
            "type": attributes.pop("networkCanvasType", None),
            "attributes": attributes})
    by_id = {n["id"]: n["uuid"] for n in session["nodes"] if n["id"]}
    for i, edge in enumerate(graph.findall(f"{G}edge")):
        where = _where(edge, "edge", i)
        attributes = _data(edge, keys, where)
        source = attributes.pop("networkCanvasSourceUUID", None) or by_id.get(edge.get("source"))
        target = attributes.pop("networkCanvasTargetUUID", None) or by_id.get(edge.get("target"))
        if not source or not target:
            raise InterchangeError(f"{where} does not say which two people it joins.", where)
        session["edges"].append({
            "uuid": attributes.pop("networkCanvasUUID", None) or edge.get("id"),
            "where": where, "type": attributes.pop("networkCanvasType", None),
            "source": source, "target": target, "attributes": attributes})
    return session


_SNAKE = {"caseId": "case_id", "sessionUUID": "session_uuid", "protocolName": "protocol_name",
          "protocolUID": "protocol_uid", "codebookHash": "codebook_hash",
          "sessionExportTime": "session_export_time", "sessionStartTime": "session_start_time",
          "sessionFinishTime": "session_finish_time"}


def _snake(name: str) -> str:
    return _SNAKE[name]


def _keys(root) -> dict[str, dict]:
    """Each <key> by id: what variable it carries and how."""
    keys: dict[str, dict] = {}
    for i, key in enumerate(root.findall(f"{G}key")):
        ident, name = key.get("id"), key.get("attr.name") or key.get("id")
        if not ident:
            raise InterchangeError(f"<key> {i + 1} has no id.", f"<key> {i + 1}")
        kind = key.get("attr.type") or "string"
        spec = {"id": ident, "name": name, "type": kind, "for": key.get("for")}
        match = _HEX40.match(ident)
        if kind == "boolean" and match:
            # One option of a categorical variable: find where the name ends and the option
            # starts (the option's SHA-1 is in the id).
            for cut in range(len(name)):
                if name[cut] == "_" and sha1(name[cut + 1:]) == match.group(2):
                    spec.update(categorical=name[:cut], option=name[cut + 1:])
                    break
        elif kind == "double" and name[-2:] in ("_X", "_Y") and ident[-2:] in ("_X", "_Y"):
            spec.update(layout=name[:-2], axis=name[-1].lower())
        keys[ident] = spec
    return keys


def _declare(variables: dict, spec: dict) -> None:
    if spec["name"] in RESERVED:
        return
    if "categorical" in spec:
        var = variables.setdefault(spec["categorical"], {"type": "categorical", "options": []})
        var["options"].append(spec["option"])
    elif "layout" in spec:
        variables.setdefault(spec["layout"], {"type": "layout"})
    else:
        kind = {"boolean": "boolean", "int": "number", "long": "number", "float": "number",
                "double": "number"}.get(spec["type"], "text")
        variables.setdefault(spec["name"], {"type": kind})


def _value(text: str | None, kind: str, where: str, name: str):
    text = (text or "").strip()
    if kind == "boolean":
        if text.lower() in ("true", "1"):
            return True
        if text.lower() in ("false", "0", ""):
            return False
        raise InterchangeError(f"{where}: {name} must be true or false, not {text!r}.", where)
    if kind in ("int", "long", "float", "double"):
        if text == "":
            return None
        try:
            number = float(text)
        except ValueError:
            raise InterchangeError(f"{where}: {name} must be a number, not {text!r}.",
                                   where) from None
        return int(number) if kind in ("int", "long") or number.is_integer() else number
    return text


def _data(element, keys: dict, where: str) -> dict:
    """An element's <data> by variable name; categorical options gathered into a list, layout
    X/Y into (x, y)."""
    out: dict = {}
    layout: dict[str, dict] = {}
    for data in element.findall(f"{G}data"):
        ident = data.get("key")
        spec = keys.get(ident)
        if spec is None:
            # The exporter writes these three without always declaring them.
            if ident in RESERVED:
                out[ident] = (data.text or "").strip()
                continue
            raise InterchangeError(f"{where}: <data key={ident!r}> has no <key> declared for "
                                   "it.", where)
        value = _value(data.text, spec["type"], where, spec["name"])
        if "categorical" in spec:
            chosen = out.setdefault(spec["categorical"], [])
            if value:
                chosen.append(spec["option"])
        elif "layout" in spec:
            if value is not None:
                layout.setdefault(spec["layout"], {})[spec["axis"]] = value
        else:
            out[spec["name"]] = value
    for name, xy in layout.items():
        if "x" in xy and "y" in xy:
            out[name] = (float(xy["x"]), float(xy["y"]))
    return out


# --- writing ----------------------------------------------------------------------------------
def write(session: dict) -> bytes:
    """A session as GraphML the way Network Canvas writes it (one graph, undirected)."""
    ET.register_namespace("", GRAPHML_NS)
    ET.register_namespace("nc", NC_NS)
    ET.register_namespace("xsi", XSI_NS)
    root = ET.Element(f"{G}graphml", {
        f"{{{XSI_NS}}}schemaLocation": f"{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd"})
    variables = session.get("variables") or {}
    for ident in ("label", "networkCanvasType", "networkCanvasUUID"):
        ET.SubElement(root, f"{G}key", {"id": ident, "attr.name": ident, "attr.type": "string",
                                         "for": "all"})
    for ident in ("networkCanvasTargetUUID", "networkCanvasSourceUUID"):
        ET.SubElement(root, f"{G}key", {"id": ident, "attr.name": ident, "attr.type": "string",
                                         "for": "edge"})
    for target, names in (("graph", session.get("ego_variables") or []),
                          ("node", [n for n in variables if n not in (
                              session.get("ego_variables") or [])])):
        for name in names:
            var = variables[name]
            if var["type"] == "categorical":
                for option in var["options"]:
                    ET.SubElement(root, f"{G}key", {
                        "id": f"{name}_{sha1(option)}", "attr.name": f"{name}_{option}",
                        "attr.type": "boolean", "for": target})
            elif var["type"] == "layout":
                for axis in ("X", "Y"):
                    ET.SubElement(root, f"{G}key", {
                        "id": f"{name}_{axis}", "attr.name": f"{name}_{axis}",
                        "attr.type": "double", "for": target})
            else:
                kind = {"number": "int", "boolean": "boolean"}.get(var["type"], "string")
                ET.SubElement(root, f"{G}key", {"id": name, "attr.name": name,
                                                 "attr.type": kind, "for": target})
    graph_attrs = {"edgedefault": "undirected"}
    for name in SESSION_ATTRIBUTES:
        value = session.get(_snake(name))
        if value is not None:
            graph_attrs[f"{{{NC_NS}}}{name}"] = str(value)
    graph = ET.SubElement(root, f"{G}graph", graph_attrs)
    _write_data(graph, variables, {"networkCanvasUUID": session.get("ego_uuid"),
                                   **(session.get("ego") or {})})
    node_ids = {}
    for i, node in enumerate(session.get("nodes") or []):
        node_ids[node["uuid"]] = str(i + 1)
        element = ET.SubElement(graph, f"{G}node", {"id": str(i + 1)})
        _write_data(element, variables, {
            "networkCanvasUUID": node["uuid"], "networkCanvasType": node.get("type") or "Person",
            "label": node.get("label") or node["attributes"].get("name") or "Node",
            **node["attributes"]})
    for i, edge in enumerate(session.get("edges") or []):
        element = ET.SubElement(graph, f"{G}edge", {
            "id": str(i + 1), "source": node_ids.get(edge["source"], ""),
            "target": node_ids.get(edge["target"], "")})
        _write_data(element, variables, {
            "networkCanvasUUID": edge.get("uuid"), "networkCanvasType": edge.get("type") or
            "knows", "networkCanvasSourceUUID": edge["source"],
            "networkCanvasTargetUUID": edge["target"], **(edge.get("attributes") or {})})
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _write_data(element, variables: dict, values: dict) -> None:
    for name, value in values.items():
        if value is None:
            continue
        var = variables.get(name, {"type": "text"})
        if var["type"] == "categorical":
            chosen = set(value or [])
            for option in var["options"]:
                data = ET.SubElement(element, f"{G}data", {"key": f"{name}_{sha1(option)}"})
                data.text = _text(option in chosen)
        elif var["type"] == "layout":
            for axis, coordinate in zip(("X", "Y"), value):
                data = ET.SubElement(element, f"{G}data", {"key": f"{name}_{axis}"})
                data.text = repr(float(coordinate))
        else:
            data = ET.SubElement(element, f"{G}data", {"key": name})
            data.text = _text(value)
