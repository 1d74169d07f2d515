"""The school's pages are spread over one URL include per app, all under `o/<slug:org>/`.
Django tries them in order and takes the first match, so boundaries/urls.py may list the
busiest first only while no two apps could match the same address."""

from __future__ import annotations

from collections import defaultdict

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

ORG_PREFIX = "o/<slug:org>/"


def _first_words(resolver: URLResolver) -> set[str]:
    words = set()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        assert not route.startswith("<"), f"{route!r} starts with a parameter: it matches anything"
        words.add(route.split("/", 1)[0])
    return words


def _org_includes() -> list[URLResolver]:
    return [
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and str(entry.pattern) == ORG_PREFIX
    ]


def test_no_two_apps_claim_the_same_first_word_of_a_school_page() -> None:
    owners: dict[str, list[str]] = defaultdict(list)
    for include in _org_includes():
        for word in _first_words(include):
            owners[word].append(str(include.urlconf_name))
    shared = {word: apps for word, apps in owners.items() if len(apps) > 1}
    assert len(_org_includes()) >= 10
    assert shared == {}


def test_each_school_page_resolves_to_its_own_name() -> None:
    checked = 0
    for include in _org_includes():
        for entry in include.url_patterns:
            assert isinstance(entry, URLPattern)
            name = f"{include.namespace}:{entry.name}" if include.namespace else str(entry.name)
            kwargs = dict.fromkeys(entry.pattern.converters, 7)
            address = reverse(name, kwargs={"org": "rivington", **kwargs})
            assert resolve(address).view_name == name
            checked += 1
    assert checked > 100
