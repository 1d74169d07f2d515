"""Scale-out for an authority (issue 7): two application servers and two workers on one
PostgreSQL, behind Debian's nginx on loopback, with TLS from the browser to nginx and from
nginx to each server, as docs/deployment.md configures it.

People sign in, acknowledge a policy and take a concern to its outcome while nginx sends
each request to the other server; sign-out on one server ends the session on the other.
Two workers run the schedule at once and every reminder arrives exactly once. nginx speaks
only TLS 1.2 and 1.3 with forward-secret AEAD suites, and reaches only servers whose
certificates its internal CA issued for the pinned name.

Prints which server answered each request and the emails the workers sent (`pytest -s`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
import secrets
import socket
import ssl
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import psycopg
import pyotp
import pytest
import requests

from boundaries.acknowledgements.demo import QUESTIONS
from boundaries.demo import DEMO_PASSWORD
from boundaries.scheduling.schedule import JOBS
from tests.scaleout import cluster, smuggling, tls
from tests.scaleout.browser import Browser, Page, Trace
from tests.scaleout.certificates import Authority

SERVER = cluster.server_url()

# Slow: a fresh database with the demo, four processes and nginx take a minute and more on
# two shared cores. Run it with `pytest tests/scaleout -p no:xdist -s`.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        cluster.NGINX is None,
        reason="Debian's nginx is not installed: run scripts/install-system-packages.sh",
    ),
    pytest.mark.skipif(cluster.OPENSSL is None, reason="openssl is needed for nginx's certificate"),
]

CONCERN = "Scale-out: posted a photo of a pupil on a personal account"


@dataclass
class Mailbox:
    messages: list[Message]

    def since(self, mark: int) -> list[Message]:
        return self.messages[mark:]


class _Handler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.box.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


@dataclass
class Deployment:
    url: str
    ca: Path
    internal: Authority
    internal_ca: Path
    # what a probe stands for -> (nginx's port for it, the one server's port it reaches)
    probes: dict[str, tuple[int, int]]
    database: str
    mailbox: Mailbox
    cluster: cluster.Cluster
    upstreams: set[str]
    trace: Trace

    def browser(self, who: str) -> Browser:
        return Browser(self.url, self.ca, self.trace, who)

    def sql(self, query: str, *args: object) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.database) as db:
            return db.execute(query, args).fetchall()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    from aiosmtpd.controller import Controller

    if not cluster.postgresql_answers(SERVER):
        pytest.skip(f"no PostgreSQL answers at {SERVER}: the scale-out test needs one for all")
    root = tmp_path_factory.mktemp("scaleout")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line per command
    started = time.monotonic()
    mailbox = Mailbox([])
    smtp_port, app_ports, nginx_port = (
        cluster.free_port(),
        [cluster.free_port(), cluster.free_port()],
        cluster.free_port(),
    )
    probes = {
        "server A": (cluster.free_port(), app_ports[0]),
        "another CA": (cluster.free_port(), cluster.free_port()),
        "another name": (cluster.free_port(), cluster.free_port()),
    }
    smtp = Controller(_Handler(mailbox), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    url = f"https://127.0.0.1:{nginx_port}"
    with cluster.fresh_database(SERVER) as database:
        env = {
            **os.environ,
            "BOUNDARIES_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "FIELD_ENCRYPTION_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": url,
            "DATABASE_URL": database,
            "BOUNDARIES_DATA_DIR": str(root / "data"),  # shared by both servers
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "LOG_LEVEL": "WARNING",
            # nginx sets X-Forwarded-For and X-Request-ID (cluster.py).
            "TRUST_X_FORWARDED_FOR": "true",
        }
        deployed = cluster.Cluster(root, env)
        try:
            cluster.run_command(["migrate"], env)
            # Production settings on purpose; its people are the invented demo.
            cluster.run_command(["demo", "--i-know-this-is-production"], env)
            loaded = time.monotonic()
            internal = Authority.create("Boundaries internal CA")
            internal_ca = internal.write(root / "internal-ca.pem")
            # One after the other: each collects the static files into the shared folder.
            for name, port in zip(("app-a", "app-b"), app_ports, strict=True):
                app_tls = internal.issue(root, name, cluster.pinned_name())
                deployed.serve(name, port, app_tls, internal_ca)
            cert, key = cluster.self_signed_certificate(root)
            cluster.start_nginx(
                deployed, nginx_port, app_ports, (cert, key), internal_ca, dict(probes.values())
            )
            print(
                f"\n  database migrated and demo loaded in {loaded - started:.1f} s;"
                f" two servers and nginx up in {time.monotonic() - loaded:.1f} s"
            )
            yield Deployment(
                url=url,
                ca=cert,
                internal=internal,
                internal_ca=internal_ca,
                probes=probes,
                database=database,
                mailbox=mailbox,
                cluster=deployed,
                upstreams={f"127.0.0.1:{p}" for p in app_ports},
                trace=Trace(),
            )
        finally:
            deployed.stop_all()
            smtp.stop()


def sign_in(browser: Browser, username: str) -> Page:
    """Password, then the authenticator app for roles that must have one: set up on the
    page one server shows, confirmed on the other."""
    page = browser.get("/sign-in/")
    page = browser.submit(
        page, page.form(field="password"), {"username": username, "password": DEMO_PASSWORD}
    )
    if page.path.endswith("/two-factor/set-up/"):
        secret = "".join(page.doc().get_element_by_id("secret").text_content().split())
        code = pyotp.TOTP(secret).now()
        page = browser.submit(page, page.form(field="code"), {"code": code})
        assert page.status == 200 and "recovery" in page.text.lower()
        page = browser.get("/")
    assert page.status == 200, (page.path, page.status)
    assert "Sign out" in page.text
    return page


def step(deployment: Deployment, name: str) -> None:
    deployment.trace.step = name


def test_people_work_across_two_servers_behind_nginx(deployment: Deployment) -> None:
    d = deployment
    step(d, "health")
    first, second = d.browser("anyone").get("/healthz"), d.browser("anyone").get("/healthz")
    assert (first.text, second.text) == ("ok", "ok")

    step(d, "teacher signs in")
    teacher = d.browser("teacher.rivington")
    sign_in(teacher, "teacher.rivington")

    step(d, "teacher acknowledges the policy in force")
    to_read = teacher.get("/o/rivington/to-read/")
    assert to_read.status == 200 and "Policies to read" in to_read.text
    reading = next(
        p for p in to_read.links("/o/rivington/to-read/") if p.strip("/").split("/")[-1].isdigit()
    )
    read = teacher.get(reading)
    assert read.status == 200 and "4.1" in read.text
    confirm = teacher.get(reading + "confirm/")
    form = confirm.form(field="confirm")
    answers = {"confirm": "on"}
    for fieldset in confirm.doc().xpath("//fieldset"):
        question = fieldset.xpath(".//legend")[0].text_content().strip()
        choices, correct = next((c, k) for q, c, k in QUESTIONS if q == question)
        for radio in fieldset.xpath(".//input[@type='radio']"):
            label = fieldset.xpath(f".//label[@for='{radio.get('id')}']")[0].text_content().strip()
            if label == choices[correct]:
                answers[radio.get("name")] = radio.get("value")
    assert len(answers) == 1 + len(QUESTIONS)
    done = teacher.submit(confirm, form, answers)
    assert done.status == 200 and "Thank you. You confirmed" in done.text
    assert "You have nothing to read" in done.text
    assert d.sql(
        "select count(*) from acknowledgements_acknowledgement a"
        " join core_staffrecord s on s.id = a.staff_id join core_user u on u.id = s.user_id"
        " where u.username = %s and a.method = 'web'",
        "teacher.rivington",
    ) == [(1,)]

    step(d, "teacher raises a concern")
    raise_page = teacher.get("/o/rivington/concerns/raise/")
    form = raise_page.form(field="summary")
    subject = next(o.get("value") for o in form.inputs["subject"] if "Priya Mistry" in o.text)
    raised = teacher.submit(
        raise_page,
        form,
        {"subject": subject, "summary": CONCERN, "detail": "Seen by a parent on Saturday."},
    )
    assert (
        raised.status == 200 and "The designated safeguarding lead has your concern" in raised.text
    )
    [(concern_id, status)] = d.sql(
        "select id, status from concerns_concern where summary = %s", CONCERN
    )
    assert status == "received"

    step(d, "DSL signs in")
    dsl = d.browser("dsl.rivington")
    sign_in(dsl, "dsl.rivington")

    step(d, "DSL triages it as an allegation and refers it to the LADO")
    detail_path = f"/o/rivington/concerns/{concern_id}/"
    listing = dsl.get("/o/rivington/concerns/")
    assert detail_path in listing.links(detail_path)
    page = dsl.get(detail_path)
    page = move(dsl, page, "allegation", note="Meets the harm threshold.")
    assert "Allegation: refer to the LADO" in page.text
    page = move(dsl, page, "referred", lado_reference="LADO/2026/0117")
    assert "Referred to the LADO" in page.text

    step(d, "HR adviser closes it with an outcome")
    hr = d.browser("hr.northmoor")
    sign_in(hr, "hr.northmoor")
    page = move(hr, hr.get(detail_path), "closed", outcome="formal_warning", note="Hearing held.")
    assert "Formal warning" in page.text
    assert d.sql("select status, outcome from concerns_concern where id = %s", concern_id) == [
        ("closed", "formal_warning")
    ]
    moves = d.sql(
        "select e.to_status, u.username from concerns_concernevent e join core_user u"
        " on u.id = e.actor_id where e.concern_id = %s and e.kind = 'transition'"
        " order by e.at, e.id",
        concern_id,
    )
    assert moves == [
        ("allegation", "dsl.rivington"),
        ("referred", "dsl.rivington"),
        ("closed", "hr.northmoor"),
    ]
    dsl_mail = [m for m in d.mailbox.messages if "dsl@rivington.example" in m.get("To", "")]
    assert any("concern" in m["Subject"].lower() for m in dsl_mail), [
        m["Subject"] for m in dsl_mail
    ]

    step(d, "sign-out on one server ends the session on the other")
    assert teacher.get("/o/rivington/to-read/").status == 200
    cookie = next(c for c in teacher.session.cookies if c.name.endswith("sessionid"))
    home = teacher.get("/")
    teacher.submit(home, home.form(action="/sign-out/"), {})
    signed_out_on = d.trace.hops[-2].upstream  # the POST; the last hop is the sign-in page
    replay = d.browser("teacher's old cookie")
    replay.session.cookies.set(cookie.name, cookie.value, domain=cookie.domain, path="/")
    refused_on = set()
    for _server in d.upstreams:  # the same cookie, once to each server in turn
        after = replay.get("/o/rivington/to-read/", follow=False)
        assert after.status == 302 and after.headers["Location"].startswith("/sign-in/")
        refused_on.add(after.upstream)
    assert refused_on == d.upstreams  # not only where it signed out: the other server too
    assert signed_out_on in refused_on
    assert d.sql("select count(*) from django_session where session_key = %s", cookie.value) == [
        (0,)
    ]

    print_trace(d)
    hops = d.trace.hops
    assert {h.upstream for h in hops} == d.upstreams
    # Every request went to the other server from the one before it.
    assert all(a.upstream != b.upstream for a, b in itertools.pairwise(hops))
    assert all(h.status < 500 for h in hops)


def move(browser: Browser, page: Page, to: str, **fields: str) -> Page:
    form = page.form(action="/transition/")
    after = browser.submit(page, form, {"to": to, **fields})
    assert after.status == 200 and "The concern has moved on." in after.text, after.text[:2000]
    return after


def print_trace(d: Deployment) -> None:
    names = {u: f"server {'AB'[i]}" for i, u in enumerate(sorted(d.upstreams))}
    print()
    for hop in d.trace.hops:
        server = names.get(hop.upstream, hop.upstream)
        print(f"  {hop.step:<58} {hop.method:<4} {hop.path:<42} {hop.status} {server}")
    served = Counter(names.get(h.upstream, h.upstream) for h in d.trace.hops)
    print(
        f"  {len(d.trace.hops)} requests: "
        + ", ".join(f"{k} {v}" for k, v in sorted(served.items()))
    )


def test_two_workers_send_each_due_reminder_once(deployment: Deployment) -> None:
    d = deployment
    _away_from_the_hour()
    # Brookside's review falls due next week, so its headteacher and governors are owed a
    # "due soon" reminder now (Rivington's and the model policy's reviews are overdue).
    [(next_review,)] = d.sql(
        "update policies_policyversion set next_review = current_date + 7 where status = 'in_force'"
        " and policy_id in (select p.id from policies_policy p join core_organisation o"
        " on o.id = p.organisation_id where o.slug = 'brookside') returning next_review"
    )
    mark = len(d.mailbox.messages)
    workers = [d.cluster.worker("worker-1"), d.cluster.worker("worker-2")]
    for worker in workers:
        worker.wait_for("started", timeout=90)
    for worker in workers:
        for job in JOBS:
            worker.wait_for(f" {job.name}: ", timeout=90)
    codes = [worker.stop() for worker in workers]
    outputs = [worker.output() for worker in workers]
    print()
    for worker, output in zip(workers, outputs, strict=True):
        print(f"  {worker.name}:")
        print("\n".join(f"    {line}" for line in output.strip().splitlines()))
    assert codes == [0, 0]
    assert all("stopped." in output for output in outputs)

    runs = d.sql("select job, worker, outcome from scheduling_scheduledrun order by job")
    assert sorted(job for job, _w, _o in runs) == sorted(job.name for job in JOBS)
    for job, ran_by, outcome in runs:
        assert outcome == "done", (job, outcome)
        done = [o for o in outputs if f" {job}: done" in o]
        skipped = [o for o in outputs if f" {job}: already claimed by {ran_by}, skipped" in o]
        assert len(done) == 1 and len(skipped) == 1, job  # both tried; one ran it

    sent = d.mailbox.since(mark)
    print(f"  {len(sent)} emails from the workers:")
    for message in sent:
        print(f"    to {message['To']}: {' '.join(message['Subject'].split())}")
    twice = [key for key, n in Counter((m["To"], m["Subject"]) for m in sent).items() if n > 1]
    assert sent and not twice
    reviews = sorted(m["To"] for m in sent if m["Subject"].startswith("Review"))
    assert reviews == sorted(r for (r,) in d.sql("select recipient from policies_reviewreminder"))
    assert {"head@brookside.example", "governors@brookside.example"} <= set(reviews)
    due = next_review.strftime("%-d %B %Y")
    brookside = [m for m in sent if m["To"] == "head@brookside.example"]
    assert [" ".join(m["Subject"].split()) for m in brookside] == [
        f"Review due on {due}: Staff use of social networking sites and social media"
    ]

    verify = cluster.run_command(["audit", "verify"], d.cluster.env)
    assert "intact" in verify


def test_nginx_and_the_servers_log_a_request_under_one_id(deployment: Deployment) -> None:
    d = deployment
    path = f"/no-such-page-{secrets.token_hex(6)}/"
    page = d.browser("anyone").get(path)
    assert page.status == 404
    request_id = page.headers["X-Request-ID"]
    assert len(request_id) == 32  # nginx's $request_id, not one the application made
    line = f"{request_id} Not Found: {path}"

    def in_nginx_log() -> bool:  # written once nginx has closed both connections
        nginx = (d.cluster.root / "nginx-access.log").read_text()
        return any(path in entry and entry.endswith(request_id) for entry in nginx.splitlines())

    deadline = time.monotonic() + 10
    while not (line in _servers_output(d) and in_nginx_log()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert line in _servers_output(d)
    assert in_nginx_log()


def _servers_output(d: Deployment) -> str:
    return "".join(p.output() for p in d.cluster.processes if p.name.startswith("app-"))


def _away_from_the_hour() -> None:
    """Both workers must see the same hourly slot: start clear of the turn of the hour."""
    now = dt.datetime.now(dt.UTC)
    left = 3600 - (now.minute * 60 + now.second)
    if left < 90:
        print(f"  waiting {left + 2} s for the hour to turn")
        time.sleep(left + 2)


def _app_logs(d: Deployment) -> str:
    """Both servers' gunicorn access logs (and anything else they printed)."""
    return "".join(p.output() for p in d.cluster.processes if p.name.startswith("app-"))


