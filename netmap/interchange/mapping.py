"""From a session to netmap's people, connections and ties (the mapping step), and from a
netmap network to a session (for the exports).

The mapping says which variable gives each netmap field: ``name`` (the variable called name,
else the node's label), ``relationship``, ``category``, ``support``, ``status``, ``role`` and
``closeness`` (an ordinal variable, or the ring read from a concentric sociogram's ``layout``:
the distance from the centre, 0.5 the edge, cut into ``rings`` bands, the innermost the
closest). ``node_type`` keeps only nodes of one type; ``matches`` says, per node UUID, to add
someone new (``"new"``) or who on netmap they are (a person id).
"""

from __future__ import annotations

import json
import math

from .. import codes
from . import InterchangeError

RINGS = 5
MAPPING_KEYS = ("name", "relationship", "category", "support", "status", "role", "closeness",
                "layout", "rings", "node_type", "matches")
FIELD_KEYS = ("name", "relationship", "category", "support", "status", "role", "closeness",
              "layout")
NETWORK_FORMAT = "netmap-network"


def _find(variables: dict, *names, kinds=None) -> str | None:
    lower = {n.lower(): n for n in variables}
    for name in names:
        found = lower.get(name)
        if found and (kinds is None or variables[found]["type"] in kinds):
            return found
    return None


def propose(session: dict) -> dict:
    """The mapping netmap suggests for this session."""
    variables = session.get("variables") or {}
    support = _find(variables, "support", "support_pathways", "pathways", kinds=("categorical",))
    if support is None:
        support = next((n for n, v in variables.items() if v["type"] == "categorical" and
                        v["options"] and set(v["options"]) <= set(codes.SUPPORT)), None)
    closeness = _find(variables, "closeness", "close", "closeness_rating", "how_close",
                      kinds=("number", "text"))
    layout = _find(variables, "layout", "concentric", "sociogram", kinds=("layout",)) or next(
        (n for n, v in variables.items() if v["type"] == "layout"), None)
    types = [n.get("type") for n in session.get("nodes") or []]
    node_type = max(set(types), key=types.count) if len(set(types)) > 1 else None
    return {
        "name": _find(variables, "name", "first_name", "nickname") or "label",
        "relationship": _find(variables, "relationship", "relation", "relationship_type",
                              "rel", kinds=("text", "categorical")),
        "category": _find(variables, "category", kinds=("text", "categorical")),
        "support": support,
        "status": _find(variables, "status", kinds=("text",)),
        "role": _find(variables, "role", kinds=("text",)),
        "closeness": closeness,
        "layout": layout if closeness is None else None,
        "rings": RINGS,
        "node_type": node_type,
        "matches": {},
    }


def parse_mapping(text: str | dict | None, session: dict) -> dict:
    """The proposed mapping with the caller's changes; InterchangeError on a bad one."""
    mapping = propose(session)
    if text in (None, ""):
        return mapping
    if isinstance(text, str):
        try:
            given = json.loads(text)
        except ValueError as e:
            raise InterchangeError(f"mapping is not valid JSON ({e}).", "mapping") from None
    else:
        given = text
    if not isinstance(given, dict):
        raise InterchangeError("mapping must be a JSON object.", "mapping")
    unknown = sorted(set(given) - set(MAPPING_KEYS))
    if unknown:
        raise InterchangeError(f"mapping has keys netmap does not know: {', '.join(unknown)} "
                               f"(known: {', '.join(MAPPING_KEYS)}).", "mapping")
    variables = session.get("variables") or {}
    for key in FIELD_KEYS:
        if key in given:
            value = given[key]
            if value is not None and not (isinstance(value, str) and (
                    value in variables or (key == "name" and value == "label"))):
                raise InterchangeError(f"mapping.{key}: the file has no variable {value!r}.",
                                       f"mapping.{key}")
            mapping[key] = value
    if "closeness" in given and given["closeness"] and "layout" not in given:
        mapping["layout"] = None
    if "rings" in given:
        if not isinstance(given["rings"], int) or not 2 <= given["rings"] <= 10:
            raise InterchangeError("mapping.rings must be a whole number from 2 to 10.",
                                   "mapping.rings")
        mapping["rings"] = given["rings"]
    if "node_type" in given:
        mapping["node_type"] = given["node_type"]
    matches = given.get("matches", {})
    if not isinstance(matches, dict) or not all(isinstance(v, str) for v in matches.values()):
        raise InterchangeError('mapping.matches must map node UUIDs to "new" or a person id.',
                               "mapping.matches")
    mapping["matches"] = matches
    return mapping


