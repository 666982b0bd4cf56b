"""Dependencies run one way (DESIGN.md): portal → notifications → agreements → meetings →
members, every app → the shared machinery (core) and sign-in (accounts), and core imports no
app of ours.

Read from the source, so that an import added anywhere — a view, a migration, a function
body — is caught before it ties two apps into a knot.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What each package may import of ours, besides itself.
SHARED = {"committee.core", "committee.accounts"}
ALLOWED = {
    "committee.core": set(),
    "committee.accounts": {"committee.core"},
    "committee.members": SHARED,
    "committee.meetings": SHARED | {"committee.members"},
    "committee.agreements": SHARED | {"committee.members", "committee.meetings"},
    "committee.notifications": SHARED
    | {"committee.members", "committee.meetings", "committee.agreements"},
}
OURS = (*ALLOWED, "portal")


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # "from committee import core" names the package in the alias.
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def package_of(module: str) -> str | None:
    return next(
        (package for package in OURS if module == package or module.startswith(f"{package}.")),
        None,
    )


@pytest.mark.parametrize("package", ALLOWED)
def test_each_app_imports_only_what_it_builds_on(package):
    folder = ROOT / Path(*package.split("."))
    assert folder.is_dir(), f"{package} has no folder"
    wrong = sorted(
        f"{path.relative_to(ROOT)} imports {module}"
        for path in folder.rglob("*.py")
        for module in imported_modules(path)
        if (other := package_of(module)) and other != package and other not in ALLOWED[package]
    )
    assert wrong == []


def test_every_app_of_ours_is_covered():
    from django.apps import apps

    installed = {config.name for config in apps.get_app_configs()}
    assert {name for name in installed if name.startswith("committee.")} == set(ALLOWED)


def test_a_forbidden_import_would_be_found(tmp_path):
    module = tmp_path / "example.py"
    module.write_text("from committee.agreements.models import Pledge\nimport portal.views\n")
    found = {package_of(name) for name in imported_modules(module)}
    assert {"committee.agreements", "portal"} <= found
