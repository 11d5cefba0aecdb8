"""docker-compose.yml's web tier (issue 22 item 6): two or more web services against the one
database with the same settings, and the load balancer sending to each of them."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_two_web_services_share_one_database_and_every_setting():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    web = {name: s for name, s in services.items() if s.get("build") == "."}
    assert len(web) >= 2, list(services)
    settings = [s["environment"] for s in web.values()]
    assert all(s == settings[0] for s in settings)
    assert settings[0]["NETMAP_DATABASE_URL"].startswith("neo4j://neo4j:")
    # What each web service would otherwise keep for itself is set once for all of them.
    for shared in ("NETMAP_SECRET_KEY", "NETMAP_AUDIT_KEY"):
        assert shared in settings[0], shared
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    upstreams = re.search(r"reverse_proxy ([^{]+)\{", caddyfile).group(1).split()
    assert sorted(u.split(":")[0] for u in upstreams) == sorted(web)
    assert "health_uri /readyz" in caddyfile
