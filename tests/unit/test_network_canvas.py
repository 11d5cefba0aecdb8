"""Network Canvas files read the way its exporter (complexdatacollective/network-exporters)
writes them, and refused safely when broken or hostile (issue 18 item 3)."""

import hashlib
import io
import zipfile

import pytest

from netmap.interchange import InterchangeError, graphml, mapping, network_canvas_csv

SESSION = "8a4e1c1e-0f7b-4b1c-9c55-3a7f6b0d2e11"
NAME, REL, PATHWAYS, LAYOUT, CLOSE = ("b1f0c3aa-name", "c2e1d4bb-rel", "d3f2e5cc-path",
                                      "e4a3f6dd-layout", "f5b4a7ee-close")
OPTIONS = ["accommodation", "finance_benefit_debt", "emotional"]
# name, relationship, pathways, (x, y) on the concentric sociogram (0.5, 0.5 the centre)
PEOPLE = [
    ("Susan Clarke", "aunt", ["accommodation", "emotional"], (0.55, 0.5)),   # ring 1
    ("Robert Hale", "friend", ["emotional"], (0.5, 0.35)),                   # ring 2
    ("Dev Northcott", "friend", [], (0.25, 0.5)),                             # ring 3
    ("Mo Begum", "cousin", ["finance_benefit_debt"], (0.5, 0.84)),           # ring 4
    ("Jo Reid", "old foster carer", [], (0.05, 0.5)),                         # ring 5
]
CLOSENESS = {"Susan Clarke": 5, "Robert Hale": 4, "Dev Northcott": 3, "Mo Begum": 2,
             "Jo Reid": 1}
NODE_UUIDS = [f"0000000{i}-aaaa-4bbb-8ccc-dddddddddddd" for i in range(1, 6)]
TIES = [(0, 1), (2, 3)]


def sha1(text):
    return hashlib.sha1(text.encode()).hexdigest()


def network_canvas_graphml(session=SESSION, people=PEOPLE) -> bytes:
    """A session as Network Canvas's exporter writes it (one file, undirected)."""
    keys = [
        '<key id="label" attr.name="label" attr.type="string" for="all"/>',
        '<key id="networkCanvasType" attr.name="networkCanvasType" attr.type="string" '
        'for="all"/>',
        '<key id="networkCanvasUUID" attr.name="networkCanvasUUID" attr.type="string" '
        'for="all"/>',
        '<key id="ego-name-var" attr.name="egoName" attr.type="string" for="graph"/>',
        f'<key id="{NAME}" attr.name="name" attr.type="string" for="node"/>',
        f'<key id="{REL}" attr.name="relationship" attr.type="string" for="node"/>',
        *[f'<key id="{PATHWAYS}_{sha1(o)}" attr.name="pathways_{o}" attr.type="boolean" '
          f'for="node"/>' for o in OPTIONS],
        f'<key id="{LAYOUT}_X" attr.name="closeRings_X" attr.type="double" for="node"/>',
        f'<key id="{LAYOUT}_Y" attr.name="closeRings_Y" attr.type="double" for="node"/>',
        '<key id="networkCanvasTargetUUID" attr.name="networkCanvasTargetUUID" '
        'attr.type="string" for="edge"/>',
        '<key id="networkCanvasSourceUUID" attr.name="networkCanvasSourceUUID" '
        'attr.type="string" for="edge"/>',
    ]
    nodes = []
    for i, (name, rel, chosen, (x, y)) in enumerate(people):
        data = [f'<data key="networkCanvasUUID">{NODE_UUIDS[i]}</data>',
                '<data key="networkCanvasType">person</data>',
                f'<data key="label">{name}</data>',
                f'<data key="{NAME}">{name}</data>', f'<data key="{REL}">{rel}</data>',
                *[f'<data key="{PATHWAYS}_{sha1(o)}">{str(o in chosen).lower()}</data>'
                  for o in OPTIONS],
                f'<data key="{LAYOUT}_X">{x}</data>', f'<data key="{LAYOUT}_Y">{y}</data>']
        nodes.append(f'<node id="{i + 1}">' + "".join(data) + "</node>")
    edges = [f'<edge id="{n + 1}" source="{a + 1}" target="{b + 1}">'
             f'<data key="networkCanvasUUID">edge-{n}</data>'
             '<data key="networkCanvasType">knows</data>'
             f'<data key="networkCanvasSourceUUID">{NODE_UUIDS[a]}</data>'
             f'<data key="networkCanvasTargetUUID">{NODE_UUIDS[b]}</data></edge>'
             for n, (a, b) in enumerate(TIES)]
    return f"""<?xml version="1.0" encoding="UTF-8"?>
  <graphml
    xmlns="http://graphml.graphdrawing.org/xmlns"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns
    http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
    xmlns:nc="http://schema.networkcanvas.com/xmlns">
{chr(10).join(keys)}
<graph
  edgedefault="undirected"
  nc:caseId="ASH-01"
  nc:sessionUUID="{session}"
  nc:protocolName="Resettlement networks"
  nc:protocolUID="proto-1"
  nc:codebookHash="abc"
  nc:sessionExportTime="2026-12-01T10:00:00.000Z"
>
<data key="networkCanvasUUID">ego-uuid-1</data>
<data key="ego-name-var">Ash</data>
{chr(10).join(nodes)}
{chr(10).join(edges)}
</graph>
</graphml>
""".encode()


