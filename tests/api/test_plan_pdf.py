"""GET /api/v1/young-people/{id}/plan.pdf: the plan on A4, rendered by WeasyPrint, with the
young person's name, every pathway with its owner and back-up plan, and the network-strength
summary. Its first page is turned into an image to check it is not blank."""

from __future__ import annotations

import pypdfium2 as pdfium


def pdf_text(data: bytes) -> str:
    doc = pdfium.PdfDocument(data)
    return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def test_the_plan_pdf_renders_with_the_plan_and_the_strength(
        store, coordinator, young_person, add_person):
    yp = young_person["id"]
    aunt = add_person(yp, "Winifred Carrow", relationship="aunt", closeness=5,
                      support=["accommodation", "emotional"], consent_to_contact="yes")
    coordinator.put(f"/api/v1/young-people/{yp}/plan/accommodation", json={
        "action": "Live with his aunt in Northbridge.", "owner_person_id": aunt["person_id"],
        "due": "2027-02-20", "status": "in_progress",
        "contingency": "Supported lodgings through the leaving care team."})

    r = coordinator.get(f"/api/v1/young-people/{yp}/plan.pdf")

    assert r.status_code == 200
    assert r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF")
    doc = pdfium.PdfDocument(r.data)
    first = doc[0]
    width, height = first.get_size()
    assert round(width) == 595 and round(height) == 842  # A4 in points
    image = first.render(scale=1).to_pil().convert("L")
    dark = sum(1 for value in image.getdata() if value < 128)
    assert dark > 2000, "the first page looks blank"

    text = pdf_text(r.data)
    assert "Resettlement plan for Ash Brightwell" in text
    for pathway in ("Somewhere to live", "Education, training and work", "Health",
                    "Drugs and alcohol", "Money, benefits and debt", "Children and family",
                    "Attitudes, thinking and behaviour"):
        assert pathway in text
    assert "Live with his aunt in Northbridge." in text
    assert "Winifred Carrow (aunt)" in text
    assert "Supported lodgings through the leaving care team." in text
    assert "How strong the network is" in text and "out of 100" in text
    assert "Nobody is named as responsible" in text  # the other pathways

    with store.unit_of_work() as uow:
        actions = [e["action"] for e in uow.audit.for_young_person(yp)]
    assert "plan.pdf" in actions


def test_the_plan_pdf_is_only_for_the_team_and_the_young_person(
        coordinator, young_person, make_user):
    yp = young_person["id"]
    assert make_user("coordinator").get(f"/api/v1/young-people/{yp}/plan.pdf").status_code \
        == 404
    themself = make_user("young_person", young_person_id=yp)
    assert themself.get(f"/api/v1/young-people/{yp}/plan.pdf").status_code == 200
