"""The generated cohort's names repeat as a real population's do, so a name search over a
national-sized cohort is measured on realistic numbers of namesakes."""

import random
from collections import Counter

from netmap.services.synthetic_names import full_name


def test_the_same_seed_gives_the_same_names():
    assert [full_name(random.Random(5)) for _ in range(3)] == \
        [full_name(random.Random(5)) for _ in range(3)]


def test_no_full_name_is_shared_by_more_than_one_person_in_two_thousand():
    rng = random.Random(1)
    names = Counter(full_name(rng) for _ in range(200_000))
    assert names.most_common(1)[0][1] <= 200_000 / 2_000
    assert len(names) > 50_000


def test_the_commonest_first_name_and_surname_are_a_few_percent_at_most():
    rng = random.Random(2)
    drawn = [full_name(rng).split() for _ in range(100_000)]
    first = Counter(f for f, _ in drawn).most_common(1)[0][1]
    surname = Counter(s for _, s in drawn).most_common(1)[0][1]
    assert 1_000 <= first <= 3_000       # about 2 %: common names are common
    assert 400 <= surname <= 1_200       # about 0.8 %
