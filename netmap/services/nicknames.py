"""Common English nicknames, so that "Sue Clarke" finds Susan Clarke and "Susan" finds Sue.

`FORMAL` maps each formal first name to the short forms people go by. Everything is lower case.
A nickname can belong to several formal names (Alex: Alexander and Alexandra; Sam: Samuel and
Samantha), so lookups return sets.

- `formal_names(word)`: the formal names a word is a short form of ("sue" -> {"susan"}).
- `nicknames(word)`: the short forms of a formal name ("robert" -> {"bob", "rob", ...}).
- `expand(word)`: the word, its formal names, and the short forms of those and of itself: every
  first name a person called `word` might have been written down as.
- `same_name(a, b)`: whether two first names can be the same person's (equal, or sharing a
  formal name).
"""

from __future__ import annotations

from functools import lru_cache

FORMAL: dict[str, tuple[str, ...]] = {
    # women's names
    "abigail": ("abby", "abbie", "abi", "gail"),
    "alexandra": ("alex", "alexa", "lexi", "lexie", "sandra", "sandy", "sasha", "ali"),
    "alice": ("ally", "allie"),
    "alison": ("ali", "ally", "allie"),
    "amanda": ("mandy", "manda"),
    "amelia": ("millie", "mia", "amy"),
    "andrea": ("andi", "andie"),
    "angela": ("angie", "ange"),
    "annabel": ("bella", "annie"),
    "anne": ("annie", "nan", "nancy"),
    "antonia": ("toni", "tonia"),
    "barbara": ("barb", "babs", "barbie"),
    "beatrice": ("bea", "bee", "trixie"),
    "bernadette": ("bernie", "detta"),
    "caroline": ("carrie", "caro", "lina"),
    "catherine": ("cath", "cathy", "kate", "katie", "kay", "cat"),
    "charlotte": ("charlie", "lottie", "lotte", "char"),
    "christina": ("chris", "chrissy", "tina", "kirsty"),
    "christine": ("chris", "chrissy", "tina"),
    "claire": ("clair",),
    "cynthia": ("cindy",),
    "danielle": ("dani", "ellie"),
    "deborah": ("debbie", "deb", "debs", "debra"),
    "dorothy": ("dot", "dottie", "dolly", "dora"),
    "eleanor": ("ellie", "elle", "nell", "nora", "lennie"),
    "elizabeth": ("liz", "lizzie", "lizzy", "beth", "betty", "bess", "bessie", "eliza",
                  "libby", "elsie", "lisa", "liza", "ellie"),
    "emily": ("em", "emmy", "millie"),
    "emma": ("em", "emmy"),
    "florence": ("flo", "florrie", "flossie"),
    "frances": ("fran", "frankie", "fanny"),
    "gabrielle": ("gabby", "gabi", "elle"),
    "georgina": ("georgie", "gina"),
    "geraldine": ("gerry", "geri", "dina"),
    "gillian": ("gill", "jill", "gilly"),
    "harriet": ("hattie", "hatty", "harri"),
    "helen": ("nell", "nelly", "lena"),
    "isabel": ("izzy", "bel", "bella", "isa"),
    "isabella": ("izzy", "bella", "isa"),
    "jacqueline": ("jackie", "jacqui", "jac"),
    "janet": ("jan", "jen", "netty"),
    "jennifer": ("jen", "jenny", "jenni", "jess"),
    "jessica": ("jess", "jessie", "jessy"),
    "joanna": ("jo", "joanne", "jojo"),
    "joanne": ("jo", "jojo"),
    "josephine": ("jo", "josie", "jojo"),
    "judith": ("judy", "jude"),
    "julia": ("jules", "julie"),
    "katherine": ("kate", "katie", "kath", "kathy", "kat", "kay", "kitty", "katy", "katey"),
    "kathleen": ("kath", "kathy", "kate", "katie"),
    "kimberley": ("kim", "kimmy"),
    "laura": ("laurie", "lau"),
    "lillian": ("lily", "lil", "lilly"),
    "louisa": ("lou", "lulu", "louie"),
    "louise": ("lou", "lulu", "louie"),
    "lucinda": ("lucy", "cindy"),
    "madeleine": ("maddie", "maddy", "madi"),
    "margaret": ("maggie", "meg", "peggy", "marge", "margie", "greta", "rita", "molly",
                 "daisy", "mags"),
    "mary": ("molly", "polly", "mae", "mamie"),
    "matilda": ("tilly", "tillie", "mattie"),
    "melanie": ("mel",),
    "melissa": ("mel", "missy", "lissa"),
    "michelle": ("shell", "shelly", "chelle"),
    "natalie": ("nat", "tally"),
    "nicola": ("nicky", "nikki", "nic", "nicki"),
    "olivia": ("liv", "livvy", "ollie", "livia"),
    "pamela": ("pam", "pammy"),
    "patricia": ("pat", "patty", "patsy", "trish", "tricia"),
    "penelope": ("penny", "pen"),
    "philippa": ("pippa", "pip", "phil"),
    "rebecca": ("becky", "becca", "bex", "becks"),
    "rosemary": ("rose", "rosie", "romy"),
    "samantha": ("sam", "sammy", "sammie"),
    "sarah": ("sally", "sadie", "sara"),
    "sophia": ("sophie", "soph"),
    "stephanie": ("steph", "stevie", "steffi"),
    "susan": ("sue", "susie", "suzy", "suzie", "sukie", "susi"),
    "suzanne": ("sue", "suzy", "suzie"),
    "teresa": ("terry", "tess", "tessa", "tracy", "terri"),
    "theresa": ("terry", "tess", "tessa", "tracy", "terri"),
    "valerie": ("val",),
    "victoria": ("vicky", "vicki", "tori", "vic", "vikki"),
    "virginia": ("ginny", "ginger"),
    "wilhelmina": ("mina", "willa", "minnie"),
    "winifred": ("winnie", "freda"),
    "yvonne": ("vonnie",),
    "zoe": ("zo",),
    # men's names
    "aaron": ("ronnie", "ron"),
    "abraham": ("abe", "bram"),
    "albert": ("al", "bert", "bertie"),
    "alexander": ("alex", "alec", "sandy", "xander", "lex", "al", "sasha"),
    "alfred": ("alf", "alfie", "fred", "freddie"),
    "alistair": ("ali", "al"),
    "andrew": ("andy", "drew", "andie"),
    "anthony": ("tony", "ant", "anton"),
    "archibald": ("archie", "baldie"),
    "arthur": ("art", "artie"),
    "augustus": ("gus", "gussie"),
    "bartholomew": ("bart", "barty"),
    "benedict": ("ben", "benny"),
    "benjamin": ("ben", "benny", "benji", "benjy"),
    "bernard": ("bernie", "barney"),
    "bradley": ("brad",),
    "callum": ("cal",),
    "cameron": ("cam",),
    "charles": ("charlie", "chas", "chaz", "chuck", "chip"),
    "christopher": ("chris", "kit", "topher", "chrissy"),
    "clifford": ("cliff",),
    "colin": ("col",),
    "cornelius": ("neil", "connie"),
    "daniel": ("dan", "danny", "dani"),
    "david": ("dave", "davy", "davie", "dai"),
    "dominic": ("dom", "nic"),
    "donald": ("don", "donny", "donnie"),
    "douglas": ("doug", "dougie"),
    "duncan": ("dunc",),
    "edmund": ("ed", "eddie", "ned", "ted"),
    "edward": ("ed", "eddie", "eddy", "ned", "ted", "teddy"),
    "edwin": ("ed", "eddie", "win"),
    "eugene": ("gene",),
    "francis": ("frank", "frankie", "fran"),
    "frederick": ("fred", "freddie", "freddy", "fritz", "rick"),
    "gabriel": ("gabe", "gabby"),
    "geoffrey": ("geoff", "jeff"),
    "george": ("georgie", "geordie"),
    "gerald": ("gerry", "jerry", "ged"),
    "gilbert": ("gil", "bert"),
    "gordon": ("gordie",),
    "gregory": ("greg", "gregg"),
    "harold": ("harry", "hal"),
    "henry": ("harry", "hal", "hank", "hen"),
    "herbert": ("herb", "bert", "herbie"),
    "howard": ("howie",),
    "isaac": ("ike", "zac"),
    "jacob": ("jake", "jay", "jakey"),
    "james": ("jim", "jimmy", "jamie", "jem", "jimbo"),
    "jeffrey": ("jeff",),
    "jeremy": ("jerry", "jez"),
    "john": ("jack", "johnny", "jon", "jonny"),
    "jonathan": ("jon", "jonny", "johnny", "nathan", "jonty"),
    "joseph": ("joe", "joey", "jo", "jos"),
    "joshua": ("josh",),
    "kenneth": ("ken", "kenny"),
    "lawrence": ("larry", "laurie", "lol", "lawrie"),
    "leonard": ("len", "lenny", "leo", "leon"),
    "lewis": ("lew", "lewie"),
    "louis": ("lou", "louie"),
    "malcolm": ("mal", "malc"),
    "matthew": ("matt", "matty", "mat"),
    "maximilian": ("max",),
    "maxwell": ("max",),
    "michael": ("mike", "mick", "micky", "mickey", "mikey", "mich"),
    "nathan": ("nate", "nat"),
    "nathaniel": ("nat", "nate", "nathan"),
    "nicholas": ("nick", "nicky", "nico", "nic"),
    "oliver": ("ollie", "olly", "noll"),
    "oscar": ("ossie", "oz"),
    "patrick": ("pat", "paddy", "patsy"),
    "peter": ("pete", "petey"),
    "philip": ("phil", "pip"),
    "raymond": ("ray",),
    "reginald": ("reg", "reggie", "rex"),
    "richard": ("rich", "richie", "rick", "ricky", "dick", "rico"),
    "robert": ("bob", "bobby", "rob", "robbie", "bert", "robin", "robby"),
    "rodney": ("rod", "roddy"),
    "roger": ("rodge",),
    "ronald": ("ron", "ronnie"),
    "rupert": ("rupe",),
    "samuel": ("sam", "sammy", "sammie"),
    "sebastian": ("seb", "bastian", "bash"),
    "simon": ("si",),
    "stanley": ("stan",),
    "stuart": ("stu",),
    "terence": ("terry", "tel"),
    "theodore": ("theo", "ted", "teddy"),
    "thomas": ("tom", "tommy", "thom"),
    "timothy": ("tim", "timmy"),
    "tobias": ("toby",),
    "vincent": ("vince", "vinnie", "vin"),
    "walter": ("walt", "wally"),
    "william": ("will", "bill", "billy", "willie", "willy", "liam", "wills"),
    "zachary": ("zach", "zack", "zac"),
}


