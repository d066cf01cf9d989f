"""Locust users of the load test (run by tests/bench/load.py, which starts the server and
writes the configuration this file reads from LOAD_CONFIG).

- `DeskUser` (coordinators and advocacy officers): the dashboard, an inbox search,
  triage of a story (POST, as the inbox's buttons do with htmx);
- `FieldUser` (field communication officers): a whole testimony submission, the six
  steps of the wizard as a browser without JavaScript sends them; the whole submission is
  also reported as one entry, "testimony submission (6 steps)".

Think times are a person's: 2–8 s between two clicks at the desk, 5–15 s between two
submissions in the field (the six steps of one follow each other at once, the worst
case for the server). No Django here: Locust runs under gevent, in its own process.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
import uuid

from locust import HttpUser, between, task

CONFIG = json.loads(open(os.environ["LOAD_CONFIG"], encoding="utf-8").read())  # noqa: SIM115
_desk_accounts = itertools.cycle(CONFIG["desk"])
_field_accounts = itertools.cycle(CONFIG["field"])


class _Login:
    def login(self, username: str) -> None:
        self.client.get("/compte/connexion/", name="login page")
        response = self.client.post(
            "/compte/connexion/",
            data={"username": username, "password": CONFIG["password"]},
            headers=self._csrf(),
            name="login",
            allow_redirects=False,
        )
        if response.status_code != 302:
            raise RuntimeError(f"login of {username} answered {response.status_code}")

    def _csrf(self) -> dict[str, str]:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", "")}


class DeskUser(_Login, HttpUser):
    weight = 4
    wait_time = between(2.0, 8.0)  # a person reading a page before the next click

    def on_start(self):
        self.login(next(_desk_accounts))

    @task(3)
    def dashboard(self):
        self.client.get("/tableau-de-bord/", name="dashboard")

    @task(3)
    def inbox_search(self):
        query = random.choice(CONFIG["queries"])
        self.client.get("/veille/", params={"q": query, "status": "all"}, name="inbox search")

    @task(2)
    def triage(self):
        item = random.choice(CONFIG["items"])
        status = random.choice(["relevant", "discarded", "new"])
        self.client.post(
            f"/veille/articles/{item}/trier/",
            data={"status": status},
            headers={**self._csrf(), "HX-Request": "true"},
            name="triage",
        )


class FieldUser(_Login, HttpUser):
    weight = 1
    wait_time = between(5.0, 15.0)  # between two submissions (steps follow each other)

    def on_start(self):
        self.account = next(_field_accounts)
        self.login(self.account["username"])

    @task
    def submit_testimony(self):
        started = time.perf_counter()
        error = None
        try:
            self._walk_wizard()
        except Exception as exc:  # reported as the flow's failure
            error = exc
        self.environment.events.request.fire(
            request_type="FLOW",
            name="testimony submission (6 steps)",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=error,
            context={},
        )

    def _post(self, url: str, data: dict, name: str) -> str:
        with self.client.post(
            url,
            data={**data, "nav": "next"},
            headers=self._csrf(),
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code}")
                raise RuntimeError(f"{name}: HTTP {response.status_code}")
            response.success()
            return response.headers["Location"]

    def _walk_wizard(self) -> None:
        today = time.strftime("%Y-%m-%d")
        self.client.get("/temoignages/nouveau/", name="testimony: step 1 form")
        step = self._post(
            "/temoignages/nouveau/",
            {
                "client_uuid": str(uuid.uuid4()),
                "site": self.account["site"],
                "collected_on": today,
                "language": "fr",
                "collection_form": CONFIG["form"],
                "title": "Essai de charge",
            },
            "testimony: step 1",
        )
        base = step.rsplit("/etape/", 1)[0]
        steps = [
            {
                "narrative": "Récit de l'essai de charge. " * 30,
                "extracts": ["Récit de l'essai de charge."],
                "q_ou-dormez-vous": "a-la-rue",
                "q_recours": "yes",
            },
            {
                "age_bracket": "18_24",
                "gender": "male",
                "nationality": "SD",
                "administrative_status": "asylum_seeker",
                "route_countries": ["LY", "IT"],
                "sensitivity": "confidential",
            },
            {
                "scope_internal": "on",
                "element_text": "on",
                "method": "oral_recorded",
                "given_on": today,
                "explained_in": "français",
            },
            {"caption": ""},
            {},
        ]
        for number, data in enumerate(steps, start=2):
            self._post(f"{base}/etape/{number}/", data, f"testimony: step {number}")
