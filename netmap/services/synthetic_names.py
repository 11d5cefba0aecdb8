"""Made-up full names for a generated cohort, spread the way a real population's names are.

A national service's search is only measured fairly on names that repeat as real names do: a
few common ones, then a long tail. Drawing evenly from 50 first names and 30 surnames (as the
hand-made demo does) gives every full name about 2,500 holders at 100,000 young people, where
a real population's most common full name is shared by one person in ten thousand or so.

Here a first name is drawn from about 160 and a surname from about 1,400 (made from the parts
of English place names, so no real family is named on purpose), each with a weight of
1 / (rank + offset): the commonest first name is about 2 % of people and the commonest surname
about 0.8 %, near the shares of the commonest names in England and Wales, and the commonest
full name is held by about one person in 5,000.
"""

from __future__ import annotations

import random
from itertools import accumulate

FIRST_NAMES = (
    "Jamie", "Alex", "Sam", "Jordan", "Chloe", "Liam", "Olivia", "Mohammed", "Amelia", "Jack",
    "Emily", "Ryan", "Jessica", "Connor", "Sophie", "Kyle", "Megan", "Callum", "Lauren",
    "Aaron", "Bethany", "Tyler", "Ellie", "Reece", "Hannah", "Lewis", "Charlotte", "Nathan",
    "Amy", "Dylan", "Holly", "Adam", "Shannon", "Ben", "Abigail", "Harry", "Courtney", "Daniel",
    "Paige", "Kieran", "Rebecca", "Josh", "Leah", "Luke", "Georgia", "Owen", "Jade", "Ethan",
    "Niamh", "Aidan", "Zara", "Bilal", "Priya", "Omar", "Aisha", "Hamza", "Fatima", "Yusuf",
    "Amara", "Kwame", "Efe", "Tomasz", "Ioana", "Dafydd", "Cerys", "Rhys", "Gwen", "Nia",
    "Declan", "Siobhan", "Casey", "Robin", "Drew", "Eden", "Frankie", "Harley", "Indy", "Jules",
    "Kit", "Lee", "Marley", "Nico", "Oakley", "Parker", "Quinn", "Remy", "Sky", "Toni", "Umar",
    "Vic", "Wren", "Yara", "Zeke", "Keira", "Leon", "Maya", "Sana", "Uma", "Vera", "Wes",
    "Jonah", "Bailey", "Brandon", "Caitlin", "Demi", "Elliot", "Faith", "Grace", "Hayden",
    "Imogen", "Jasmine", "Kayden", "Lacey", "Mason", "Nadia", "Oscar", "Phoebe", "Riley",
    "Scarlett", "Tia", "Vinnie", "Whitney", "Xander", "Yasmin", "Zack", "Aryan", "Bogdan",
    "Chidi", "Dominika", "Emeka", "Farah", "Gabriel", "Hassan", "Ibrahim", "Jakub", "Kasia",
    "Lamar", "Malik", "Nuala", "Oisin", "Patryk", "Rashid", "Sadia", "Tariq", "Usman",
    "Valentina", "Wiktoria", "Yaw", "Zainab", "Ashton", "Brooke", "Cody", "Dionne", "Ebony",
    "Fraser", "Gemma", "Hollie", "Isaac", "Jayden", "Kane", "Logan", "Morgan", "Nadine",
)
_HEADS = (
    "Ash", "Birch", "Brad", "Brom", "Cald", "Cold", "Cran", "Dun", "East", "Ell", "Fair", "Farn",
    "Green", "Hal", "Hart", "Hey", "Holl", "Ing", "Kers", "Kirk", "Lang", "Lin", "Marl", "Mill",
    "Nor", "North", "Oak", "Pen", "Red", "Row", "Sand", "Stan", "Stock", "Thorn", "Under",
    "Wal", "West", "Whit", "Wood", "Yard", "Alder", "Bam", "Brent", "Chad", "Dal", "Elm",
    "Fen", "Ham", "Ips", "Lox", "Mor", "Nut", "Ock", "Pad", "Rad", "Sal", "Tad", "Up", "Wad",
    "Wes", "Apple", "Black", "Brook", "Coal", "Dews", "Frod", "Gar", "Hather", "Knott",
)
_TAILS = (
    "ley", "well", "worth", "ford", "ham", "ton", "by", "more", "field", "wood", "croft",
    "shaw", "dale", "hurst", "wick", "stead", "cott", "bury", "den", "combe",
)
SURNAMES = tuple(head + tail for head in _HEADS for tail in _TAILS)


def _cumulative(names: tuple[str, ...], offset: int) -> list[float]:
    return list(accumulate(1 / (rank + offset) for rank in range(len(names))))


def _shuffled(names: tuple[str, ...], seed: int) -> tuple[str, ...]:
    # Which made-up surname is common is chosen at random, once, so the commonest are not all
    # "Ash…".
    out = list(names)
    random.Random(seed).shuffle(out)
    return tuple(out)


_SURNAMES_BY_RANK = _shuffled(SURNAMES, 7)
_FIRST_WEIGHTS = _cumulative(FIRST_NAMES, 20)
_SURNAME_WEIGHTS = _cumulative(_SURNAMES_BY_RANK, 30)


def full_name(rng: random.Random) -> str:
    """One made-up full name, drawn with the spread described above."""
    first = rng.choices(FIRST_NAMES, cum_weights=_FIRST_WEIGHTS)[0]
    return f"{first} {rng.choices(_SURNAMES_BY_RANK, cum_weights=_SURNAME_WEIGHTS)[0]}"
