"""The benchmark's own logic: synthetic bases check clean, figures and verdicts are right.

Timings themselves are never asserted (they belong in docs/performance.md)."""

from pathlib import Path

from evidencekb.bench import bench_one, report_markdown, verdicts
from evidencekb.checker import check_project
from evidencekb.project import Project
from evidencekb.synthetic import generate

REPO = Path(__file__).resolve().parents[2]


def test_synthetic_base_is_valid_and_deterministic(tmp_path):
    a = generate(tmp_path / "a", 40, 20, REPO / "claims" / "claim.schema.json")
    b = generate(tmp_path / "b", 40, 20, REPO / "claims" / "claim.schema.json")
    result = check_project(Project(a))
    assert result.errors == [] or list(result.errors) == []
    assert len(result.base.claims) == 40 and len(result.base.sources) == 20
    files = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)


def test_bench_one_measures_check_and_graph(tmp_path):
    lines = []
    r = bench_one(REPO, 60, 30, tmp_path, skip_site=True, skip_browser=True, log=lines.append)
    assert r["check_errors"] == 0
    assert r["check_s"] > 0 and r["bare_parse_s"] > 0 and r["check_ratio"] == r["check_s"] / r["bare_parse_s"]
    assert r["graph_nodes"] > 60 and r["graph_edges"] > 60
    assert any("ratio" in line and "target <= 2" in line for line in lines), lines


RESULTS = [
    {"claims": 1000, "sources": 500, "check_ratio": 1.6, "graph_s": 0.1, "site_ratio": 1.4,
     "heaviest_page_bytes": 329_000, "graph_interactive_s_5000": 1.0, "site_s_per_claim_ms": 11.0},
    {"claims": 10000, "sources": 5000, "check_ratio": 2.2, "graph_s": 1.8, "site_ratio": 1.5,
     "heaviest_page_bytes": 610_000, "graph_interactive_s_5000": 1.9, "site_s_per_claim_ms": 20.0},
]


def test_verdicts_say_met_or_by_how_much_missed():
    text = "\n".join(verdicts(RESULTS))
    assert "10,000 claims: 2.20× (missed by 10%)" in text
    assert "1,000 claims: 1.60× (met)" in text
    assert "10,000 claims: 1.50× (met)" in text  # on the limit is met
    assert "10,000 claims: 610 KB (missed by 22%)" in text
    assert "(worse than linear)" in text


def test_report_has_every_figure_and_the_machine():
    md = report_markdown(RESULTS, "2026-11-23 12:00 UTC")
    for label in ("check ÷ bare parse", "graph build + analysis", "site ÷ plain build",
                  "search index bytes per claim",
                  "heaviest page", "5,000 nodes", "first search result", "## Targets", "Machine:"):
        assert label in md, label
    assert "| 1,000 claims | 10,000 claims |" in md
