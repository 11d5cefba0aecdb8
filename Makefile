# The two set-up commands (see README): `make run` serves the app with demo data,
# `make test` installs everything the tests need (system packages too) and runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NETMAP_DATA_DIR ?= ./data
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages: chromium for the browser tests, Pango and fonts for WeasyPrint's PDFs, wrk
# for the bench's load, a JDK
# and Maven for the tests' Neo4j.
SYSTEM_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation \
	openjdk-17-jdk-headless maven wrk
# The tests' Neo4j (tests/neo4j_server): Neo4j 5.26 LTS runs on Java 17, whatever JDK is the default.
NEO4J_JAVA_HOME ?= /usr/lib/jvm/java-17-openjdk-$(shell dpkg --print-architecture 2>/dev/null || echo amd64)
NEO4J_SERVER := tests/neo4j_server/target/neo4j-server.jar
NEO4J_SOURCES := tests/neo4j_server/pom.xml $(wildcard tests/neo4j_server/src/main/java/netmap/testing/*.java)
MVN := JAVA_HOME=$(NEO4J_JAVA_HOME) mvn -B -q -ntp
# Which engines the API, service and contract tests run on: falkordb, neo4j or both.
TEST_BACKEND ?= both

.PHONY: run test install system-deps neo4j-server oidc-provider clean-data bench

$(BIN)/netmap: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/netmap

install: $(BIN)/netmap

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

run: install
	$(BIN)/netmap db init
	$(BIN)/netmap demo --if-empty
	@echo ""
	@echo "Open http://127.0.0.1:5000 and sign in as coordinator@example.org with the password demo-password-1"
	@echo "(other demo users: practitioner@, manager@, admin@, riley@example.org - the young person's own view)."
	@echo ""
	$(BIN)/netmap serve --host 127.0.0.1 --port 5000

# Built once; Maven's downloads stay in ~/.m2, so later builds work offline.
$(NEO4J_SERVER): $(NEO4J_SOURCES)
	cd tests/neo4j_server && { $(MVN) -o package 2>/dev/null || $(MVN) package; }
	touch $@

neo4j-server: system-deps $(NEO4J_SERVER)

# The tests' OpenID Connect provider (tests/oidc_provider: panva's oidc-provider on node),
# its npm packages installed into that folder's node_modules from its package-lock.json.
OIDC_PROVIDER := tests/oidc_provider/node_modules/.package-lock.json
$(OIDC_PROVIDER): tests/oidc_provider/package.json tests/oidc_provider/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "Installing Debian packages: nodejs npm"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }
	cd tests/oidc_provider && npm ci --no-audit --no-fund --loglevel=error
	touch $@

oidc-provider: $(OIDC_PROVIDER)

test: system-deps install neo4j-server oidc-provider
	NETMAP_TEST_BACKEND=$(TEST_BACKEND) NETMAP_TEST_JAVA=$(NEO4J_JAVA_HOME)/bin/java \
	  $(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

bench: system-deps install neo4j-server
	NETMAP_TEST_JAVA=$(NEO4J_JAVA_HOME)/bin/java \
	  $(BIN)/netmap bench --backend both --young-people 1000 --json bench/out.json

clean-data:
	rm -rf $(NETMAP_DATA_DIR)
