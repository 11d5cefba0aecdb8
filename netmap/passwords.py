"""How strong a new password must be: at least 12 characters and hard to guess.

zxcvbn (a kept library) scores a password against lists of common passwords, names, words,
keyboard patterns, repeats, sequences and dates, the patterns that breached-password lists are
full of. A score of 3 or more ("safely unguessable") is needed. Used everywhere a password is
set: the command line, the admin page, the API and the account page (UserCreateSchema and
users.change_password).
"""

from __future__ import annotations

MIN_LENGTH = 12
MIN_SCORE = 3
# zxcvbn's time grows with the length; nobody types a passphrase longer than this.
MAX_LENGTH = 200


def problems(password: str | None, *, user_inputs: tuple[str, ...] = ()) -> list[str]:
    """What is wrong with this password, in plain words; an empty list when it will do."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return [f"Must be at least {MIN_LENGTH} characters."]
    if len(password) > MAX_LENGTH:
        return [f"Must be at most {MAX_LENGTH} characters."]
    from zxcvbn import zxcvbn

    inputs = []
    for value in user_inputs:
        if value:
            inputs.append(value)
            inputs.append(value.split("@")[0])  # the name part of an email address
            inputs.extend(p for p in value.replace("@", " ").replace(".", " ").split() if p)
    result = zxcvbn(password, user_inputs=inputs)
    if result["score"] >= MIN_SCORE:
        return []
    feedback = result.get("feedback") or {}
    words = "Too easy to guess."
    if feedback.get("warning"):
        words += " " + feedback["warning"]
    hints = feedback.get("suggestions") or []
    if hints:
        words += " " + " ".join(hints[:2])
    else:
        words += " Use three or four words that do not go together."
    return [words]
