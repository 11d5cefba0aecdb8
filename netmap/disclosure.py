"""Disclosure control for figures about groups of young people: pure functions, no database.

A figure about a group must not let anyone learn something about one young person. The
rules, given a small-number threshold N (``Policy.small_number``, 5 by default):

1. **Primary suppression.** Any count from 1 to N-1 is withheld. Zero is shown (it names
   nobody) unless rule 2 says otherwise.
2. **Small groups.** When a group has fewer than N people, no figure about it is shown at
   all: its breakdowns, its zeros, its rates and medians (a "0 recalled" beside a withheld
   total of 1 tells you about that one person).
3. **Secondary suppression.** A breakdown whose cells add up to a shown total (``Sum``)
   must not let a withheld cell be worked out by subtraction. When a cell of it is withheld,
   the withheld cells of that breakdown must be at least two and add up to at least N;
   otherwise the next-smallest shown non-zero cell is withheld too, until they do. A breakdown whose
   total is withheld must have at least one withheld cell (or the total would be its sum).
   Cells that are never published (the "rest" of a yes/no split, ``unpublished``) count as
   withheld for this, and become protected themselves once they protect another cell.
4. **Rates, means and medians** are given only where the group they describe has at least N
   people and none of the counts they are worked out from is withheld.

Every withheld figure looks the same to the reader (``SUPPRESSED``, or ``null`` in JSON):
saying which were under N and which were hidden to protect them would let a reader work the
first back out.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Iterable, Mapping

SUPPRESSED = "suppressed"


def is_small(value, threshold: int) -> bool:
    """A count from 1 to threshold-1: too few people to show."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < threshold


@dataclass(frozen=True)
class Sum:
    """A breakdown: the cells ``parts`` add up to the cell ``total``."""

    total: str
    parts: tuple[str, ...]


def withheld(values: Mapping[str, int], sums: Iterable[Sum], threshold: int, *,
             unpublished: Iterable[str] = (),
             groups: Mapping[str, Iterable[str]] | None = None) -> frozenset[str]:
    """The cells that must not be shown (nor be worked out from the others).

    ``values`` holds every cell, published or not; ``sums`` the breakdowns; ``unpublished``
    the cells never shown (their values are still needed: a small remainder must stay
    hidden); ``groups`` maps a cell counting a group of people to the cells that describe
    that group (each ``Sum`` is a group of its parts too). The result includes unpublished
    cells that protect others; callers blank the published ones."""
    sums = list(sums)

    def _next_smallest(key: str):
        # The smallest count first; zeros last (hiding a zero protects nothing).
        value = values.get(key) or 0
        return (value == 0, value, key)

    hidden_by_nature = set(unpublished)
    members: dict[str, set[str]] = {}
    for s in sums:
        members.setdefault(s.total, set()).update(s.parts)
    for total, keys in (groups or {}).items():
        members.setdefault(total, set()).update(keys)

    out = {k for k, v in values.items() if is_small(v, threshold)}
    # Rule 2: everything about a small group is withheld, and a group within it is small too.
    small_groups = [k for k in members if is_small(values.get(k), threshold)]
    seen: set[str] = set()
    while small_groups:
        key = small_groups.pop()
        if key in seen:
            continue
        seen.add(key)
        for member in members.get(key, ()):
            out.add(member)
            if member in members:
                small_groups.append(member)
    # Rule 3, until nothing changes (a cell withheld in one breakdown may be in another).
    changed = True
    while changed:
        changed = False
        for s in sums:
            hidden = [p for p in s.parts if p in out or p in hidden_by_nature]
            if s.total not in out:
                if not any(p in out for p in s.parts):
                    continue
                shown = sorted((p for p in s.parts if p not in hidden), key=_next_smallest)
                while shown and (len(hidden) < 2 or
                                 sum(values.get(p) or 0 for p in hidden) < threshold):
                    hidden.append(shown.pop(0))
            else:
                if not hidden:
                    hidden = [min(s.parts, key=_next_smallest)]
            for p in hidden:
                if p not in out:
                    out.add(p)
                    changed = True
    return frozenset(out)


def rate(part: int, rest: int, threshold: int, *,
         hidden: bool = False) -> tuple[float | None, bool]:
    """``(rate, suppressed)`` for ``part`` out of ``part + rest`` (the people for whom it was
    recorded, not-recorded left out). ``hidden`` when either count is withheld."""
    if hidden:
        return None, True
    whole = part + rest
    if whole == 0:
        return None, False
    if whole < threshold:
        return None, True
    return round(part / whole, 3), False


def mean(average: float | None, count: int, threshold: int, *,
         hidden: bool = False) -> tuple[float | None, bool]:
    """``(mean, suppressed)``: ``average`` over ``count`` people, given from N people up."""
    if hidden:
        return None, True
    if not count:
        return None, False
    if count < threshold:
        return None, True
    return round(average or 0, 2), False


def median(values: list, threshold: int, *, hidden: bool = False) -> tuple[float | None, bool]:
    """``(median, suppressed)``: the median of one value a person, given from N people up."""
    if hidden:
        return None, True
    if not values:
        return None, False
    if len(values) < threshold:
        return None, True
    return statistics.median(values), False


def shown(value, suppressed: bool, none_text: str = ""):
    """What a shared report prints: ``SUPPRESSED`` for a withheld figure, never a zero."""
    if suppressed:
        return SUPPRESSED
    return none_text if value is None else value