def test_no_ambiguous_request_smuggles_a_second_one_past_nginx(deployment: Deployment) -> None:
    d = deployment
    port = int(d.url.rsplit(":", 1)[1])
    for name, raw in smuggling.AMBIGUOUS.items():
        token = secrets.token_hex(6)
        assert smuggling.send(port, raw, token, d.ca) in ([400], [501]), name
        assert token not in _app_logs(d), f"{name}: a request reached the application"
    # A chunked body then a pipelined request: nginx frames each request itself and forwards
    # it alone on an HTTP/1.0 connection, so the servers see only requests nginx logged
    token = secrets.token_hex(6)
    answered = smuggling.send(port, smuggling.PIPELINED, token, d.ca)
    time.sleep(1)  # the servers' access log lines follow their answers
    nginx = (d.cluster.root / "nginx-access.log").read_text()
    outer, hidden = f'"POST /outer-{token}/ HTTP/1.', f'"GET /smuggled-{token}/ HTTP/1.'
    assert nginx.count(outer) == _app_logs(d).count(outer) == 1, answered
    assert nginx.count(hidden) == _app_logs(d).count(hidden), answered


def test_gunicorn_refuses_ambiguous_requests_sent_straight_to_it(deployment: Deployment) -> None:
    d = deployment
    for upstream in sorted(d.upstreams):
        port = int(upstream.rsplit(":", 1)[1])
        for name, raw in smuggling.AMBIGUOUS.items():
            token = secrets.token_hex(6)
            sent = smuggling.send(port, raw, token, d.internal_ca, cluster.pinned_name())
            assert sent in ([400], [501]), (upstream, name)
            assert f"smuggled-{token}" not in _app_logs(d), f"{upstream} {name}: hidden request ran"


