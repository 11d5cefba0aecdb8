"""The map page's import from Network Canvas: upload, see what will happen, then confirm
(issue 18 item 3). The file travels back with the confirmation (nothing is kept in between),
and the import runs again from it, all or nothing."""

from __future__ import annotations

import base64
import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField

from netmap.interchange import MAX_BYTES
from netmap.services import network_import, young_people
from netmap.services.access import require_casework
from netmap.services.errors import Forbidden, InvalidInput

from ..auth import current_actor
from ..store import get_store
from .forms import check_csrf

bp = Blueprint("network_interchange", __name__)

FORMAT_CHOICES = [
    ("graphml", "GraphML, as Network Canvas exports it (a .graphml file)"),
    ("network_canvas_csv", "Network Canvas CSV files (the zip, or the CSV files together)"),
    ("netmap_json", "A network exported from netmap (a .json file)"),
]


class ImportForm(FlaskForm):
    format = RadioField("What kind of file is it?", choices=FORMAT_CHOICES,
                        default="graphml")
    mapping = TextAreaField("Which answers go where (optional)")
    payload = HiddenField()
    step = HiddenField()


def _uploads(form: ImportForm) -> list[tuple[str, bytes]]:
    """The files sent now, or those carried by the preview's confirmation."""
    files = [f for f in request.files.getlist("file") if f and f.filename]
    if files:
        return [(f.filename, f.read(MAX_BYTES + 1)) for f in files]
    if form.payload.data:
        try:
            return [(name, base64.b64decode(data))
                    for name, data in json.loads(form.payload.data)]
        except (ValueError, TypeError):
            return []
    return []


@bp.route("/young-people/<young_person_id>/network/import", methods=["GET", "POST"])
@login_required
def import_page(young_person_id):
    store, actor = get_store(), current_actor()
    record = young_people.get(store, actor, young_person_id)
    try:
        require_casework(actor)
    except Forbidden:
        abort(403)
    form = ImportForm()
    check_csrf(form)
    preview, error, status = None, None, 200
    if request.method == "POST":
        uploads = _uploads(form)
        confirm = form.step.data == "confirm" and request.form.get("action") == "import"
        try:
            result = network_import.import_network(
                store, actor, young_person_id, form.format.data, uploads,
                form.mapping.data or None, dry_run=not confirm)
        except InvalidInput as e:
            error, status = e.message, 422
        else:
            if confirm:
                flash(f"Imported: {len(result['created_people'])} people added, "
                      f"{len(result['updated_people'])} updated, "
                      f"{len(result['matched_people'])} already on the map, "
                      f"{len(result['created_ties'])} links.", "success")
                return redirect(url_for("maps.show", young_person_id=young_person_id))
            preview = result
            form.step.data = "confirm"
            form.payload.data = json.dumps([(name, base64.b64encode(raw).decode())
                                            for name, raw in uploads])
            form.mapping.data = json.dumps(result["mapping"], indent=1)
    title = f"Import a Network Canvas interview into {record['name']}'s map"
    return render_template("network/import.html", form=form, record=record, preview=preview,
                           error=error, page_title=title,
                           errors={"titleText": "There is a problem",
                                   "errorList": [{"text": error, "href": "#file"}]}
                           if error else None), status