def network_canvas_csv_zip(session=SESSION) -> bytes:
    """The same session as the exporter's CSV file set, zipped."""
    def table(rows):
        return ("\r\n".join(",".join(str(c) for c in row) for row in rows) + "\r\n").encode()

    prefix = f"ASH-01_{session}"
    ego = table([["networkCanvasEgoUUID", "networkCanvasCaseID", "networkCanvasSessionID",
                  "networkCanvasProtocolName", "sessionStart", "sessionFinish",
                  "sessionExported", "egoName"],
                 ["ego-uuid-1", "ASH-01", session, "Resettlement networks", "", "",
                  "2026-12-01T10:00:00.000Z", "Ash"]])
    header = ["nodeID", "networkCanvasEgoUUID", "networkCanvasUUID", "name", "relationship",
              *[f"pathways_{o}" for o in OPTIONS], "closeRings_x", "closeRings_y"]
    rows = [header] + [[i + 1, "ego-uuid-1", NODE_UUIDS[i], name, f'"{rel}"',
                        *[str(o in chosen).lower() for o in OPTIONS], x, y]
                       for i, (name, rel, chosen, (x, y)) in enumerate(PEOPLE)]
    edges = table([["edgeID", "from", "to", "networkCanvasEgoUUID", "networkCanvasUUID",
                    "networkCanvasSourceUUID", "networkCanvasTargetUUID"]]
                  + [[n + 1, a + 1, b + 1, "ego-uuid-1", f"edge-{n}", NODE_UUIDS[a],
                      NODE_UUIDS[b]] for n, (a, b) in enumerate(TIES)])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(f"{prefix}_ego.csv", ego)
        z.writestr(f"{prefix}_attributeList_person.csv", table(rows))
        z.writestr(f"{prefix}_edgeList_knows.csv", edges)
    return buffer.getvalue()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph><node id="1">