# --- TLS (V12.1.1, V12.1.2 at nginx; V12.3.3, V12.3.4 from nginx to the servers) ----------


def _edge_port(d: Deployment) -> int:
    return int(d.url.rsplit(":", 1)[1])


def test_nginx_speaks_only_tls_1_2_and_1_3(deployment: Deployment) -> None:
    d = deployment
    port = _edge_port(d)
    for name, version in tls.OLD_VERSIONS.items():
        assert tls.refusal(port, tls.context(d.ca, version=version)) in tls.SERVER_REFUSALS, name
    assert tls.handshake(port, tls.context(d.ca, version="TLSv1_2")).version == "TLSv1.2"
    assert tls.handshake(port, tls.context(d.ca, version="TLSv1_3")).version == "TLSv1.3"


def test_nginx_refuses_weak_suites_and_picks_the_strongest(deployment: Deployment) -> None:
    d = deployment
    port = _edge_port(d)
    for name, suite in tls.WEAK_SUITES.items():
        assert tls.refusal(port, tls.context(d.ca, ciphers=suite)) in tls.SERVER_REFUSALS, name
    browser = tls.handshake(port, ssl.create_default_context(cafile=str(d.ca)))
    assert browser.version == "TLSv1.3" and browser.aead, browser
    # A TLS 1.2 client that lists AES-128 first still gets AES-256: the server's order wins
    weaker_first = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384"
    chosen = tls.handshake(port, tls.context(d.ca, ciphers=weaker_first))
    assert chosen == tls.Handshake("TLSv1.2", "ECDHE-ECDSA-AES256-GCM-SHA384")


