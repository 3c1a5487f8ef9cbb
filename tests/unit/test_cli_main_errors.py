"""An unexpected exception in a command reaches the user as one line, never as a stack trace."""

from __future__ import annotations

import pytest

from microcareer.cli import main as cli_main


def _boom() -> None:
    raise RuntimeError("the flux capacitor is empty")


def test_a_bug_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("MICROCAREER_DEBUG", raising=False)
    monkeypatch.setattr(cli_main, "app", _boom)
    with pytest.raises(SystemExit) as exit_info:
        cli_main.main()
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "unexpected RuntimeError: the flux capacitor is empty" in err
    assert "MICROCAREER_DEBUG=1" in err
    assert "Traceback" not in err


def test_debug_lets_the_traceback_through(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCAREER_DEBUG", "1")
    monkeypatch.setattr(cli_main, "app", _boom)
    with pytest.raises(RuntimeError, match="flux capacitor"):
        cli_main.main()


def test_ctrl_c_is_exit_130(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_main, "app", interrupted)
    with pytest.raises(SystemExit) as exit_info:
        cli_main.main()
    assert exit_info.value.code == 130
    assert "interrupted" in capsys.readouterr().err
