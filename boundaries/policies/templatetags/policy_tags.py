"""Template filters for the policy pages (loaded as builtins in settings)."""

from __future__ import annotations

from typing import Any

from django import template

from boundaries.policies.models import clause_anchor

register = template.Library()


@register.filter
def dict_get(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def clause_slug(number: str) -> str:
    return clause_anchor(number).removeprefix("clause-")
