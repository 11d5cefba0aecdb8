"""A mixed read/write API load: practitioners opening networks and measures, coordinators
moving people between rings. Run by `netmap bench` as a separate process (locust headless).

Needs NETMAP_BENCH_TOKEN and NETMAP_BENCH_TARGETS (a JSON file of young person and connection ids).
"""

from __future__ import annotations

import json
import os
import random

from locust import FastHttpUser, between, task

TARGETS = json.load(open(os.environ["NETMAP_BENCH_TARGETS"]))
TOKEN = os.environ["NETMAP_BENCH_TOKEN"]


class Practitioner(FastHttpUser):
    wait_time = between(0, 0.01)

    def on_start(self):
        self.headers = {"Authorization": f"Bearer {TOKEN}"}

    @task(10)
    def open_network(self):
        yp = random.choice(TARGETS["young_people"])
        self.client.get(f"/api/v1/young-people/{yp}/network", headers=self.headers,
                        name="GET network")

    @task(3)
    def open_record(self):
        yp = random.choice(TARGETS["young_people"])
        self.client.get(f"/api/v1/young-people/{yp}", headers=self.headers, name="GET record")

    @task(3)
    def move_someone(self):
        connection = random.choice(TARGETS["connections"])
        self.client.patch(f"/api/v1/connections/{connection}", headers=self.headers,
                          json={"closeness": random.randint(1, 5)}, name="PATCH connection")

    @task(1)
    def history(self):
        connection = random.choice(TARGETS["connections"])
        self.client.get(f"/api/v1/connections/{connection}/history", headers=self.headers,
                        name="GET history")
