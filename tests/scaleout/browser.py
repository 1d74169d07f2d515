"""A person's browser without JavaScript, for the scale-out test: a cookie jar, forms filled
from the page they came in (CSRF token included), redirects followed one hop at a time,
and the upstream server that answered each request written to a shared trace."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import requests


@dataclass(frozen=True)
class Hop:
    step: str
    who: str
    method: str
    path: str
    status: int
    upstream: str


@dataclass
class Trace:
    hops: list[Hop] = field(default_factory=list)
    step: str = ""

    def upstreams(self, step: str | None = None) -> list[str]:
        return [h.upstream for h in self.hops if step is None or h.step == step]


@dataclass
class Page:
    url: str
    status: int
    text: str
    upstream: str
    headers: Mapping[str, str]

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def doc(self) -> lxml.html.HtmlElement:
        return lxml.html.fromstring(self.text, base_url=self.url)

    def form(self, *, action: str | None = None, field: str | None = None) -> lxml.html.FormElement:
        """The form posting to `action`, or holding a control named `field`."""
        for form in self.doc().forms:
            if action is not None and urlsplit(form.action or self.url).path.endswith(action):
                return form
            if field is not None and field in form.inputs:
                return form
        raise AssertionError(f"no form ({action=}, {field=}) on {self.path}")

    def links(self, prefix: str) -> list[str]:
        return [
            urlsplit(href).path
            for _el, _attr, href, _pos in self.doc().iterlinks()
            if urlsplit(href).path.startswith(prefix)
        ]


class Browser:
    def __init__(self, base: str, ca: Path, trace: Trace, who: str) -> None:
        self.base = base
        self.trace = trace
        self.who = who
        self.ca = str(ca)
        self.session = requests.Session()
        # What a browser sends with a form: Django checks the origin of every HTTPS post.
        self.session.headers.update({"Origin": base, "Referer": f"{base}/"})

    def get(self, path: str, *, follow: bool = True) -> Page:
        return self._go("GET", urljoin(self.base, path), None, follow=follow)

    def submit(
        self, page: Page, form: lxml.html.FormElement, values: Mapping[str, str | Sequence[str]]
    ) -> Page:
        """Post the form as a browser would: its own fields (the CSRF token among them),
        with `values` chosen or typed over them."""
        data = [(k, v) for k, v in form.form_values() if k not in values]
        for key, value in values.items():
            data.extend((key, v) for v in ([value] if isinstance(value, str) else value))
        action = urljoin(page.url, form.action or page.url)
        return self._go("POST", action, data)

    def _go(
        self, method: str, url: str, data: list[tuple[str, str]] | None, *, follow: bool = True
    ) -> Page:
        for _ in range(10):
            response = self.session.request(
                # `verify` on each request: on the session, REQUESTS_CA_BUNDLE would win.
                method,
                url,
                data=data,
                allow_redirects=False,
                timeout=60,
                verify=self.ca,
            )
            upstream = response.headers.get("X-Upstream", "")
            self.trace.hops.append(
                Hop(
                    self.trace.step,
                    self.who,
                    method,
                    urlsplit(url).path,
                    response.status_code,
                    upstream,
                )
            )
            if not follow or response.status_code not in (301, 302, 303):
                return Page(url, response.status_code, response.text, upstream, response.headers)
            url, method, data = urljoin(url, response.headers["Location"]), "GET", None
        raise AssertionError(f"too many redirects from {url}")
