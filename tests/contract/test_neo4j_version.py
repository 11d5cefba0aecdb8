"""The production recipe names the Neo4j the tests run: docker-compose.yml's image, the
Dockerfile's label and tests/neo4j_server/pom.xml agree."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_compose_the_dockerfile_and_the_tests_name_one_neo4j_version():
    pom = re.search(r"<neo4j.version>([^<]+)</neo4j.version>",
                    (ROOT / "tests/neo4j_server/pom.xml").read_text()).group(1)
    compose = re.search(r"image: neo4j:([0-9.]+)-community",
                        (ROOT / "docker-compose.yml").read_text()).group(1)
    label = re.search(r'org.netmap.neo4j-version="([^"]+)"',
                      (ROOT / "Dockerfile").read_text()).group(1)
    assert compose == label == pom, (compose, label, pom)
