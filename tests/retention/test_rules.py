from __future__ import annotations

import pytest
from django.apps import apps

from boundaries.core.retention import RetentionError, load_rules, parse_rules


def all_models() -> set[str]:
    return {m._meta.label_lower for m in apps.get_models(include_auto_created=True)}


def test_every_model_has_a_retention_rule_or_is_listed_as_holding_no_personal_data() -> None:
    missing = sorted(all_models() - load_rules().covered())
    assert not missing, (
        "These models have no retention rule in boundaries/core/data/retention.toml; add a "
        f"[[rule]] or list them under [no_personal_data] with a reason: {missing}"
    )


def test_every_rule_names_a_model_that_exists() -> None:
    rules = load_rules()
    names = [r.model for r in rules.rules] + list(rules.no_personal_data)
    names += [f for r in rules.rules for f in r.follows]
    assert sorted(set(names) - all_models()) == []


def test_a_model_is_not_both_ruled_and_listed_as_holding_nothing() -> None:
    rules = load_rules()
    assert {r.model for r in rules.rules} & set(rules.no_personal_data) == set()


@pytest.mark.django_db
def test_every_purging_rule_can_be_run_against_the_database() -> None:
    for rule in load_rules().rules:
        if rule.purge:
            manager = rule.model_class()._default_manager
            manager.filter(**rule.filter).exclude(**{f"{rule.after}__isnull": True}).exists()
            if rule.longer_of:
                manager.filter(**{f"{rule.longer_of}__isnull": True}).exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[rule]]\nmodel = 'a.b'\n", "rule 1: record must be some text"),
        (
            "[[rule]]\nmodel='a.b'\nrecord='x'\nsource='s'\nwhy='w'\npurge=true\n",
            "needs `after` and `years`",
        ),
        ("[[rule]]\nmodel='a.b'\nrecord='x'\nsource='s'\nwhy='w'\nkeep=1\n", "unknown keys"),
        ("[[rule]\n", "not valid TOML"),
        (
            "[[rule]]\nmodel='a.b'\nrecord='x'\nsource='s'\nwhy='w'\nafter='d'\nyears=-1\n",
            "years must be a whole number",
        ),
    ],
)
def test_a_bad_rules_file_is_refused_naming_the_rule(text: str, message: str) -> None:
    with pytest.raises(RetentionError, match=message):
        parse_rules(text)


def test_the_rules_command_lists_each_rule_with_its_source(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from boundaries.cli import app

    with pytest.raises(SystemExit) as done:
        app(["retention", "rules"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "concerns.concern: Allegations" in out
    assert "10 years after created_at, or until retain_until if later" in out
    assert "Keeping Children Safe in Education" in out
