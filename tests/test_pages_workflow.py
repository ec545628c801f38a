"""The GitHub Pages workflow is valid YAML, uses the official actions, and builds with
the README's command at the Pages address."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def workflow() -> dict:
    return yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))


def readme_build_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.DOTALL)
    return next(b for b in blocks if "build.py build" in b).strip()


def steps() -> list[dict]:
    return [s for job in workflow()["jobs"].values() for s in job["steps"]]


def uses(name: str) -> dict:
    found = [s for s in steps() if s.get("uses", "").startswith(name + "@")]
    assert found, f"{name} is not used"
    return found[0]


def test_the_official_pages_actions_are_used() -> None:
    flow = workflow()
    assert flow[True]["push"]["branches"] == ["main"]  # YAML reads the key `on` as true
    assert flow["permissions"]["pages"] == "write"
    assert flow["permissions"]["id-token"] == "write"
    assert flow["concurrency"]["group"]
    uses("actions/checkout")
    assert uses("actions/setup-python")["with"]["cache"] == "pip"
    assert uses("actions/configure-pages")["id"] == "pages"
    assert uses("actions/upload-pages-artifact")["with"]["path"] == "site"
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert uses("actions/deploy-pages")


def test_the_build_step_runs_the_readme_command_at_the_pages_address() -> None:
    runs = [s["run"] for s in steps() if "run" in s]
    assert len(runs) == 1
    run = runs[0]
    assert run.startswith(readme_build_command())
    assert '--base-url "${{ steps.pages.outputs.base_url }}/"' in run
    assert "--strict" in run


def test_readme_names_the_repository_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Settings → Pages" in readme and "Source: GitHub Actions" in readme


def test_base_url_from_the_command_line_overrides_the_config(tmp_path: Path) -> None:
    from duben.cli import main

    out = tmp_path / "site"
    assert main(["build", "--root", str(ROOT / "tests/fixtures/edition"), "--out", str(out),
                 "--no-cache", "--base-url", "https://someone.github.io/fork"]) == 0
    home = (out / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://someone.github.io/fork/">' in home
    assert "https://example.org/duben/" not in home
