"""The notebook runner on two small fixture notebooks in tests/notebooks/."""
from __future__ import annotations

import argparse
import io
from pathlib import Path

import pandas as pd
import pytest

from govreports import runner

FIXTURES = Path(__file__).parent / "notebooks"


def fake_reports() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "report_id": ["zhumadian-2020", "zhumadian-2021", "jingdezhen-2022"],
            "region_name": ["驻马店市", "驻马店市", "景德镇市"],
            "report_year": pd.array([2020, 2021, 2022], dtype="Int64"),
        }
    )


# --------------------------------------------------------------------------------------------
# planning and parameter checks (no kernel)
# --------------------------------------------------------------------------------------------
def test_check_parameters_rejects_an_unknown_name_and_lists_the_declared_ones():
    with pytest.raises(runner.ParameterError) as err:
        runner.check_parameters(FIXTURES / "echo-parameters.ipynb", {"name": "a", "cuont": 3})
    message = str(err.value)
    assert "cuont" in message
    assert "count" in message and "name" in message  # what the notebook does declare
    runner.check_parameters(FIXTURES / "echo-parameters.ipynb", {"name": "a", "count": 3})  # no error


def test_plan_runs_default_is_every_notebook_for_every_report_and_region():
    runs = runner.plan_runs(fake_reports())
    labels = [r.label for r in runs]
    assert labels == [
        "00-exploring/corpus",  # the walk-through, once, with its own defaults
        "10-city-profile/zhumadian-2020",
        "10-city-profile/zhumadian-2021",
        "10-city-profile/jingdezhen-2022",
        "20-region-over-time/zhumadian",  # jingdezhen has one report: no time series
        "30-compare-targets/corpus",
        "40-compare-attention/corpus",
        "50-corpus-quality/corpus",
    ]
    assert runs[0].parameters == {}
    assert runs[1].parameters == {"report_id": "zhumadian-2020"}
    assert runs[4].parameters == {"region_id": "zhumadian"}


def test_plan_runs_for_one_report_or_one_region_by_chinese_name():
    runs = runner.plan_runs(fake_reports(), report_ids=["jingdezhen-2022"])
    assert [r.label for r in runs] == ["10-city-profile/jingdezhen-2022"]
    runs = runner.plan_runs(fake_reports(), regions=["驻马店市"])
    assert [(r.label, r.parameters) for r in runs] == [("20-region-over-time/zhumadian", {"region_id": "zhumadian"})]
    runs = runner.plan_runs(fake_reports(), regions=["驻马店"], notebooks=["20"])
    assert runs[0].parameters == {"region_id": "zhumadian"}


def test_plan_runs_passes_chosen_reports_to_a_comparison_notebook():
    runs = runner.plan_runs(fake_reports(), notebooks=["30-compare-targets"], report_ids=["zhumadian-2020", "jingdezhen-2022"])
    assert [(r.label, r.parameters) for r in runs] == [
        ("30-compare-targets/corpus", {"report_ids": ["zhumadian-2020", "jingdezhen-2022"]})
    ]


def test_plan_runs_rejects_unknown_report_region_and_notebook():
    with pytest.raises(runner.ParameterError):
        runner.plan_runs(fake_reports(), report_ids=["nowhere-2020"])
    with pytest.raises(KeyError, match="zhumadian"):
        runner.plan_runs(fake_reports(), regions=["上海市"])
    with pytest.raises(runner.ParameterError, match="10-city-profile"):
        runner.plan_runs(fake_reports(), notebooks=["99-nothing"])


def test_the_suite_notebooks_declare_the_parameters_the_runner_passes():
    for name, (_, parameter) in runner.NOTEBOOKS.items():
        runner.check_parameters(runner.notebook_path(name), {parameter: "x"} if parameter else {})