def test_the_servers_answer_only_over_tls_under_the_pinned_name(deployment: Deployment) -> None:
    d = deployment
    plain = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    for upstream in sorted(d.upstreams):
        port = int(upstream.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(plain)
            answer = tls.read_all(sock)
        assert not answer.startswith(b"HTTP/"), (upstream, answer[:200])
        context = ssl.create_default_context(cafile=str(d.internal_ca))
        with (
            socket.create_connection(("127.0.0.1", port), timeout=10) as sock,
            context.wrap_socket(sock, server_hostname=cluster.pinned_name()) as conn,
        ):
            assert conn.version() in ("TLSv1.2", "TLSv1.3")
            conn.sendall(plain)
            assert tls.read_all(conn).endswith(b"\r\n\r\nok"), upstream


def test_nginx_refuses_a_server_it_cannot_verify(deployment: Deployment) -> None:
    """Impostors: a server with a certificate for the pinned name from someone else's CA,
    and one from our own CA for another name. nginx answers 502 for each and sends them
    nothing, while the same front door to a real server answers."""
    d = deployment
    assert requests.get(_probe_url(d, "server A"), verify=str(d.ca), timeout=30).text == "ok"
    someone_else = Authority.create("Someone else's CA")
    root = d.cluster.root
    impostors = {
        "another CA": (
            someone_else.issue(root, "impostor-ca", cluster.pinned_name()),
            someone_else.write(root / "someone-else-ca.pem"),
            cluster.pinned_name(),
            "upstream SSL certificate verify error",
        ),
        "another name": (
            d.internal.issue(root, "impostor-name", "reports.boundaries.internal"),
            d.internal_ca,
            "reports.boundaries.internal",
            f'upstream SSL certificate does not match "{cluster.pinned_name()}"',
        ),
    }
    for probe, (certificate, ca, certified_name, logged) in impostors.items():
        env = {**d.cluster.env, "BOUNDARIES_DATA_DIR": str(root / f"data-{certificate[0].stem}")}
        name, port = f"impostor-{certificate[0].stem}", d.probes[probe][1]
        impostor = d.cluster.serve(name, port, certificate, ca, env, certified_name)
        answer = requests.get(_probe_url(d, probe), verify=str(d.ca), timeout=30)
        impostor.stop()
        assert answer.status_code == 502, probe
        assert "/healthz" not in impostor.output(), f"{probe}: the impostor was sent the request"
        assert logged in (root / "nginx-error.log").read_text(), probe


def _probe_url(d: Deployment, probe: str) -> str:
    return f"https://127.0.0.1:{d.probes[probe][0]}/healthz"
