"""Disclosure control's rules on small hand-checked tables (netmap.disclosure)."""

from __future__ import annotations

import pytest

from netmap.disclosure import SUPPRESSED, Sum, is_small, mean, median, rate, shown, withheld


def test_a_small_number_is_one_to_threshold_minus_one():
    assert [is_small(v, 5) for v in (0, 1, 4, 5, 12)] == [False, True, True, False, False]
    assert not is_small(None, 5) and not is_small(True, 5) and not is_small(2.0, 5)


def test_one_small_cell_beside_a_total_takes_the_next_smallest_with_it():
    # 30 = 2 + 8 + 20: the 2 alone could be worked out (30 - 8 - 20), so the 8 goes too.
    values = {"t": 30, "a": 2, "b": 8, "c": 20}
    assert withheld(values, [Sum("t", ("a", "b", "c"))], 5) == {"a", "b"}


def test_withheld_cells_must_add_up_to_the_threshold():
    # 1 + 1 = 2 hidden would still say "two people, one in each": the 10 goes too.
    values = {"t": 30, "a": 1, "b": 1, "c": 10, "d": 18}
    assert withheld(values, [Sum("t", ("a", "b", "c", "d"))], 5) == {"a", "b", "c"}
    # 1 + 2 + 3 = 6 hidden is enough.
    values = {"t": 30, "a": 1, "b": 2, "c": 3, "d": 24}
    assert withheld(values, [Sum("t", ("a", "b", "c", "d"))], 5) == {"a", "b", "c"}


def test_a_zero_is_not_the_cell_hidden_to_protect_another():
    # Hiding the 0 would leave the 2 as 30 - 28; the 28 goes instead, and the 0 is shown.
    values = {"t": 30, "a": 2, "z": 0, "b": 28}
    assert withheld(values, [Sum("t", ("a", "z", "b"))], 5) == {"a", "b"}


def test_a_two_way_split_with_a_small_side_hides_both_sides():
    values = {"t": 20, "yes": 3, "no": 17}
    assert withheld(values, [Sum("t", ("yes", "no"))], 5) == {"yes", "no"}


def test_nothing_about_a_group_under_the_threshold_not_even_a_zero():
    values = {"t": 3, "a": 0, "b": 3}
    assert withheld(values, [Sum("t", ("a", "b"))], 5) == {"t", "a", "b"}
    # A group inside a small group is small too, its zeros with it: "0 recalled" of 1 person.
    values = {"t": 1, "recorded": 0, "recalled": 0, "~not": 0, "other": 1}
    sums = [Sum("t", ("recorded", "other")), Sum("recorded", ("recalled", "~not"))]
    assert withheld(values, sums, 5, unpublished={"~not"}) >= {"t", "recorded", "recalled"}
    # And figures that are about the group without adding up to it (conferences held).
    values = {"t": 2, "conferences": 0}
    assert withheld(values, [], 5, groups={"t": {"conferences"}}) == {"t", "conferences"}


def test_an_unpublished_remainder_protects_and_is_protected():
    # 7 young people, 6 in custody: the 1 who is not could be worked out, so the 6 goes.
    values = {"t": 7, "custody": 6, "~rest": 1}
    assert withheld(values, [Sum("t", ("custody", "~rest"))], 5,
                    unpublished={"~rest"}) == {"custody", "~rest"}
    # 10 young people, 3 in custody: the unpublished 7 already hides the 3.
    values = {"t": 10, "custody": 3, "~rest": 7}
    assert withheld(values, [Sum("t", ("custody", "~rest"))], 5,
                    unpublished={"~rest"}) == {"custody", "~rest"}
    # A large remainder protecting nothing is not withheld: it is simply never shown.
    values = {"t": 10, "custody": 10, "~rest": 0}
    assert withheld(values, [Sum("t", ("custody", "~rest"))], 5, unpublished={"~rest"}) \
        == frozenset()


def test_a_cell_hidden_in_one_breakdown_is_not_worked_out_from_another():
    # 20 = x + y with x = 2: y is hidden too; y = y1 + y2 would give y back, so y1 goes.
    values = {"t": 20, "x": 2, "y": 18, "y1": 9, "y2": 9}
    sums = [Sum("t", ("x", "y")), Sum("y", ("y1", "y2"))]
    assert withheld(values, sums, 5) == {"x", "y", "y1"}


@pytest.mark.parametrize("threshold, expected", [
    (1, set()), (3, set()), (5, {"a", "b"}), (10, {"a", "b"}), (13, {"t", "a", "b"})])
def test_the_threshold_decides(threshold, expected):
    values = {"t": 12, "a": 3, "b": 9}
    assert withheld(values, [Sum("t", ("a", "b"))], threshold) == expected


def test_rates_only_for_enough_people_and_never_from_a_withheld_count():
    assert rate(3, 7, 5) == (0.3, False)
    assert rate(1, 2, 5) == (None, True)          # 3 people
    assert rate(0, 0, 5) == (None, False)         # nobody: nothing to show
    assert rate(6, 4, 5, hidden=True) == (None, True)
    assert rate(2, 2, 4) == (0.5, False)


def test_means_and_medians_only_for_enough_people():
    assert median([1, 2, 3, 4], 5) == (None, True)
    assert median([1, 2, 3, 4, 10], 5) == (3, False)
    assert median([], 5) == (None, False)
    assert median([1, 2, 3, 4, 10], 5, hidden=True) == (None, True)
    assert mean(1.234, 5, 5) == (1.23, False)
    assert mean(1.5, 4, 5) == (None, True)
    assert mean(None, 0, 5) == (None, False)


def test_what_a_report_prints():
    assert shown(0, False) == 0
    assert shown(None, True) == SUPPRESSED == "suppressed"
    assert shown(None, False) == ""
    assert shown(None, False, "none recorded") == "none recorded"
