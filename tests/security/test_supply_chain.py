"""What is installed is what was locked, and the bill of materials says so (ASVS V15.1.2).

The locks carry every distribution's SHA-256 and the Makefile installs them with
`--require-hashes`, so a package swapped on the index (or on a mirror of it) is refused. The
CycloneDX SBOM is made from run.lock by `make sbom` and committed beside it, so an authority
can read what a release ships without building it; these tests keep the two in step.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN_LOCK = ROOT / "requirements" / "run.lock"
SBOM = ROOT / "requirements" / "sbom.cdx.json"
PINNED = re.compile(r"^([A-Za-z0-9._-]+)==(\S+)((?:\s*\\\n\s+--hash=sha256:[0-9a-f]{64})*)", re.M)


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked(path: Path) -> dict[str, tuple[str, set[str]]]:
    """Each package's version and hashes, by normalised name."""
    return {
        _name(name): (version, set(re.findall(r"sha256:([0-9a-f]{64})", hashes)))
        for name, version, hashes in PINNED.findall(path.read_text())
    }


def _in_sbom() -> dict[str, tuple[str, set[str]]]:
    components = json.loads(SBOM.read_text())["components"]
    return {
        _name(c["name"]): (
            c["version"],
            {h["content"] for ref in c.get("externalReferences", []) for h in ref["hashes"]},
        )
        for c in components
    }


def test_every_locked_package_is_pinned_with_its_hashes() -> None:
    for lock in ("run.lock", "dev.lock"):
        text = (ROOT / "requirements" / lock).read_text()
        packages = re.findall(r"^[A-Za-z0-9]", text, re.M)
        locked = _locked(ROOT / "requirements" / lock)
        assert len(locked) == len(packages) >= 40, f"{lock} has a line that is not name==version"
        unhashed = sorted(name for name, (_, hashes) in locked.items() if not hashes)
        assert not unhashed, f"{lock} has packages without hashes: {unhashed}"


def test_the_makefile_installs_the_locks_only_with_their_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text()
    installs = re.findall(r"pip install[^\n]*-r requirements/\w+\.lock", makefile)
    assert len(installs) >= 3
    assert all("--require-hashes" in line for line in installs), installs
    assert makefile.count("--generate-hashes") == 2


def test_the_sbom_names_every_runtime_package_at_its_locked_version() -> None:
    locked, listed = _locked(RUN_LOCK), _in_sbom()
    missing = sorted(f"{n}=={v}" for n, (v, _) in locked.items() if n not in listed)
    assert not missing, f"the SBOM lacks {missing}: run `make sbom`"
    stale = sorted(
        f"{n}: SBOM {listed[n][0]}, run.lock {v}"
        for n, (v, _) in locked.items()
        if listed[n][0] != v
    )
    assert not stale, f"the SBOM is behind run.lock: {stale}; run `make sbom`"
    extra = sorted(set(listed) - set(locked))
    assert not extra, f"the SBOM names packages run.lock does not: {extra}; run `make sbom`"


def test_the_sbom_carries_the_locked_hashes() -> None:
    locked, listed = _locked(RUN_LOCK), _in_sbom()
    differ = sorted(
        n for n, (v, hashes) in locked.items() if listed.get(n, (v, set()))[1] != hashes
    )
    assert not differ, f"the SBOM's hashes differ from run.lock's for {differ}; run `make sbom`"


def test_the_sbom_describes_this_application() -> None:
    sbom = json.loads(SBOM.read_text())
    assert sbom["bomFormat"] == "CycloneDX"
    root = sbom["metadata"]["component"]
    assert (root["name"], root["type"]) == ("boundaries", "application")


def _recipe(target: str) -> str:
    makefile = (ROOT / "Makefile").read_text()
    body = makefile.split(f"\n{target}:", 1)[1].split("\n\n", 1)[0]
    return " ".join(body.replace("\\\n", " ").split())


def test_ci_audits_both_lock_files_for_known_vulnerabilities() -> None:
    """V15.1.1 and V15.2.1: the time frames below are kept by CI's `make audit`."""
    assert "\nmake audit\n" in (ROOT / ".ci" / "run").read_text()
    audit = _recipe("audit")
    assert "pip-audit -r requirements/run.lock -r requirements/dev.lock" in audit
    assert "bandit -c pyproject.toml" in audit


def test_the_security_document_states_the_patch_windows_and_the_trusted_index() -> None:
    text = (ROOT / "docs" / "security.md").read_text()
    dependencies = " ".join(text.split("\n## Dependencies\n", 1)[1].split("\n## ", 1)[0].split())
    for window in (
        "critical in a package we ship is fixed (upgraded, or the feature turned off) "
        "within 7 days",
        "high within 14 days",
        "others at the next monthly update",
        "a package with no fix is replaced or its use removed within 30 days",
        "The trusted index is PyPI",
        "--require-hashes",
    ):
        assert window in dependencies, window