def ring_of(xy, rings: int = RINGS) -> int:
    """The ring (1 the innermost) of a position on a concentric sociogram (0 to 1 each way)."""
    x, y = xy
    distance = math.hypot(float(x) - 0.5, float(y) - 0.5)
    return min(rings, int(distance / (0.5 / rings)) + 1)


def closeness_of_ring(ring: int, rings: int = RINGS) -> int:
    """netmap's closeness 1-5 (5 the closest) for a ring of `rings`."""
    return max(1, min(5, 5 - round((ring - 1) * 4 / max(1, rings - 1))))


def position_for(closeness: int, index: int, count: int) -> tuple[float, float]:
    """Where netmap puts someone of this closeness on a five-ring sociogram."""
    radius = (6 - int(closeness or 3) - 0.5) * (0.5 / RINGS)
    angle = 2 * math.pi * index / max(1, count)
    return (round(0.5 + radius * math.cos(angle), 6), round(0.5 + radius * math.sin(angle), 6))


def _code(value, choices, what: str, where: str, warnings: list) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if value in (None, ""):
        return None
    code = str(value).strip().lower().replace(" ", "_").replace("-", "_")
    if code in choices:
        return code
    warnings.append(f"{where}: {what} {value!r} is not one netmap knows; left out.")
    return None


def apply(session: dict, mapping: dict) -> dict:
    """The people (each a person and a connection, with the node's UUID) and ties the session
    gives under the mapping, with warnings; InterchangeError naming the element otherwise."""
    warnings: list[str] = []
    people = []
    uuids: set[str] = set()
    for node in session.get("nodes") or []:
        if mapping.get("node_type") and node.get("type") != mapping["node_type"]:
            continue
        where, attributes = node.get("where") or node["uuid"], node["attributes"]
        if node["uuid"] in uuids:
            raise InterchangeError(f"{where}: the UUID {node['uuid']!r} is there twice.", where)
        uuids.add(node["uuid"])
        name_var = mapping["name"]
        name = attributes.get("label") if name_var == "label" else attributes.get(name_var)
        if name_var != "label" and not name:
            name = attributes.get("label")
        if isinstance(name, list):
            name = " ".join(str(n) for n in name)
        name = (str(name).strip() if name is not None else "")
        if not name or name == "Node":
            raise InterchangeError(f"{where} has no name (mapping.name is {name_var!r}).", where)
        person = {"name": name, "category": "family"}
        category = _code(attributes.get(mapping["category"]) if mapping.get("category") else
                         None, codes.CATEGORIES, "the category", where, warnings)
        if category:
            person["category"] = category
        if person["category"] == "professional" and mapping.get("role"):
            role = _code(attributes.get(mapping["role"]), codes.ROLES, "the role", where,
                         warnings)
            if role:
                person["role"] = role
        connection: dict = {}
        if mapping.get("relationship"):
            relationship = attributes.get(mapping["relationship"])
            if isinstance(relationship, list):
                relationship = ", ".join(str(r) for r in relationship)
            if relationship not in (None, ""):
                connection["relationship"] = str(relationship).strip()
        if mapping.get("support"):
            chosen = attributes.get(mapping["support"]) or []
            chosen = chosen if isinstance(chosen, list) else [chosen]
            support = []
            for option in chosen:
                code = _code(option, codes.SUPPORT, "the support", where, warnings)
                if code and code not in support:
                    support.append(code)
            connection["support"] = support
        if mapping.get("status"):
            status = _code(attributes.get(mapping["status"]), codes.CONNECTION_STATUSES,
                           "the status", where, warnings)
            if status:
                connection["status"] = status
        if mapping.get("closeness"):
            value = attributes.get(mapping["closeness"])
            if value not in (None, ""):
                try:
                    closeness = int(float(value))
                except (TypeError, ValueError):
                    raise InterchangeError(f"{where}: {mapping['closeness']} must be a number "
                                           f"from 1 to 5, not {value!r}.", where) from None
                if not 1 <= closeness <= 5:
                    raise InterchangeError(f"{where}: {mapping['closeness']} must be from 1 to "
                                           f"5 (5 the closest), not {closeness}.", where)
                connection["closeness"] = closeness
        elif mapping.get("layout"):
            xy = attributes.get(mapping["layout"])
            if xy:
                rings = mapping.get("rings") or RINGS
                connection["closeness"] = closeness_of_ring(ring_of(xy, rings), rings)
            else:
                warnings.append(f"{where} ({name}) was not placed on the sociogram; closeness "
                                "left at 3.")
        people.append({"uuid": node["uuid"], "where": where, "person": person,
                       "connection": connection})
    known = {p["uuid"] for p in people}
    ties, seen = [], set()
    for edge in session.get("edges") or []:
        a, b = edge["source"], edge["target"]
        if a not in known or b not in known:
            if session.get("ego_uuid") not in (a, b):
                warnings.append(f"{edge.get('where')}: joins someone not imported; left out.")
            continue
        pair = frozenset((a, b))
        if a == b or pair in seen:
            continue
        seen.add(pair)
        ties.append({"a": a, "b": b, "where": edge.get("where")})
    return {"people": people, "ties": ties, "warnings": warnings}


