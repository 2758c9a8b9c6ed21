"""A working morning on gridparty (issue 22), for `make load` (manage.py load).

Community workers open their visit queue, a cadre's profile, and log visits — with
the household sometimes, a photo sometimes, and sometimes the same visit sent twice,
as a phone does when the network comes back. Officers open the dashboard, coverage,
compliance and search the roster. One officer exports the roster, one imports 10,000
rows. Everyone waits 1–3 s between actions. The plan (users, their cadres, the import
file) comes from GRIDPARTY_LOAD_PLAN; the key of every visit the server acknowledged
is written to GRIDPARTY_LOAD_VISITS, which the command checks afterwards."""

import datetime
import io
import json
import os
import random
import re
import threading
import time
import uuid
from pathlib import Path

from locust import HttpUser, between, task
from locust.exception import StopUser

PLAN = json.loads(Path(os.environ["GRIDPARTY_LOAD_PLAN"]).read_text())
KEYS_FILE = os.environ["GRIDPARTY_LOAD_VISITS"]
_lock = threading.Lock()
_next_worker = iter(range(10**9))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HOUSEHOLD = re.compile(r'name="cadres" value="(\d+)"')
QUEUE_CADRE = re.compile(r'href="/visits/new/(\d+)/')
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡"


def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 480), (random.randrange(256), 120, 80)).save(out, "JPEG")
    return out.getvalue()


PHOTO = _photo()


_logins = {"done": 0, "reset": False}


def _logged_in(environment) -> None:
    """The morning starts when everyone has logged in: a login costs about half a
    second of CPU by design (the password hash), and fifty at the same second are not a
    working morning. Statistics are reset then (as well as when the last user has been
    started, by --reset-stats), so the figures are those of the steady state."""
    with _lock:
        _logins["done"] += 1
        everyone = _logins["done"] >= environment.runner.target_user_count
        if everyone and not _logins["reset"]:
            _logins["reset"] = True
            environment.runner.stats.reset_all()


def _record_key(key: str) -> None:
    with _lock, open(KEYS_FILE, "a") as f:
        f.write(key + "\n")


class Staff(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def login(self, username: str) -> None:
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            "/accounts/login/",
            {"username": username, "password": PLAN["password"], "csrfmiddlewaretoken": token},
            name="login", allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"login of {username} refused ({response.status_code})")
                raise StopUser()
        _logged_in(self.environment)

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def page(self, url: str, name: str, expect: str = "") -> str:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            elif expect and expect not in response.text:
                response.failure(f"no {expect!r} on the page")
            return response.text


class CommunityWorker(Staff):
    weight = 8

    def on_start(self):
        with _lock:
            n = next(_next_worker)
        self.me = PLAN["workers"][n % len(PLAN["workers"])]
        self.login(self.me["username"])
        self.queue = list(self.me["cadres"])

    @task(3)
    def open_queue(self):
        text = self.page("/visits/mine/", "visit queue", expect="<h1")
        found = QUEUE_CADRE.findall(text)
        if found:
            self.queue = [int(x) for x in found][:40]

    @task(3)
    def open_profile(self):
        cadre = random.choice(self.queue or self.me["cadres"])
        self.page(f"/cadres/{cadre}/", "cadre profile", expect="<h1")

    @task(3)
    def log_visit(self):
        cadre = random.choice(self.queue or self.me["cadres"])
        form = self.page(f"/visits/new/{cadre}/", "visit form", expect="client_key")
        household = HOUSEHOLD.findall(form)
        chosen = [str(cadre)]
        if len(household) > 1 and random.random() < 0.5:
            chosen = household  # the spouse visited in the same call
        key = str(uuid.uuid4())
        data = {
            "csrfmiddlewaretoken": self.csrf(), "client_key": key,
            "kinds": random.sample(["home_visit", "greetings", "service", "medicine"], 2),
            "cadres": chosen, "visited_on": datetime.date.today().isoformat(),
            "outcome": "met", "notes": "身体尚好，聊了家常。",
        }  # fmt: skip
        files = (
            {"photo": ("visit.jpg", PHOTO, "image/jpeg")}
            if random.random() < 0.2
            else None
        )
        sends = 2 if random.random() < 0.1 else 1  # the network came back: sent again
        for attempt in range(sends):
            with self.client.post(
                f"/visits/new/{cadre}/", data=data, files=files,
                headers={"Accept": "application/json", "X-CSRFToken": self.csrf()},
                name="log visit" if attempt == 0 else "log visit (resent)",
                catch_response=True,
            ) as response:  # fmt: skip
                ok = response.status_code == 200 and response.json().get("ok")
                if not ok:
                    response.failure(f"{response.status_code} {response.text[:200]}")
                elif attempt == 0:
                    _record_key(key)


class Officer(Staff):
    weight = 2

    def on_start(self):
        self.login(random.choice(PLAN["officers"]))

    @task(3)
    def dashboard(self):
        self.page("/", "dashboard", expect="<h1")

    @task(2)
    def coverage(self):
        self.page("/coverage/", "coverage", expect="<h1")

    @task(2)
    def compliance(self):
        self.page("/compliance/", "compliance", expect="<h1")

    @task(3)
    def search(self):
        self.page(f"/cadres/?q={random.choice(SURNAMES)}", "cadre search", expect="<h1")


class Exporter(Staff):
    """One officer exports the roster of their township, once."""

    fixed_count = 1

    def on_start(self):
        self.login(PLAN["exporter"])

    @task
    def export(self):
        with self.client.get("/cadres/export/", name="roster export", stream=True,
                             catch_response=True) as response:  # fmt: skip
            size = sum(len(chunk) for chunk in response.iter_content(65536))
            if response.status_code != 200 or size < 10_000:
                response.failure(f"{response.status_code}, {size} bytes")
        time.sleep(3600)  # once in the run


class Importer(Staff):
    """One officer imports a 10,000-row roster, once, and follows it to the end."""

    fixed_count = 1

    def on_start(self):
        self.login(PLAN["importer"])

    def progress(self, job: str) -> str:
        for _ in range(600):
            state = self.client.get(
                f"/imports/{job}/progress/", name="import progress"
            ).json()
            if state.get("finished"):
                return state["status"]
            time.sleep(2)
        return "timeout"

    @task
    def run_import(self):
        self.page("/imports/", "import page")
        with open(PLAN["import_file"], "rb") as f:
            response = self.client.post(
                "/imports/",
                data={"csrfmiddlewaretoken": self.csrf(), "kind": "roster", "mode": "create"},
                files={"file": ("花名册.xlsx", f.read())}, name="import upload",
                allow_redirects=False,
            )  # fmt: skip
        job = response.headers.get("Location", "").strip("/").split("/")[-1]
        status = self.progress(job)
        if status == "previewed":
            self.client.post(f"/imports/{job}/confirm/", {"csrfmiddlewaretoken": self.csrf()},
                             name="import confirm", allow_redirects=False)  # fmt: skip
            status = self.progress(job)
        with open(KEYS_FILE + ".import", "w") as f:
            f.write(status)
        time.sleep(3600)
