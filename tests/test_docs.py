"""`gen docs`: the project it writes (golden files), determinism, ownership of the output folder, the CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from generator.docs import build_docs
from generator.docs.project import MANIFEST, MARKER, MERMAID_JS
from generator.loader import load
from generator.problems import Exit, GenError, Kind

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "docs"
GOLDEN = FIXTURES / "golden"
SHOP = FIXTURES / "shop-3.0.yaml"
INJECTION = FIXTURES / "injection-2.6.yaml"
UPDATE_GOLDEN = os.environ.get("GEN_UPDATE_GOLDEN") == "1"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("document", [SHOP, INJECTION], ids=lambda p: p.stem)
def test_generated_project_matches_golden_files(document: Path, tmp_path: Path) -> None:
    """The pages and mkdocs.yml, byte for byte (without the sample event, which `gen samples` owns)."""
    build_docs(document, tmp_path, samples=False)
    generated = {
        path: content
        for path, content in tree(tmp_path).items()
        if path.endswith(".md") or path == "mkdocs.yml"
    }
    golden_dir = GOLDEN / document.stem
    if UPDATE_GOLDEN:
        shutil.rmtree(golden_dir, ignore_errors=True)
        for path, content in generated.items():
            (golden_dir / path).parent.mkdir(parents=True, exist_ok=True)
            (golden_dir / path).write_bytes(content)
    golden = tree(golden_dir)
    assert sorted(generated) == sorted(golden), "run with GEN_UPDATE_GOLDEN=1 to accept new output"
    for path, content in generated.items():
        assert content.decode() == golden[path].decode(), f"{path} differs from the golden file"


def test_output_is_byte_identical_on_rerun(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    build_docs(SHOP, first)
    build_docs(SHOP, second)
    build_docs(SHOP, first)  # again into the same folder
    assert tree(first) == tree(second)


def test_project_layout_and_result(tmp_path: Path) -> None:
    result = build_docs(SHOP, tmp_path / "site-project")
    root = result.output_dir
    assert result.site_dir is None and result.removed == ()
    assert (root / "mkdocs.yml").read_text().splitlines()[0] == MARKER
    assert (root / "docs" / "index.md").is_file()
    assert (root / "docs" / "channels" / "orders.md").is_file()
    assert (root / "docs" / "messages" / "order-placed.md").is_file()
    schemas = (root / "docs" / "schemas.md").read_text()  # every named schema in a section of one page
    assert "\n## Category { #schema-category }\n" in schemas and not (root / "docs" / "schemas").exists()
    mermaid = (root / "docs" / MERMAID_JS).read_bytes()
    assert len(mermaid) > 1_000_000 and b"mermaid" in mermaid[-500:]  # the real browser bundle
    assert (root / MANIFEST).read_text().splitlines() == sorted(result.written)
    assert not (root / "site").exists()


def test_sample_event_on_the_message_page_is_valid(tmp_path: Path) -> None:
    build_docs(SHOP, tmp_path)
    page = (tmp_path / "docs" / "messages" / "order-placed.md").read_text()
    block = page.split("## Sample event", 1)[1].split("```json\n", 1)[1].split("\n```", 1)[0]
    payload = load(SHOP).messages["OrderPlaced"].payload
    assert payload is not None
    jsonschema.validate(json.loads(block), payload.as_json_schema())


def test_message_page_shows_invocation_reply_examples_and_check_command(tmp_path: Path) -> None:
    build_docs(SHOP, tmp_path, samples=False)
    placed = (tmp_path / "docs" / "messages" / "order-placed.md").read_text()
    assert "## Invocation" in placed and "| Type | <code>poll-based</code> |" in placed
    assert "partial batch response" in placed
    assert '"orderId": "o-1"' in placed  # the example
    assert "gen check shop-3.0.yaml path/to/events/ --message OrderPlaced" in placed
    request = (tmp_path / "docs" / "messages" / "price-request.md").read_text()
    assert "## Reply" in request
    assert (
        "The reply is [PriceReply](price-reply.md), on channel [priceReplies](../channels/price-replies.md)"
        in (request)
    )
    reply = (tmp_path / "docs" / "messages" / "price-reply.md").read_text()
    assert "**Reply of:** <code>askPrice</code>" in reply


def test_check_command_quotes_names_for_the_shell(tmp_path: Path) -> None:
    build_docs(INJECTION, tmp_path, samples=False)
    page = (tmp_path / "docs" / "messages" / "evil-name-script.md").read_text()
    assert "gen check injection-2.6.yaml path/to/events/ --message '../evil name <script>'" in page


def test_page_files_stay_inside_the_output_folder(tmp_path: Path) -> None:
    output = tmp_path / "out"
    result = build_docs(INJECTION, output, samples=False)
    for path in result.written:
        assert (output / path).resolve().is_relative_to(output.resolve())
    assert sorted(p for p in result.written if p.startswith("docs/messages/")) == [
        "docs/messages/evil-name-script.md",
        "docs/messages/plain.md",
    ]
    assert {p.name for p in tmp_path.iterdir()} == {"out"}


def test_foreign_mkdocs_yml_is_refused_and_nothing_written(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n")
    with pytest.raises(GenError) as caught:
        build_docs(SHOP, tmp_path)
    (problem,) = caught.value.problems
    assert problem.kind is Kind.INPUT and problem.file == str(tmp_path / "mkdocs.yml")
    assert "not written by `gen docs`" in problem.what
    assert caught.value.exit_code == Exit.ERROR
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mkdocs.yml"]


def test_foreign_page_in_the_way_is_refused(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# My own page\n")
    with pytest.raises(GenError) as caught:
        build_docs(SHOP, tmp_path)
    assert caught.value.problems[0].file == str(tmp_path / "docs" / "index.md")
    assert (tmp_path / "docs" / "index.md").read_text() == "# My own page\n"
    assert not (tmp_path / "mkdocs.yml").exists()


def test_other_files_are_kept_and_stale_pages_removed(tmp_path: Path) -> None:
    build_docs(SHOP, tmp_path, samples=False)
    (tmp_path / "README.md").write_text("mine")
    (tmp_path / "docs" / "extra.md").write_text("mine too")
    smaller = tmp_path / "smaller.yaml"
    text = SHOP.read_text()
    for gone in (
        "      CategoryChanged: {$ref: '#/components/messages/CategoryChanged'}\n",
        "    CategoryChanged:\n      payload: {$ref: '#/components/schemas/Category'}\n",
    ):
        assert gone in text
        text = text.replace(gone, "")
    smaller.write_text(text)
    result = build_docs(smaller, tmp_path, samples=False)
    assert "docs/messages/category-changed.md" in result.removed
    assert not (tmp_path / "docs" / "messages" / "category-changed.md").exists()
    assert (tmp_path / "README.md").read_text() == "mine"
    assert (tmp_path / "docs" / "extra.md").read_text() == "mine too"


def test_manifest_cannot_make_us_delete_outside_the_folder(tmp_path: Path) -> None:
    output = tmp_path / "out"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    build_docs(SHOP, output, samples=False)
    with (output / MANIFEST).open("a") as manifest:
        manifest.write("../victim.txt\n/etc/hostname\n")
    build_docs(SHOP, output, samples=False)
    assert victim.read_text() == "keep me"


def run_gen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def test_cli_writes_the_project(tmp_path: Path) -> None:
    done = run_gen("docs", str(SHOP), "-o", str(tmp_path / "out"), "--no-samples")
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == f"{tmp_path / 'out'}: 13 pages written"
    assert (tmp_path / "out" / "docs" / "index.md").is_file()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["docs", "missing.yaml", "-o", "out"], "missing.yaml"),
        (["docs", str(SHOP)], "Missing option '-o'"),
        (["docs", str(REPO / "tests" / "bad_specs" / "malformed.yaml"), "-o", "out"], "malformed.yaml:"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2(args: list[str], expected: str, tmp_path: Path) -> None:
    done = run_gen(*args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert expected in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_cli_foreign_folder_is_exit_2_one_line(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n")
    done = run_gen("docs", str(SHOP), "-o", str(tmp_path))
    assert done.returncode == 2
    what = "exists and was not written by `gen docs`: choose another output folder"
    assert done.stderr.strip() == f"{tmp_path / 'mkdocs.yml'}: error: {what}"


def test_cli_build_failure_is_exit_1_and_keeps_the_old_site(tmp_path: Path) -> None:
    output = tmp_path / "out"
    assert run_gen("docs", str(SHOP), "-o", str(output), "--no-samples", "--build").returncode == 0
    built = tree(output / "site")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "index.md.j2").write_text("---\ntitle: x\n---\n\n# x\n\n[broken](no-such-page.md)\n")
    done = run_gen(
        "docs", str(SHOP), "-o", str(output), "--no-samples", "--build", "--templates", str(templates)
    )
    assert done.returncode == 1, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"{output / 'mkdocs.yml'}: error: mkdocs build --strict: ")
    assert "no-such-page.md" in line
    assert tree(output / "site") == built
    assert not [p for p in output.iterdir() if p.name.startswith(".site-")]


def test_an_override_of_the_message_page_may_still_read_sample(tmp_path: Path) -> None:
    """`message.md.j2` overrides written before the sample section moved to `sample.md.j2` read `sample`:
    it is still there (computed when read), and the page shows the event."""
    templates = tmp_path / "templates"
    templates.mkdir()
    ours = (REPO / "templates" / "docs" / "message.md.j2").read_text(encoding="utf-8")
    old = "{% if sample.unavailable %}none{% else %}{{ sample.event | json_block }}{% endif %}"
    (templates / "message.md.j2").write_text(ours.replace("{{ sample_section }}", old), encoding="utf-8")
    output = tmp_path / "out"
    build_docs(SHOP, output, build=True, samples=True, templates=templates)
    page = (output / "docs" / "messages" / "order-placed.md").read_text(encoding="utf-8")
    section = page.split("## Sample event", 1)[1].split("## Checking recorded events", 1)[0]
    assert "```json" in section and '"orderId"' in section
    html = (output / "site" / "messages" / "order-placed" / "index.html").read_text(encoding="utf-8")
    assert "gen-docs: sample event" not in html


def test_build_fails_when_an_html_table_links_to_a_missing_anchor(tmp_path: Path) -> None:
    """Field tables are HTML, whose links MkDocs does not check: the build checks their targets itself."""
    templates = tmp_path / "templates"
    templates.mkdir()
    schemas = (REPO / "templates" / "docs" / "schemas.md.j2").read_text(encoding="utf-8")
    (templates / "schemas.md.j2").write_text(schemas.replace(" { #{{ section.anchor }} }", ""))
    with pytest.raises(GenError) as raised:
        build_docs(SHOP, tmp_path / "out", build=True, samples=False, templates=templates)
    whats = [problem.what for problem in raised.value.problems]
    expected = (
        "an HTML table links to 'schemas.md#schema-order', but 'schemas.md' has no anchor 'schema-order'"
    )
    assert f"mkdocs build --strict: {expected}" in whats, whats
    assert all(what.startswith("mkdocs build --strict: ") for what in whats)


@pytest.fixture
def can_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even if another test left a thread running in this process (our child never touches it)."""
    if sys.platform != "linux":
        pytest.skip("background samples are forked on Linux only")
    monkeypatch.setattr("generator.forked.can_fork", lambda: True)