# --- netmap's own network as a session (the exports) -----------------------------------------
def session_from_network(network: dict, include_restricted: bool) -> dict:
    """A netmap network (already redacted for the reader) as a Network Canvas session: one
    `Person` node per connection, `knows` edges for the ties, the young person as ego."""
    yp = network["young_person"]
    variables = {
        "name": {"type": "text"}, "relationship": {"type": "text"},
        "category": {"type": "text"}, "role": {"type": "text"},
        "closeness": {"type": "number"},
        "support": {"type": "categorical", "options": list(codes.SUPPORT)},
        "status": {"type": "text"}, "layout": {"type": "layout"},
    }
    if include_restricted:
        variables["safeguarding"] = {"type": "categorical",
                                     "options": list(codes.SAFEGUARDING_FLAGS)}
    variables["ego_name"] = {"type": "text"}
    people = {p["id"]: p for p in network.get("people") or []}
    connections = network.get("connections") or []
    nodes = []
    for i, c in enumerate(connections):
        p = people.get(c["person_id"], {})
        attributes = {
            "name": p.get("name"), "relationship": c.get("relationship"),
            "category": p.get("category"), "role": p.get("role"),
            "closeness": c.get("closeness"), "support": list(c.get("support") or []),
            "status": c.get("status"),
            "layout": position_for(c.get("closeness") or 3, i, len(connections)),
        }
        if include_restricted:
            attributes["safeguarding"] = list(c.get("safeguarding") or [])
        nodes.append({"uuid": c["person_id"], "type": "Person", "label": p.get("name"),
                      "attributes": attributes})
    edges = [{"uuid": t.get("id"), "type": "knows", "source": t["person_a"],
              "target": t["person_b"], "attributes": {}} for t in network.get("ties") or []]
    return {"session_uuid": yp["id"], "case_id": yp["id"], "protocol_name": "netmap",
            "ego_uuid": yp["id"], "ego": {"ego_name": yp.get("name")},
            "ego_variables": ["ego_name"], "variables": variables, "nodes": nodes,
            "edges": edges}


def network_document(network: dict) -> dict:
    """One network as netmap's JSON (format ``netmap-network``)."""
    return {"format": NETWORK_FORMAT, "version": 1, "young_person": network["young_person"],
            "people": network.get("people") or [], "connections": network.get("connections")
            or [], "ties": network.get("ties") or []}


def session_from_document(document) -> dict:
    """netmap's network JSON read back as a session (the same mapping then applies)."""
    if not isinstance(document, dict) or document.get("format") != NETWORK_FORMAT:
        raise InterchangeError(f"This is not one netmap network (format must be "
                               f"{NETWORK_FORMAT!r}).", "format")
    try:
        session = session_from_network(document, include_restricted=False)
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        raise InterchangeError(f"The network file has a record netmap cannot read ({e}).",
                               "file") from None
    for i, node in enumerate(session["nodes"]):
        node["where"] = f"connections[{i}]"
    for i, edge in enumerate(session["edges"]):
        edge["where"] = f"ties[{i}]"
    return session
