FROM python:3.11-slim-bookworm
# The Neo4j this image is tested against (tests/neo4j_server/pom.xml, docker-compose.yml).
LABEL org.netmap.neo4j-version="5.26.30"
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY netmap netmap
COPY graph graph
COPY web web
COPY static static
RUN pip install --no-cache-dir -e . && useradd --system netmap && mkdir -p /var/lib/netmap \
    && chown netmap /var/lib/netmap
USER netmap
EXPOSE 8000