<data key="label">&lol4;</data></node></graph></graphml>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE graphml [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph><node id="1">
<data key="label">&x;</data></node></graph></graphml>"""


def mapped(session):
    return mapping.apply(session, mapping.propose(session))


def test_graphml_as_network_canvas_writes_it_gives_names_rings_and_ties():
    session = graphml.parse(network_canvas_graphml())
    assert session["session_uuid"] == SESSION
    assert session["case_id"] == "ASH-01"
    assert session["protocol_name"] == "Resettlement networks"
    assert session["ego"] == {"egoName": "Ash"}
    assert session["variables"]["pathways"] == {"type": "categorical", "options": OPTIONS}
    assert session["variables"]["closeRings"] == {"type": "layout"}
    proposal = mapping.propose(session)
    assert (proposal["name"], proposal["relationship"], proposal["support"],
            proposal["closeness"], proposal["layout"]) == \
        ("name", "relationship", "pathways", None, "closeRings")
    result = mapped(session)
    got = {p["person"]["name"]: p["connection"]["closeness"] for p in result["people"]}
    assert got == CLOSENESS
    susan = next(p for p in result["people"] if p["person"]["name"] == "Susan Clarke")
    assert susan["connection"]["support"] == ["accommodation", "emotional"]
    assert susan["connection"]["relationship"] == "aunt"
    assert [(t["a"], t["b"]) for t in result["ties"]] == \
        [(NODE_UUIDS[a], NODE_UUIDS[b]) for a, b in TIES]


def test_the_csv_file_set_gives_the_same_network():
    from_graphml = mapped(graphml.parse(network_canvas_graphml()))
    session = network_canvas_csv.parse([("export.zip", network_canvas_csv_zip())])
    assert session["session_uuid"] == SESSION
    from_csv = mapped(session)
    assert from_csv["people"] == [
        {**p, "where": q["where"]} for p, q in zip(from_graphml["people"], from_csv["people"])]
    assert from_csv["ties"] == [{**t, "where": u["where"]}
                                for t, u in zip(from_graphml["ties"], from_csv["ties"])]


def test_the_csv_files_may_come_separately():
    with zipfile.ZipFile(io.BytesIO(network_canvas_csv_zip())) as z:
        files = [(n, z.read(n)) for n in z.namelist()]
    assert len(mapped(network_canvas_csv.parse(files))["people"]) == 5


@pytest.mark.parametrize("raw", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_entities_are_refused(raw):
    with pytest.raises(InterchangeError, match="DTD or entities"):
        graphml.parse(raw)


def test_a_truncated_file_names_the_line():
    raw = network_canvas_graphml()
    with pytest.raises(InterchangeError, match=r"not complete GraphML: line \d+"):
        graphml.parse(raw[: len(raw) // 2])


def test_a_file_over_the_limit_is_refused_plainly():
    with pytest.raises(InterchangeError, match="the most netmap reads is 5 MB"):
        graphml.parse(b" " * (5 * 1024 * 1024 + 1))


def test_a_csv_line_with_the_wrong_number_of_values_is_named():
    raw = network_canvas_csv_zip()
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        files = [(n, z.read(n)) for n in z.namelist()]
    files = [(n, c + b"99,ego,extra\r\n" if "attributeList" in n else c) for n, c in files]
    with pytest.raises(InterchangeError, match=r"attributeList_person\.csv line 7"):
        network_canvas_csv.parse(files)


def test_a_mapping_can_be_changed_and_is_checked():
    session = graphml.parse(network_canvas_graphml())
    changed = mapping.parse_mapping('{"name": "label", "relationship": null}', session)
    assert changed["name"] == "label" and changed["relationship"] is None
    with pytest.raises(InterchangeError, match="no variable 'nickname'"):
        mapping.parse_mapping('{"name": "nickname"}', session)
    with pytest.raises(InterchangeError, match="keys netmap does not know: colour"):
        mapping.parse_mapping('{"colour": "red"}', session)


def test_rings_from_distance_to_the_centre():
    assert [mapping.ring_of(xy) for xy in [(0.5, 0.5), (0.62, 0.5), (0.5, 0.79), (0, 0)]] == \
        [1, 2, 3, 5]
    for closeness in range(1, 6):
        xy = mapping.position_for(closeness, 2, 7)
        assert mapping.closeness_of_ring(mapping.ring_of(xy)) == closeness
