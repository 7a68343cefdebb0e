"""Running ``radiculopathy-desktop ARGS`` in-process, as the CLI tests do."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from radiculopathy_desktop import cli


def run_main(capsys, argv: Sequence[str], *, fresh_output: bool = False) -> tuple[int, str, str]:
    """Run the CLI with ``argv``; return (exit code, stdout, stderr). An argparse exit
    (usage error, --help) returns its code instead of raising. ``fresh_output``: what was
    printed before the call is dropped, so stdout and stderr are this command's alone
    (otherwise they hold all that was printed since capsys was last read)."""
    if fresh_output:
        capsys.readouterr()
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assess_text(capsys, path: str, *options: str, as_of: str = "2026-11-25") -> str:
    """What ``assess PATH --format text --as-of AS_OF OPTIONS`` prints, the command having exited 0."""
    code, out, _err = run_main(capsys, ["assess", path, "--format", "text", "--as-of", as_of, *options])
    assert code == 0
    return out


def assess_output(capsys, tmp_path, case: dict, as_of, profile: str, fmt: str) -> str:
    """What ``assess CASE --as-of AS_OF --format FMT --profile PROFILE`` prints for ``case`` (written as JSON to
    ``tmp_path / "case.json"``), the command having exited 0."""
    path = write_json(tmp_path, case, "case.json")
    code, out, err = run_main(capsys, ["assess", path, "--as-of", as_of.isoformat(), "--format", fmt,
                                       "--profile", profile])
    assert code == 0, err
    return out


def cli_runner(capsys, *global_options: str, fresh_output: bool = False) -> Callable[..., tuple[int, str, str]]:
    """``run(*args)``: the CLI with ``global_options`` (e.g. ``--data-dir DIR`` or
    ``--server URL``) before ``args``; ``fresh_output`` as for ``run_main``."""

    def run(*args: str) -> tuple[int, str, str]:
        return run_main(capsys, [*global_options, *args], fresh_output=fresh_output)

    return run


def write_json(tmp_path, data: dict, name: str) -> str:
    """``data`` written as JSON to ``tmp_path / name``: the path, as the command line takes it."""
    import json

    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def example_runner(target, capsys, monkeypatch, today, example: str) -> Callable[..., tuple[int, str, str]]:
    """``cli_runner`` on the store ``target`` names (fresh output each call), the tracker's today set to ``today``,
    with the shipped example ``example`` (a file name under resources/examples) imported first."""
    from radiculopathy_desktop.commands import tracker
    from radiculopathy_desktop.resources import resource_path

    monkeypatch.setattr(tracker, "today", lambda: today)
    run = cli_runner(capsys, *target, fresh_output=True)
    code, _, err = run("import", str(resource_path("examples", example)))
    assert code == 0, err
    return run


def worklist_row(run, case_id: str, as_of) -> dict:
    """The row the worklist (JSON, every status) gives ``case_id`` on ``as_of``."""
    import json

    code, out, err = run("worklist", "--status", "all", "--as-of", as_of.isoformat(), "--format", "json")
    assert code == 0, err
    return {r["case_id"]: r for r in json.loads(out)["rows"]}[case_id]


def worklist_status(run, case_id: str, as_of) -> str:
    """The status the worklist (JSON, every status) gives ``case_id`` on ``as_of``."""
    return worklist_row(run, case_id, as_of)["status"]


def status_cells(out: str) -> dict[str, str]:
    """The plain-text worklist table's Status cell of each case, by case id (the column's width
    read from its dashes under the heading)."""
    lines = out.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("Status ")))
    width = lines[start + 1].index("  ")  # the Status column's dashes
    cells = {}
    for line in lines[start + 2:]:
        if not line.strip():
            break
        cells[line[width:].split()[0]] = line[:width].rstrip()
    return cells
