"""The domain package is pure Python: it loads with Home Assistant blocked."""

import ast
from pathlib import Path
import subprocess
import sys

DOMAIN = Path(__file__).parents[2] / "custom_components" / "magnesium_sleep" / "domain"

LOADER = """
import importlib, importlib.util, sys
sys.modules["homeassistant"] = None  # any import of it now raises ImportError
sys.modules["custom_components"] = None  # domain modules must import each other relatively
spec = importlib.util.spec_from_file_location(
    "msdomain", sys.argv[1] + "/__init__.py", submodule_search_locations=[sys.argv[1]]
)
package = importlib.util.module_from_spec(spec)
sys.modules["msdomain"] = package
spec.loader.exec_module(package)
for name in sys.argv[2:]:
    importlib.import_module("msdomain." + name)
assert not any(m == "homeassistant" or m.startswith("homeassistant.") for m in sys.modules
               if sys.modules[m] is not None), "homeassistant got imported"
print("ok")
"""


def _modules() -> list[str]:
    """Every module and subpackage of the domain as a dotted path, e.g. "sleep.window"."""
    names = []
    for path in DOMAIN.rglob("*.py"):
        parts = path.relative_to(DOMAIN).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            names.append(".".join(parts))
    return sorted(names)


def test_domain_modules_exist() -> None:
    assert {
        "clock",
        "doses",
        "intake",
        "profile",
        "score",
        "sleep",
        "sleep.assembler",
        "sleep.night",
        "sleep.signals",
        "sleep.window",
        "units",
    } <= set(_modules())


def test_domain_imports_with_homeassistant_blocked(tmp_path: Path) -> None:
    result = subprocess.run(  # noqa: S603 - fixed interpreter and code
        [sys.executable, "-I", "-c", LOADER, str(DOMAIN), *_modules()],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_domain_source_only_imports_stdlib_or_siblings() -> None:
    for path in sorted(DOMAIN.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = path.relative_to(DOMAIN)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = [(node.module or "").split(".")[0]]
            else:
                continue
            for root in roots:
                assert root != "homeassistant", f"{where}:{node.lineno} imports HA"
                assert root in sys.stdlib_module_names or root == "__future__", (
                    f"{where}:{node.lineno} imports {root}; use the stdlib or a relative import"
                )


CLOCK_READS = {"now", "utcnow", "today", "time_ns", "monotonic"}


def test_domain_never_reads_the_clock() -> None:
    """The time is passed in, so domain tests need no frozen clock and never age."""
    for path in sorted(DOMAIN.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = path.relative_to(DOMAIN)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr not in CLOCK_READS, (
                    f"{where}:{node.lineno} reads the clock ({node.func.attr}); pass it in"
                )
