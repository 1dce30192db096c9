"""The lock: what `make install`, `make test`, CI and the container install is the set of versions the tests ran with,
every file checked against a hash, and it still satisfies what pyproject.toml asks for (`make lock` refreshes it)."""

from __future__ import annotations

import re

import pytest
import tomllib
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import ROOT

LOCKS = ROOT / "requirements"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)((?:\s*\\\s*--hash=sha256:[0-9a-f]{64})*)", re.MULTILINE)


def pins(name: str) -> dict[str, tuple[str, int]]:
    """A lock file's packages: canonical name -> (version, number of hashes)."""
    text = (LOCKS / name).read_text(encoding="utf-8")
    return {canonicalize_name(m[1]): (m[2], m[3].count("--hash=")) for m in PIN.finditer(text)}


def asked(*extras: str) -> list[Requirement]:
    """What pyproject.toml asks for: the dependencies and those of `extras` (qabot's own extras followed)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted, todo, seen = list(project["dependencies"]), list(extras), set()
    while todo:
        extra = todo.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for line in project["optional-dependencies"][extra]:
            req = Requirement(line)
            if canonicalize_name(req.name) == "qabot":
                todo.extend(req.extras)
            else:
                wanted.append(line)
    return [Requirement(line) for line in wanted]


@pytest.mark.parametrize(("lock", "extras"), [("test.txt", ("test",)), ("run.txt", ("ocr",))])
def test_the_lock_satisfies_pyproject_and_every_pin_has_a_hash(lock, extras):
    locked = pins(lock)
    assert locked and all(hashes for _, hashes in locked.values())
    for req in asked(*extras):
        version = locked.get(canonicalize_name(req.name))
        assert version is not None, f"{req.name} is not in requirements/{lock}: run `make lock`"
        assert req.specifier.contains(version[0], prereleases=True), f"{req} but {lock} pins {version[0]}"


def test_a_server_gets_the_versions_the_tests_ran_with():
    tested, served = pins("test.txt"), pins("run.txt")
    assert "rapidocr-onnxruntime" in served and "pytest" not in served and "ruff" not in served
    assert {name: v for name, (v, _) in served.items()} == {name: tested[name][0] for name in served}


def test_make_install_installs_from_the_lock_only():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    install = makefile.split("$(STAMP):", 1)[1].split("\n\n", 1)[0]
    assert "--require-hashes -r requirements/build.txt" in install
    assert "--require-hashes --no-build-isolation -r requirements/test.txt" in install
    assert "--no-deps --no-build-isolation -e ." in install and "pip check" in install
    assert "--upgrade" not in install and set(pins("build.txt")) == {"pip", "setuptools"}
