"""Progress goes to stderr as a bar on a terminal and as plain phase lines in a log, and says
nothing for small, quick work or when it is turned off."""

import io

from evidencekb.progress import Progress, quiet


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def run(progress, total, bar=True):
    with progress.phase("reading claims", total=total, bar=bar) as phase:
        for _ in range(total):
            phase.advance()


def test_a_log_gets_one_plain_line_per_big_phase():
    out = io.StringIO()
    run(Progress(out), 600)
    assert out.getvalue() == out.getvalue().strip() + "\n"  # one line
    assert out.getvalue().startswith("evidence: reading claims: 600 (")
    assert "\r" not in out.getvalue() and "\x1b" not in out.getvalue()


def test_a_terminal_gets_a_bar():
    out = FakeTTY()
    run(Progress(out), 600)
    text = out.getvalue()
    assert "reading claims" in text and "600/600" in text and "\r" in text


def test_a_phase_without_a_bar_is_a_line_on_a_terminal_too():
    out = FakeTTY()
    run(Progress(out), 600, bar=False)
    assert out.getvalue().startswith("evidence: reading claims: 600 (") and "\r" not in out.getvalue()


def test_small_quick_work_is_quiet_in_both_modes():
    for out in (io.StringIO(), FakeTTY()):
        run(Progress(out), 20)
        assert out.getvalue() == ""


def test_slow_work_is_reported_even_when_small():
    out = io.StringIO()
    with Progress(out, min_seconds=0.0).phase("writing exports"):
        pass
    assert out.getvalue().startswith("evidence: writing exports (")


def test_quiet_and_disabled_say_nothing():
    out = FakeTTY()
    run(Progress(out, enabled=False), 600)
    run(quiet(), 600)
    assert out.getvalue() == ""


def test_stderr_is_the_default(capsys):
    run(Progress(), 600)
    captured = capsys.readouterr()
    assert captured.out == "" and "reading claims" in captured.err


def test_check_json_output_carries_no_progress(project, capsys):
    from evidencekb.cli import main

    code = main(["check", "--root", str(project.root), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.err == ""
    __import__("json").loads(captured.out)
