"""CONTRIBUTING.md is written for GitHub; on the site its relative links go to the repository."""

from evidencekb.site.common import Settings
from evidencekb.site.contributing import render_contributing, rewrite_links

S = Settings(repo_url="https://github.com/o/r")


def test_relative_links_point_to_the_repository():
    md = ("See [the schema](claims/claim.schema.json), [claims](claims/), [method](docs/method.md#levels), "
          "[web](https://example.org/), [here](#steps) and [mail](mailto:a@b.c).\n\n[ref]: ./README.md\n")
    out = rewrite_links(md, S)
    assert "(https://github.com/o/r/blob/main/claims/claim.schema.json)" in out
    assert "(https://github.com/o/r/tree/main/claims)" in out
    assert "(../method.md#levels)" in out  # MkDocs checks it and writes the URL
    assert "(https://example.org/)" in out and "(#steps)" in out and "(mailto:a@b.c)" in out
    assert "[ref]: https://github.com/o/r/blob/main/README.md" in out


def test_code_blocks_are_left_alone():
    md = "```bash\necho [x](claims/a.yaml)\n```\n[y](claims/b.yaml)\n"
    out = rewrite_links(md, S)
    assert "echo [x](claims/a.yaml)" in out
    assert "blob/main/claims/b.yaml" in out


def test_missing_file_gives_a_stub(tmp_path):
    page = render_contributing(tmp_path, S)
    assert page.src_uri == "contributing/index.md"
    assert "https://github.com/o/r" in page.body


def test_title_from_the_file(tmp_path):
    (tmp_path / "CONTRIBUTING.md").write_text("# Add a claim\n\nHello [s](claims/x.yaml)\n", encoding="utf-8")
    page = render_contributing(tmp_path, S)
    assert page.title == "Add a claim"
    assert "blob/main/claims/x.yaml" in page.body


def test_links_to_the_published_site_stay_on_the_site(tmp_path):
    s = Settings(site_url="https://x.github.io/kb/", repo_url="https://github.com/o/r")
    (tmp_path / "method.md").write_text("# Method\n", encoding="utf-8")
    out = rewrite_links("[m](https://x.github.io/kb/method/#vocabularies) [o](https://x.github.io/other/) "
                        "[c](https://x.github.io/kb/claims/a-claim/)", s, tmp_path)
    assert "(../method.md#vocabularies)" in out and "(https://x.github.io/other/)" in out
    assert "(../claims/a-claim/index.md)" in out  # a generated page
