"""netmap.policy: the one place where roles are compared, and its rules checked by hand.

The first tests read the source of netmap/, web/ (Python and templates) and graph/ and fail on
any comparison of a role outside netmap/policy.py, so a new `role == "manager"` cannot creep
back in: services ask `actor.can`, templates ask `can`, and questions about another user's
role go through `policy.for_role(role)`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from jinja2 import nodes as jnodes

from netmap import codes, policy
from netmap.policy import Policy

ROOT = Path(__file__).resolve().parents[2]
POLICY_FILE = ROOT / "netmap" / "policy.py"
# The vocabulary of codes (USER_ROLES is the list a user's role is validated against; the
# same words are search sources and labels there). It defines, it does not compare.
CODES_FILE = ROOT / "netmap" / "codes.py"
ROLES = frozenset(codes.USER_ROLES) | {policy.SYSTEM}
# "young_person" also names a kind of record and a search scope: comparing those is not a role
# check. These are the only names such a comparison may have on its other side.
NOT_A_ROLE = {"entity", "scope", "kind", "label", "source"}
# A professional's job ("personal_advisor"...) is also called a role; comparing it with the
# list of professional roles, or with a word that is not a user role, is not an access rule.
PROFESSIONAL_ROLE_LISTS = {"ROLES", "ROLE_ORDER"}
# The policy's names for the roles: `actor.role == policy.ADMIN` is still a role comparison.
ROLE_CONSTANTS = {"YOUNG_PERSON", "COORDINATOR", "PRACTITIONER", "MANAGER", "ADMIN", "SYSTEM"}


def _python_files() -> list[Path]:
    files = [p for d in ("netmap", "web", "graph") for p in (ROOT / d).rglob("*.py")]
    return sorted(p for p in files if p != POLICY_FILE)


def _template_files() -> list[Path]:
    return sorted((ROOT / "web" / "templates").rglob("*.html"))


# --- Python ------------------------------------------------------------------------------
def _is_role_expr(node: ast.AST) -> bool:
    """`role`, `x.role`, `x["role"]`, `x.get("role")`, `getattr(x, "role")`, `x._role`."""
    if isinstance(node, ast.Name):
        return node.id in ("role", "_role")
    if isinstance(node, ast.Attribute):
        return node.attr in ("role", "_role")
    if isinstance(node, ast.Subscript):
        return isinstance(node.slice, ast.Constant) and node.slice.value == "role"
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "get" and node.args:
            return isinstance(node.args[0], ast.Constant) and node.args[0].value == "role"
        if isinstance(func, ast.Name) and func.id == "getattr" and len(node.args) >= 2:
            return isinstance(node.args[1], ast.Constant) and node.args[1].value == "role"
    return False


def _role_literals(node: ast.AST) -> set[str]:
    """Role names written as a string, or as the items of a literal tuple/list/set."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value} & ROLES
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return set().union(*(_role_literals(e) for e in node.elts)) if node.elts else set()
    return set()


