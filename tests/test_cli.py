import sys

import pytest

from recolte.cli import main


@pytest.mark.parametrize(
    ("spelled", "command"), [("eval-search", "eval_search"), ("eval-autocode", "eval_autocode")]
)
def test_dashed_command_names_reach_their_command(monkeypatch, capsys, spelled, command):
    monkeypatch.setattr(sys, "argv", ["recolte", spelled, "--help"])
    with pytest.raises(SystemExit) as leaving:
        main()
    assert leaving.value.code == 0
    assert f"recolte {command}" in capsys.readouterr().out
