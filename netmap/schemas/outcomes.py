"""Outcomes after release and the cohort filters."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validates_schema

from .. import codes
from . import IsoDate, StrictSchema, one_of


def _not_future(value: str) -> None:
    from datetime import date

    if date.fromisoformat(value) > date.today():
        raise ValidationError("Must not be in the future.")


class OutcomeSchema(StrictSchema):
    id = fields.String(dump_only=True)
    checkpoint = fields.String(required=True,
                               validate=one_of(codes.OUTCOME_CHECKPOINTS, "checkpoint"))
    date = IsoDate(required=True, validate=_not_future)
    accommodation = fields.String(required=True, validate=one_of(codes.OUTCOME_ACCOMMODATION,
                                                                 "accommodation"))
    accommodation_planned = fields.Boolean(
        allow_none=True, metadata={"description": "Is it the home planned before release?"})
    ete = fields.String(allow_none=True, validate=one_of(codes.OUTCOME_ETE, "ete"))
    in_contact_with_network = fields.Boolean(allow_none=True)
    # Left out means not recorded, its own category in the figures (never taken as "no").
    recalled = fields.Boolean(allow_none=True)
    reconvicted = fields.Boolean(allow_none=True)
    health = fields.String(allow_none=True, validate=one_of(codes.OUTCOME_ENGAGEMENT,
                                                            "engagement"))
    substance_misuse = fields.String(allow_none=True,
                                     validate=one_of(codes.OUTCOME_ENGAGEMENT, "engagement"))
    notes = fields.String(allow_none=True)
    recorded_by = fields.String(dump_only=True)
    recorded_at = fields.String(dump_only=True)
    current = fields.Boolean(dump_only=True)


class CohortQuerySchema(Schema):
    as_of = IsoDate()
    local_authority = fields.String()
    prison = fields.String()
    release_from = IsoDate()
    release_to = IsoDate()

    @validates_schema
    def range_in_order(self, data, **kwargs):
        if data.get("release_from") and data.get("release_to") and \
                data["release_to"] < data["release_from"]:
            raise ValidationError("Must not be before release_from.", "release_to")


class CohortCsvQuerySchema(CohortQuerySchema):
    """The cohort CSV's query: the same filters, and `headings`: `labels` (the default: a
    header row and figures in words, for people) or `codes` (figure names, for machines)."""
    headings = fields.String(load_default="labels",
                             validate=one_of(("labels", "codes"), "headings"),
                             metadata={"description": "labels (default) or codes"})