def _name_of(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return str(node.slice.value)
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        return str(node.args[0].value)
    return ""


_EQ_OPS = (ast.Eq, ast.NotEq, ast.Is, ast.IsNot)
_IN_OPS = (ast.In, ast.NotIn)


def _compares_roles(left, op, right, is_role_expr, role_literals, name_of) -> str | None:
    """What is wrong with `left op right`, or None: a role read on either side; a role name
    compared for equality, or looked up in a literal list of role names (unless the other
    side is a record kind or scope: NOT_A_ROLE); a role name looked up in a list of roles."""
    if not isinstance(op, _EQ_OPS + _IN_OPS):
        return None
    for a, b in ((left, right), (right, left)):
        if is_role_expr(a):
            # A user's role: the other side is a role, a role's name, or a list of roles.
            other = name_of(b)
            if (is_role_expr(b) or role_literals(b) or other in ROLE_CONSTANTS
                    or ("ROLE" in other.upper() and other not in PROFESSIONAL_ROLE_LISTS)):
                return "compares a role"
            return None
    if isinstance(op, _EQ_OPS):
        for a, b in ((left, right), (right, left)):
            if role_literals(a) and name_of(b) not in NOT_A_ROLE:
                return f"compares with {sorted(role_literals(a))}"
        return None
    if role_literals(right) and name_of(left) not in NOT_A_ROLE:
        return f"looks up in {sorted(role_literals(right))}"
    if role_literals(left) and "role" in name_of(right).lower():
        return f"looks {sorted(role_literals(left))} up in {name_of(right)}"
    return None


def python_role_checks(source: str, filename: str = "<source>") -> list[tuple[int, str]]:
    """(line, what) for each role comparison and module- or class-level role tuple."""
    tree = ast.parse(source, filename)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for left, op, right in zip(operands, node.ops, operands[1:]):
                what = _compares_roles(left, op, right, _is_role_expr, _role_literals,
                                       _name_of)
                if what:
                    found.append((node.lineno, what))
                    break
    if Path(filename) != CODES_FILE:
        bodies = [tree.body] + [n.body for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
        for body in bodies:
            for stmt in body:
                value = getattr(stmt, "value", None)
                if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and value is not None:
                    if isinstance(value, ast.Call) and value.args:  # frozenset((...))
                        value = value.args[0]
                    if isinstance(value, (ast.Tuple, ast.List, ast.Set)):
                        flat = {e.value for e in value.elts if isinstance(e, ast.Constant)
                                and isinstance(e.value, str)} & ROLES
                        targets = " ".join(ast.unparse(t) for t in getattr(
                            stmt, "targets", [getattr(stmt, "target", None)])).lower()
                        if flat - {policy.YOUNG_PERSON} or (
                                flat and not any(w in targets for w in NOT_A_ROLE)):
                            found.append((stmt.lineno, "a role tuple outside the policy"))
    return found


# --- templates ---------------------------------------------------------------------------
def _j_is_role_expr(node) -> bool:
    if isinstance(node, jnodes.Getattr):
        return node.attr in ("role", "_role")
    if isinstance(node, jnodes.Getitem):
        return isinstance(node.arg, jnodes.Const) and node.arg.value == "role"
    if isinstance(node, jnodes.Name):
        return node.name == "role"
    return False


def _j_role_literals(node) -> set[str]:
    if isinstance(node, jnodes.Const) and isinstance(node.value, str):
        return {node.value} & ROLES
    if isinstance(node, (jnodes.Tuple, jnodes.List)):
        return set().union(set(), *(_j_role_literals(e) for e in node.items))
    return set()


def _j_name(node) -> str:
    if isinstance(node, jnodes.Name):
        return node.name
    if isinstance(node, jnodes.Getattr):
        return node.attr
    return ""


_J_OPS = {"eq": ast.Eq(), "ne": ast.NotEq(), "in": ast.In(), "notin": ast.NotIn()}


def template_role_checks(source: str) -> list[tuple[int, str]]:
    tree = jinja2.Environment(extensions=["jinja2.ext.do"]).parse(source)
    found = []
    for node in tree.find_all(jnodes.Compare):
        operands = [node.expr, *(o.expr for o in node.ops)]
        for left, op, right in zip(operands, node.ops, operands[1:]):
            what = _compares_roles(left, _J_OPS.get(op.op), right, _j_is_role_expr,
                                   _j_role_literals, _j_name)
            if what:
                found.append((node.lineno, what))
                break
    # `current_user.role` is the signed-in user's role, which only the policy reads.
    for m in re.finditer(r"current_user\.role\b", source):
        found.append((source.count("\n", 0, m.start()) + 1, "reads current_user.role"))
    return found


# --- Cypher ------------------------------------------------------------------------------
_CYPHER_ROLE = re.compile(r"\.role\s*(?:=|<>|\bIN\b)|\{[^{}]*\brole\s*:", re.IGNORECASE)


def cypher_role_checks(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _CYPHER_ROLE.search(node.value):
                found.append((node.lineno, "Cypher matches on a user's role"))
    return found


def test_the_checkers_catch_what_they_should():
    """The checkers themselves, on the forms the issue found (and a few it could grow)."""
    bad_python = [
        'if actor.role == "young_person": pass',
        'if actor.role in ("coordinator", "practitioner", "manager"): pass',
        'if user.get("role") not in TEAM_ROLES: pass',
        'ok = member["role"] != "admin"',
        'ok = "manager" == who',
        'ok = getattr(actor, "role") is policy.ADMIN',
        'ok = user.role in CASEWORK_ROLES or actor.role in roles',
        'ok = actor.role == other.role',
        'ok = who in ("coordinator",)',
        'FIGURE_ROLES = ("manager", "admin")',
        'class X:\n    ROLES_SEEN = frozenset({"practitioner"})',
    ]
    for line in bad_python:
        assert python_role_checks(line), line
    fine_python = [
        'for email, role in DEMO_USERS: pass',
        'rank = codes.ROLES.index(role) if role in codes.ROLES else 0',
        'ok = role and role != "other"',
        'ok = ROLE_ABBREVIATIONS.get(word) == role',
        'SCOPES = ("team", "young_person", "all")',
        'DEMO_USERS = (("coordinator@example.org", "coordinator"),)',
        'if entity == "young_person": pass',
        'if scope == "young_person": pass',
        'fields = {"coordinator": email}',
        'if conference.get("coordinator"): pass',
        'if actor.can.is_young_person: pass',
        'NAMES = {policy.ADMIN: "Administrator"}',
    ]
    for line in fine_python:
        assert not python_role_checks(line), line
    bad_templates = [
        "{% if current_user.role == 'admin' %}x{% endif %}",
        '{% if u.role in ("coordinator", "manager") %}x{% endif %}',
        "{% if who != 'practitioner' %}x{% endif %}",
        "{{ current_user.role }}",
    ]
    for t in bad_templates:
        assert template_role_checks(t), t
    assert not template_role_checks("{% if can.is_admin %}{{ u.role | label }}{% endif %}")
    assert cypher_role_checks('q = "MATCH (u:User) WHERE u.role = \'admin\' RETURN u"')
    assert cypher_role_checks('q = "MATCH (u:User {role: $r}) RETURN u"')
    assert cypher_role_checks('q = "MATCH (u:User) WHERE u.role IN $roles RETURN u"')
    assert not cypher_role_checks('q = "RETURN u.id AS id, u.role AS role"')


def test_no_role_is_compared_outside_the_policy():
    problems = []
    for path in _python_files():
        source = path.read_text()
        rel = path.relative_to(ROOT)
        problems += [f"{rel}:{line}: {what}" for line, what in python_role_checks(source,
                                                                                  str(path))]
        if rel.parts[0] == "graph":
            problems += [f"{rel}:{line}: {what}" for line, what in cypher_role_checks(source)]
    for path in _template_files():
        rel = path.relative_to(ROOT)
        problems += [f"{rel}:{line}: {what}"
                     for line, what in template_role_checks(path.read_text())]
    assert not problems, ("Ask netmap.policy (actor.can / can / policy.for_role) instead:\n"
                          + "\n".join(problems))


def test_the_safe_supporter_rule_is_written_once():
    """Only the policy spells out the rule; the measures and the Cypher ask it."""
    spelled = re.compile(r"""['"]current['"],\s*['"]reconnected['"]|<>\s*'no'""")
    copies = [str(p.relative_to(ROOT)) for p in _python_files()
              if p != CODES_FILE and spelled.search(p.read_text())]
    assert copies == []
    from graph.queries import support_summary
    from netmap.measures import ego

    assert support_summary.SAFE == policy.safe_supporter_cypher("c")
    assert ego.is_safe({"status": "current"}) and not ego.is_safe({"status": "lost"})


# --- the rules, checked by hand ----------------------------------------------------------
def _can(role, policy_=policy.DEFAULT, id="u1"):
    return policy_.can(SimpleNamespace(role=role, id=id))


def test_the_policy_knows_every_role_and_only_those():
    assert set(codes.USER_ROLES) == {policy.YOUNG_PERSON, policy.COORDINATOR,
                                     policy.PRACTITIONER, policy.MANAGER, policy.ADMIN}


def test_from_config_defaults():
    p = Policy.from_config({})
    assert p.safeguarding_roles == (policy.COORDINATOR, policy.PRACTITIONER)
    assert p.small_number == 5
    assert Policy.from_config(None) == p == policy.DEFAULT


def test_from_config_reads_text_and_tuples_and_drops_roles_that_never_see_safeguarding():
    p = Policy.from_config({"NETMAP_SAFEGUARDING_ROLES": " coordinator, manager ,admin,"
                                                         "young_person,nobody",
                            "NETMAP_SMALL_NUMBER_THRESHOLD": "10"})
    assert p.safeguarding_roles == (policy.COORDINATOR, policy.MANAGER)
    assert p.small_number == 10
    p = Policy.from_config({"NETMAP_SAFEGUARDING_ROLES": ("practitioner",),
                            "NETMAP_SMALL_NUMBER_THRESHOLD": 0})
    assert p.safeguarding_roles == (policy.PRACTITIONER,)
    assert p.small_number == 5  # 0 is "not set"
    assert Policy.from_config({"NETMAP_SMALL_NUMBER_THRESHOLD": -3}).small_number == 1


def test_who_sees_safeguarding_follows_the_setting_but_never_the_young_person_or_admin():
    default = policy.DEFAULT
    assert [r for r in codes.USER_ROLES if _can(r, default).see_safeguarding] == [
        policy.COORDINATOR, policy.PRACTITIONER]
    wide = Policy.from_config({"NETMAP_SAFEGUARDING_ROLES": list(codes.USER_ROLES)})
    assert [r for r in codes.USER_ROLES if _can(r, wide).see_safeguarding] == [
        policy.COORDINATOR, policy.PRACTITIONER, policy.MANAGER]
    assert _can(policy.MANAGER).restricted_fields() == policy.SAFEGUARDING_FIELDS
    assert _can(policy.COORDINATOR).restricted_fields() == frozenset()
    assert _can(policy.SYSTEM).see_safeguarding


@pytest.mark.parametrize("question, roles", [
    ("is_team_role", {"coordinator", "practitioner", "manager"}),
    ("edit_network", {"coordinator", "practitioner", "manager"}),
    ("plan_conferences", {"coordinator", "practitioner", "manager"}),
    ("lead_conference", {"coordinator", "practitioner"}),
    ("run_conversation", {"coordinator", "practitioner"}),
    ("review_suggestions", {"coordinator", "practitioner"}),
    ("suggest", {"young_person"}),
    ("read_directory", {"coordinator", "practitioner", "manager", "admin"}),
    ("edit_directory", {"coordinator", "practitioner", "manager", "admin"}),
    ("read_figures", {"manager", "admin"}),
    ("read_audit", {"manager", "admin"}),
    ("read_audit_in_team", {"manager"}),
    ("read_audit_any", {"admin"}),
    ("administer", {"admin"}),
    ("link_young_person_accounts", {"admin"}),
    ("erase_in_team", {"coordinator"}),
    ("erase_any", {"admin"}),
    ("subject_access_in_team", {"coordinator"}),
    ("subject_access_any", {"admin"}),
    ("produce_subject_access", {"coordinator", "admin"}),
    ("see_any_young_person", set()),
    ("is_young_person", {"young_person"}),
    ("is_admin", {"admin"}),
    ("is_manager", {"manager"}),
    ("is_coordinator", {"coordinator"}),
])
def test_each_question_by_role(question, roles):
    assert {r for r in codes.USER_ROLES if getattr(_can(r), question)} == roles
    # The command line may do everything a service task needs, except be a young person.
    system = getattr(_can(policy.SYSTEM), question)
    assert system == (question not in ("is_young_person", "is_admin", "is_manager",
                                       "is_coordinator", "is_team_role", "suggest"))
    # A user with no role, or one the policy does not know, may do nothing.
    assert not getattr(_can(None), question) and not getattr(_can("owner"), question)


def test_for_role_answers_about_another_users_role():
    assert policy.for_role("manager").is_team_role
    assert not policy.for_role("admin").is_team_role
    assert policy.for_role("young_person").is_young_person
    assert not policy.for_role(None).is_young_person
    assert policy.for_role("practitioner").lead_conference
    assert not policy.for_role("manager").lead_conference


def test_actors_carry_the_policy_they_were_made_under():
    from netmap.services import users

    wide = Policy.from_config({"NETMAP_SAFEGUARDING_ROLES": "coordinator,manager"})
    record = {"id": "u9", "email": "m@example.org", "role": "manager"}
    assert not users.actor_for(record).can.see_safeguarding
    assert users.actor_for(record, policy=wide).can.see_safeguarding


# --- connections: safe supporters and blockers -------------------------------------------
@pytest.mark.parametrize("attrs, safe", [
    ({"status": "current"}, True),
    ({"status": "reconnected", "consent_to_contact": "yes"}, True),
    ({"status": "current", "consent_to_contact": "not_asked", "safeguarding": []}, True),
    ({"status": "current", "consent_to_contact": None, "safeguarding": None}, True),
    ({"status": "current", "consent_to_contact": "no"}, False),
    ({"status": "current", "safeguarding": ["unsafe_address"]}, False),
    ({"status": "reconnected", "safeguarding": ["victim"]}, False),
    ({"status": "lost"}, False),
    ({"status": "deceased"}, False),
    ({}, False),
])
def test_is_safe_supporter(attrs, safe):
    assert policy.is_safe_supporter(attrs) is safe


def test_blockers_of_a_clear_connection():
    b = policy.blockers({"status": "current", "consent_to_contact": "yes"})
    assert b == policy.Blockers()
    assert not b.any and not b.needs_approval and b.reasons() == []
    assert _can(policy.PRACTITIONER).override(b)


def test_blockers_sort_hard_flags_soft_reasons_and_the_never_statuses():
    b = policy.blockers({"status": "current", "consent_to_contact": "not_asked",
                         "safeguarding": ["unsafe_address", "victim", "no_contact"]})
    assert b.never is None
    assert b.hard == ("victim", "no_contact")
    assert b.soft == ("unsafe_address", "no_consent")
    assert b.any and b.needs_approval
    assert b.reasons() == ["victim", "no_contact", "unsafe_address", "no_consent"]
    assert _can(policy.COORDINATOR).override(b)
    assert not _can(policy.PRACTITIONER).override(b)
    assert not _can(policy.MANAGER).override(b)

    soft = policy.blockers({"status": "reconnected", "consent_to_contact": "yes",
                            "safeguarding": ["risk_to_young_person"]})
    assert soft.hard == () and soft.soft == ("risk_to_young_person",)
    assert not soft.needs_approval
    assert _can(policy.PRACTITIONER).override(soft) and _can(policy.COORDINATOR).override(soft)
    assert not _can(policy.MANAGER).override(soft)
    assert not _can(policy.YOUNG_PERSON).override(soft)


@pytest.mark.parametrize("status", policy.NEVER_OFFER_STATUSES)
def test_nobody_overrides_a_never_status(status):
    b = policy.blockers({"status": status, "consent_to_contact": "yes"})
    assert b.never == f"status_{status}"
    assert b.reasons()[0] == f"status_{status}"
    assert not any(_can(r).override(b) for r in [*codes.USER_ROLES, policy.SYSTEM])


def test_approval_is_for_another_manager_or_coordinator():
    assert _can(policy.MANAGER, id="m1").approve("c1")
    assert _can(policy.COORDINATOR, id="c2").approve("c1")
    assert not _can(policy.COORDINATOR, id="c1").approve("c1")  # never one's own
    assert not _can(policy.PRACTITIONER, id="p1").approve("c1")
    assert not _can(policy.ADMIN, id="a1").approve("c1")
    assert not _can(policy.YOUNG_PERSON, id="y1").approve("c1")
