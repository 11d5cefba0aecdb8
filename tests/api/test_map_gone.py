"""People who have died, declined or ended contact are drawn distinctly (issue 19, item 6):
on the map's table a grey tag with the word, a crossed grey shape with long dashes, and a line
in the key; the map's script gives them the same mark and the word in their label."""

from __future__ import annotations

from pathlib import Path

from tests.pages import sign_in

MAP_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "map.js"


def row_of(html: str, connection_id: str) -> str:
    start = html.index(f'id="person-{connection_id}"')
    return html[start:html.index("</tr>", start)]


def test_the_map_marks_who_died_declined_or_ended_contact(app, coordinator, young_person,
                                                          add_person):
    yp = young_person["id"]
    nan = add_person(yp, "Edna Ashdown", status="deceased", closeness=4)
    ex = add_person(yp, "Jules Thorne", category="partner", status="ended", closeness=2)
    cousin = add_person(yp, "Kit Ashdown", status="declined", closeness=1)
    aunt = add_person(yp, "Rosa Ashdown", closeness=5)
    html = sign_in(app, coordinator).get(f"/young-people/{yp}/map").get_data(as_text=True)
    for connection, status, word in ((nan, "deceased", "Died"), (ex, "ended", "Contact ended"),
                                     (cousin, "declined", "Declined")):
        row = row_of(html, connection["id"])
        assert f'data-gone="{status}"' in row and f">{word}</strong>" in row
        assert 'stroke-dasharray="0.9 0.35"' in row  # the grey, long-dashed shape
    assert "data-gone" not in row_of(html, aunt["id"])
    assert 'data-key="gone"' in html and "Died, declined or contact ended" in html
    # The picture draws them the same way, with the word in the label (not colour alone).
    script = MAP_JS.read_text()
    assert 'deceased: "died", declined: "declined", ended: "contact ended"' in script
    assert "row.gone" in script and "label += ` (${gone})`" in script


def test_the_printed_map_marks_them_too(app, coordinator, young_person, add_person):
    yp = young_person["id"]
    add_person(yp, "Edna Ashdown", status="deceased", closeness=4)
    html = sign_in(app, coordinator).get(f"/young-people/{yp}/map/print"
                                           ).get_data(as_text=True)
    picture = html[html.index("<svg"):]
    assert "(died)</text>" in picture and "<line " in picture
    assert 'stroke-dasharray="0.9 0.35"' in picture