def test_param_option_parses_python_literals():
    assert runner._parse_parameter("indicator_codes=['gdp', 'cpi']") == ("indicator_codes", ["gdp", "cpi"])
    assert runner._parse_parameter("code=0571") == ("code", "0571")  # not the integer 571
    assert runner._parse_parameter("n=5") == ("n", 5)
    assert runner._parse_parameter("scope=all") == ("scope", "all")


# --------------------------------------------------------------------------------------------
# executing (starts a kernel)
# --------------------------------------------------------------------------------------------
def test_runner_passes_real_types_keeps_going_after_a_failure_and_lists_it(tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    runs = [
        runner.Run("raises-error", "first", {"out_dir": str(out_dir)}),
        runner.Run("echo-parameters", "second", {"out_dir": str(out_dir), "name": "驻马店", "count": 571, "codes": ["gdp", "cpi"]}),
    ]
    results = runner.run_notebooks(runs, notebooks_dir=FIXTURES, build_dir=tmp_path / "build", progress=False)
    failed, passed = results
    assert not failed.ok and "ValueError" in failed.error and "always fails" in failed.error
    assert failed.output == tmp_path / "build" / "notebooks" / "raises-error" / "first.ipynb"
    assert failed.output.exists()  # the executed notebook with the traceback is kept
    assert passed.ok, passed.error
    # real Python types and non-ASCII values arrive intact
    assert (out_dir / "驻马店.txt").read_text(encoding="utf-8") == "'驻马店' int 571 ['gdp', 'cpi']"
    html = sorted(p.name for p in (tmp_path / "build" / "html" / "echo-parameters").iterdir())
    assert html == ["second.html", "second.no-code.html"]
    with_code = (tmp_path / "build" / "html" / "echo-parameters" / "second.html").read_text(encoding="utf-8")
    no_code = (tmp_path / "build" / "html" / "echo-parameters" / "second.no-code.html").read_text(encoding="utf-8")
    assert "write_text" in with_code and "write_text" not in no_code

    stream = io.StringIO()
    assert runner.summarise(results, stream=stream) == 1
    listing = stream.getvalue()
    assert "1 ok, 1 failed" in listing
    assert "raises-error/first" in listing and "echo-parameters/second" not in listing.split("failed:")[1]


def test_run_notebooks_checks_every_parameter_before_running_anything(tmp_path):
    runs = [
        runner.Run("echo-parameters", "ok", {"out_dir": str(tmp_path), "name": "ran"}),
        runner.Run("echo-parameters", "typo", {"out_dir": str(tmp_path), "nmae": "x"}),
    ]
    with pytest.raises(runner.ParameterError, match="nmae"):
        runner.run_notebooks(runs, notebooks_dir=FIXTURES, build_dir=tmp_path / "build", progress=False)
    assert not (tmp_path / "ran.txt").exists()


def test_run_from_args_reports_a_usage_error_with_exit_code_2(monkeypatch, capsys):
    import govreports

    class FakeCorpus:
        reports = fake_reports()

    monkeypatch.setattr(govreports, "load", lambda **kwargs: FakeCorpus())
    parser = argparse.ArgumentParser()
    runner.add_arguments(parser)
    code = runner.run_from_args(parser.parse_args(["--notebook", "10-city-profile", "--param", "repot_id='x'"]))
    assert code == 2
    assert "repot_id" in capsys.readouterr().err
    code = runner.run_from_args(parser.parse_args(["--region", "zhumadian", "--list"]))
    assert code == 0
    assert "20-region-over-time/zhumadian" in capsys.readouterr().out


def test_runs_in_separate_processes_keep_their_order(tmp_path):
    runs = [
        runner.Run("echo-parameters", name, {"out_dir": str(tmp_path), "name": name})
        for name in ("first", "second", "third")
    ]
    results = runner.run_notebooks(runs, notebooks_dir=FIXTURES, build_dir=tmp_path / "build", html=False, progress=False, jobs=2)
    assert [r.run.owner_id for r in results] == ["first", "second", "third"]
    assert all(r.ok for r in results), [r.error for r in results]
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == ["first.txt", "second.txt", "third.txt"]
