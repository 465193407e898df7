"""Locust users for bench/load.py (not meant to be run by hand without its spec file).

Practitioners open a return, autosave it a few times (the full form, as returns.js sends it)
and submit it, then take the next one; every acknowledged save (HTTP 200 with a version) is
written to the acks file for the after-run check. Business users browse the programme,
progress, results, action tracker and dashboard.

Sessions and CSRF tokens are prepared by bench/load.py and sent in the Cookie header: the
app's cookies are Secure (production settings) and the load runs over loopback HTTP. Each
user's requests carry their own partnership's host name in the Host header.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading

from locust import HttpUser, between, task

SPEC = json.loads(open(os.environ["BENCH_LOAD_SPEC"]).read())  # noqa: SIM115
ACKS = open(os.environ["BENCH_LOAD_ACKS"], "a", buffering=1)  # noqa: SIM115
_lock = threading.Lock()
_practitioners = itertools.count()
_business = itertools.count()
WAIT = (
    float(os.environ.get("BENCH_WAIT_MIN", "10")),
    float(os.environ.get("BENCH_WAIT_MAX", "30")),
)
SAVES_BEFORE_SUBMIT = int(os.environ.get("BENCH_SAVES_BEFORE_SUBMIT", "4"))


def _record(row: dict) -> None:
    with _lock:
        ACKS.write(json.dumps(row) + "\n")


class _Signed(HttpUser):
    abstract = True
    wait_time = between(*WAIT)

    def sign_in(self, entry: dict) -> None:
        self.entry = entry
        self.headers = {
            "Cookie": f"{SPEC['session_cookie']}={entry['session']}; "
            f"{SPEC['csrf_cookie']}={SPEC['csrf_secret']}",
            "X-CSRFToken": SPEC["csrf_secret"],
            # The user's own partnership's host name (the tenant of the request).
            "Host": entry["host"],
        }

    def get(self, url: str, name: str) -> None:
        with self.client.get(
            url, headers=self.headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")


class Practitioner(_Signed):
    fixed_count = SPEC["practitioner_count"]

    def on_start(self) -> None:
        self.index = next(_practitioners) % len(SPEC["practitioners"])
        self.sign_in(SPEC["practitioners"][self.index])
        self.queue = list(self.entry["returns"])
        self.current = None

    def _next_return(self) -> None:
        self.current = self.queue.pop(0) if self.queue else None
        if self.current is None:
            return
        self.saves = 0
        self.version = self.current["version"]
        self.get(self.current["detail_url"], "return page")

    def _form(self, filled: int, marker: str) -> dict:
        """The first `filled` questions answered, and always the first grade question, whose
        evidence carries the marker the after-run check looks for."""
        rng = random.Random(marker)
        data: dict[str, object] = {"version": str(self.version)}
        items = self.current["items"]
        first_grade = next((n for n, i in enumerate(items) if i["kind"] == "grade"), None)
        for n, item in enumerate(items):
            if n >= filled and n != first_grade:
                continue
            name = f"q{item['id']}"
            if item["kind"] == "grade":
                data[name] = rng.choice(["outstanding", "good", "requires_improvement"])
                data[f"{name}_evidence"] = marker if n == first_grade else "Seen in the record."
            elif item["kind"] == "yes_partly_no":
                data[name] = rng.choice(["yes", "partly", "no"])
                data[f"{name}_evidence"] = ""
            elif item["kind"] == "checklist":
                data[name] = rng.sample(item["options"], min(2, len(item["options"])))
            elif item["kind"] == "number":
                data[name] = "3"
            else:
                data[name] = "Free text from the load test."
        return data

    @task
    def work(self) -> None:
        if self.current is None:
            self._next_return()
        if self.current is None:
            self.get(SPEC["my_returns_url"], "my returns")
            return
        rid = self.current["id"]
        self.saves += 1
        marker = f"bench-{self.index}-{rid}-{self.saves}"
        if self.saves <= SAVES_BEFORE_SUBMIT:
            filled = len(self.current["items"]) * self.saves // SAVES_BEFORE_SUBMIT
            with self.client.post(
                self.current["autosave_url"],
                data=self._form(max(1, filled), marker),
                headers=self.headers,
                name="autosave",
                catch_response=True,
            ) as response:
                if response.status_code == 200 and response.json().get("ok"):
                    self.version = response.json()["version"]
                    _record({"return": rid, "version": self.version, "marker": marker})
                else:
                    response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
            return
        with self.client.post(
            self.current["submit_url"],
            data=self._form(len(self.current["items"]), marker),
            headers=self.headers,
            name="submit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                _record({"return": rid, "submitted": True, "marker": marker})
            else:
                response.failure(f"HTTP {response.status_code}: submit not accepted")
        self.current = None


class Business(_Signed):
    fixed_count = SPEC["business_count"]

    def on_start(self) -> None:
        self.index = next(_business) % len(SPEC["business"])
        self.sign_in(SPEC["business"][self.index])

    @task(3)
    def programme(self) -> None:
        self.get(self.entry["programme_url"], "programme")

    @task(3)
    def progress(self) -> None:
        self.get(self.entry["progress_url"], "progress matrix")

    @task(2)
    def results(self) -> None:
        self.get(self.entry["results_url"], "results")

    @task(1)
    def actions(self) -> None:
        self.get(self.entry["actions_url"], "action tracker")

    @task(1)
    def dashboard(self) -> None:
        self.get(self.entry["dashboard_url"], "board dashboard")
