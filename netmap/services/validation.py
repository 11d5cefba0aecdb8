"""Loading input through a schema, turning marshmallow's errors into one InvalidInput."""

from __future__ import annotations

from marshmallow import Schema, ValidationError

from .errors import InvalidInput


def flatten(messages, prefix: str = "") -> dict[str, list[str]]:
    """{'person': {'name': ['…']}} -> {'person.name': ['…']}; '_schema' becomes the form."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, list):
        out[prefix or "_schema"] = [str(m) for m in messages]
        return out
    for key, value in messages.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            out.update(flatten(value, name))
        else:
            out[name] = [str(v) for v in (value if isinstance(value, list) else [value])]
    return out


def load(schema: Schema, data, *, partial: bool = False) -> dict:
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object.",
                           {"_schema": ["Must be a JSON object."]})
    try:
        return schema.load(data, partial=partial)
    except ValidationError as e:
        errors = flatten(e.messages)
        first = next(iter(errors.items()))
        raise InvalidInput(f"{first[0]}: {first[1][0]}", errors) from None


def diff(old: dict, new: dict) -> dict[str, list]:
    """{field: [old, new]} for each field whose value changes."""
    return {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}