def _build_reverse() -> dict[str, frozenset[str]]:
    reverse: dict[str, set[str]] = {}
    for formal, shorts in FORMAL.items():
        for short in shorts:
            reverse.setdefault(short, set()).add(formal)
    return {k: frozenset(v) for k, v in reverse.items()}


NICKNAME_OF = _build_reverse()


def _key(word: str) -> str:
    return (word or "").strip().lower()


def formal_names(word: str) -> frozenset[str]:
    """The formal names `word` is a short form of (empty when it is not a known nickname)."""
    return NICKNAME_OF.get(_key(word), frozenset())


def nicknames(word: str) -> frozenset[str]:
    """The short forms of a formal name (empty when it is not a known formal name)."""
    return frozenset(FORMAL.get(_key(word), ()))


@lru_cache(maxsize=4096)
def expand(word: str) -> frozenset[str]:
    """Every first name a person called `word` might be recorded under, `word` included."""
    key = _key(word)
    if not key:
        return frozenset()
    names = {key}
    formals = set(formal_names(key))
    if key in FORMAL:
        formals.add(key)
    names |= formals
    for formal in formals:
        names.update(FORMAL[formal])
    return frozenset(names)


@lru_cache(maxsize=16384)  # ranking asks for the same few names thousands of times a search
def canonical(word: str) -> frozenset[str]:
    """The formal names behind a first name: itself if formal, its formal names if a nickname."""
    key = _key(word)
    found = set(formal_names(key))
    if key in FORMAL or not found:
        found.add(key)
    return frozenset(found)


def same_name(a: str, b: str) -> bool:
    """Whether two first names can belong to the same person ("Sue" and "Susie": both Susan)."""
    ka, kb = _key(a), _key(b)
    if not ka or not kb:
        return False
    return ka == kb or bool(canonical(ka) & canonical(kb))