def test_fork_only_when_no_other_thread_runs() -> None:
    import threading

    from generator.forked import can_fork

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()
    finally:
        stop.set()
        thread.join()


@pytest.mark.usefixtures("can_fork")
def test_background_samples_equal_the_ones_computed_here() -> None:
    from generator.docs.samples import SampleJob, all_sample_events

    document = load(SHOP)
    job = SampleJob(document, children=2)  # the messages shared between two children
    assert job.in_background
    in_background = {name: job(message) for name, message in document.messages.items()}
    assert in_background == all_sample_events(document)
    assert in_background["OrderPlaced"].event is not None
    assert "not JSON Schema" in (in_background["AuditRecord"].unavailable or "")
    assert (
        SampleJob(document, background=False)(document.messages["OrderPlaced"])
        == in_background["OrderPlaced"]
    )


@pytest.mark.usefixtures("can_fork")
def test_a_failing_background_job_falls_back_to_computing_here(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.docs import samples as samples_module

    parent = os.getpid()
    real = samples_module.all_sample_events

    def fails_in_the_child(document: object, names: object = None) -> object:
        if os.getpid() != parent:
            raise MemoryError("the child died")
        return real(document, names)  # type: ignore[arg-type]

    monkeypatch.setattr(samples_module, "all_sample_events", fails_in_the_child)
    document = load(SHOP)
    job = samples_module.SampleJob(document)
    assert job.in_background
    assert job(document.messages["OrderPlaced"]).event is not None


def test_messages_are_shared_between_children_by_work() -> None:
    from generator.docs.samples import shares

    document = load(SHOP)
    split = shares(document, 2)
    assert len(split) == 2 and sorted(n for share in split for n in share) == sorted(document.messages)
    assert shares(document, 2) == split  # the same document is always split the same way
    assert shares(document, 1) == [list(document.messages)]


@pytest.mark.usefixtures("can_fork")
def test_an_abandoned_background_job_is_stopped() -> None:
    from generator.docs.samples import SampleJob

    job = SampleJob(load(SHOP))
    assert job.in_background
    job.close()
    assert not job.in_background
