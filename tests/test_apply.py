"""``mtaudit apply``: exported corrections back into the articles, and every way it can refuse."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mtaudit.apply import apply_corrections, output_name, parse_corrections
from mtaudit.cli import main
from mtaudit.errors import InputError
from mtaudit.runfile import Run
from tests.helpers.run_fixtures import arabic_run, corrections, hostile_run

DOC1 = "alsumaria-2021-08-02"
DOC2 = "shafaq-excerpt"


def apply(run: Run, corr: dict[str, Any]) -> dict[str, str]:
    result = apply_corrections(run, parse_corrections(corr))
    return {d.id: d.text for d in result.documents}


def test_round_trip_replaces_only_corrected_sentences() -> None:
    run = arabic_run()
    fixed2 = "The minister said the new plant in Basra would run at full capacity by year end."
    fixed3 = "He added that the government had allocated 3.2 billion dollars for energy projects."
    corr = corrections(run, [(DOC1, 1, fixed2), (DOC1, 2, fixed3), (DOC1, 3, None)])
    texts = apply(run, corr)
    before = run.documents[0].target or ""
    after = texts[DOC1]
    assert fixed2 in after and fixed3 in after
    assert "2023" not in after and "2.3 billion" not in after
    assert after.count("\n\n") == before.count("\n\n")
    s = run.documents[0].sentences
    expected = before[: s[1].start] + fixed2 + " " + fixed3 + before[s[2].end :]
    assert after == expected
    assert texts[DOC2] == run.documents[1].target


def test_counts_and_notes() -> None:
    run = arabic_run()
    corr = corrections(run, [(DOC1, 1, "Fixed."), (DOC1, 3, None), (DOC2, 1, None)])
    result = apply_corrections(run, parse_corrections(corr))
    counts = {d.id: (d.corrected, d.fine) for d in result.documents}
    assert counts == {DOC1: (1, 1), DOC2: (0, 1)}
    assert result.notes == []


def test_offsets_are_code_points_even_after_astral_characters() -> None:
    run = hostile_run()
    doc = run.documents[0]
    last = doc.sentences[-1]
    corr = corrections(run, [(doc.id, last.index, "\U0001f600 Fixed here.")])
    text = apply(run, corr)[doc.id]
    assert text.endswith("\U0001f600 Fixed here.")
    assert text[: last.start] == (doc.target or "")[: last.start]


def test_empty_correction_deletes_the_sentence() -> None:
    run = arabic_run()
    text = apply(run, corrections(run, [(DOC2, 0, "")]))[DOC2]
    assert text.startswith(" It was created")


def mismatch(corr: dict[str, Any]) -> str:
    with pytest.raises(InputError) as info:
        apply_corrections(arabic_run(), parse_corrections(corr))
    return str(info.value)


def test_unknown_document() -> None:
    corr = corrections(arabic_run(), [(DOC1, 1, "x")])
    corr["corrections"][0]["document"] = "nowhere"
    assert "unknown document 'nowhere'" in mismatch(corr)


def test_changed_sentence_text() -> None:
    corr = corrections(arabic_run(), [(DOC1, 1, "x")])
    corr["corrections"][0]["original"] = "Some other sentence."
    message = mismatch(corr)
    assert "sentence 1" in message and "Some other sentence." in message


def test_changed_offsets_and_missing_sentence_and_duplicates_are_all_listed() -> None:
    corr = corrections(arabic_run(), [(DOC1, 1, "x"), (DOC1, 2, "y"), (DOC1, 2, None)])
    corr["corrections"][0]["start"] += 1
    extra = dict(corr["corrections"][0], sentence=99)
    corr["corrections"].append(extra)
    message = mismatch(corr)
    assert "(3)" in message
    assert "offsets" in message and "no sentence 99" in message and "two decisions" in message


def test_nothing_is_applied_when_anything_mismatches(tmp_path: Path) -> None:
    run = arabic_run()
    corr = corrections(run, [(DOC1, 1, "x"), (DOC1, 2, "y")])
    corr["corrections"][1]["original"] = "changed"
    run_file, corr_file = write(tmp_path, run, corr)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["apply", str(corr_file), "--run", str(run_file), "-d", str(out)]
    )
    assert result.exit_code == 2 and "do not match this run" in result.output
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ([], "expected a JSON object"),
        ({"schema": "mtaudit.corrections/2", "corrections": []}, "unsupported corrections schema"),
        ({"schema": "mtaudit.run/1", "documents": []}, "give it with --run"),
        ({"schema": "mtaudit.corrections/1"}, "no 'corrections' list"),
        ({"schema": "mtaudit.corrections/1", "corrections": [{"document": "a"}]}, "lacks"),
        (
            {
                "schema": "mtaudit.corrections/1",
                "corrections": [
                    {
                        "document": "a",
                        "sentence": 0,
                        "start": 0,
                        "end": 1,
                        "original": "x",
                        "decision": "maybe",
                    }
                ],
            },
            "decision 'maybe'",
        ),
        (
            {
                "schema": "mtaudit.corrections/1",
                "corrections": [
                    {
                        "document": "a",
                        "sentence": 0,
                        "start": 0,
                        "end": 1,
                        "original": "x",
                        "decision": "corrected",
                        "corrected": None,
                    }
                ],
            },
            "not a string",
        ),
    ],
)
def test_malformed_corrections(obj: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_corrections(obj, origin="c.json")


def test_notes_when_exported_from_other_settings_or_articles() -> None:
    run = arabic_run()
    corr = corrections(run, [(DOC1, 1, "x")])
    corr["run"]["signature"] = "mtaudit:0.0.9|config:aaaaaaaaaaaa"
    corr["run"]["documents_digest"] = "0000000000000000"
    notes = apply_corrections(run, parse_corrections(corr)).notes
    assert len(notes) == 2


def test_output_names_are_safe_and_unique() -> None:
    assert output_name("article-1") == "article-1.txt"
    assert output_name("a.en.txt") == "a.en.txt"
    odd = [output_name(i) for i in ("../etc/passwd", "feed.jsonl:12", "feed.jsonl/12", "خبر", "")]
    assert len(set(odd)) == len(odd)
    for name in odd:
        assert "/" not in name and not name.startswith(".") and name.endswith(".txt")


def write(tmp_path: Path, run: Run, corr: dict[str, Any]) -> tuple[Path, Path]:
    run_file = tmp_path / "run.json"
    corr_file = tmp_path / "corrections.json"
    run_file.write_text(json.dumps(run.to_dict(), ensure_ascii=False), encoding="utf-8")
    corr_file.write_text(json.dumps(corr, ensure_ascii=False), encoding="utf-8")
    return run_file, corr_file


def test_cli_single_reviewed_article_to_stdout_and_file(tmp_path: Path) -> None:
    run = arabic_run()
    run_file, corr_file = write(tmp_path, run, corrections(run, [(DOC2, 1, "It went on.")]))
    result = CliRunner().invoke(main, ["apply", str(corr_file), "--run", str(run_file)])
    assert result.exit_code == 0, result.output
    assert "It went on." in result.stdout
    out = tmp_path / "fixed.txt"
    result = CliRunner().invoke(
        main, ["apply", str(corr_file), "--run", str(run_file), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("Therefore, the report")
    assert "shafaq-excerpt: 1 corrected, 0 fine" in result.output


def test_cli_several_articles_need_a_directory(tmp_path: Path) -> None:
    run = arabic_run()
    corr = corrections(run, [(DOC1, 2, "Fixed."), (DOC2, 1, None)])
    run_file, corr_file = write(tmp_path, run, corr)
    result = CliRunner().invoke(main, ["apply", str(corr_file), "--run", str(run_file)])
    assert result.exit_code == 2 and "--out-dir" in result.output
    out = tmp_path / "corrected"
    result = CliRunner().invoke(
        main, ["apply", str(corr_file), "--run", str(run_file), "-d", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [f"{DOC1}.txt", f"{DOC2}.txt"]
    assert "Fixed." in (out / f"{DOC1}.txt").read_text(encoding="utf-8")
    result = CliRunner().invoke(
        main, ["apply", str(corr_file), "--run", str(run_file), "--document", DOC1]
    )
    assert result.exit_code == 0 and "Fixed." in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "a.txt", "-d", "dir"], "not both"),
        (["--all"], "--all needs"),
        (["--document", "nope"], "no article 'nope'"),
    ],
)
def test_cli_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    run = arabic_run()
    run_file, corr_file = write(tmp_path, run, corrections(run, [(DOC1, 1, "x")]))
    result = CliRunner().invoke(main, ["apply", str(corr_file), "--run", str(run_file), *args])
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output


def test_cli_swapped_files_get_a_hint(tmp_path: Path) -> None:
    run = arabic_run()
    run_file, corr_file = write(tmp_path, run, corrections(run, [(DOC1, 1, "x")]))
    result = CliRunner().invoke(main, ["apply", str(run_file), "--run", str(corr_file)])
    assert result.exit_code == 2 and "give it with --run" in result.output


def test_apply_on_a_real_audit_changes_only_the_corrected_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(__file__).resolve().parents[1]
    monkeypatch.chdir(root)
    run_file = tmp_path / "run.json"
    result = CliRunner().invoke(
        main,
        [
            "audit",
            "examples/article.en.txt",
            "--source",
            "examples/article.ar.txt",
            "--format",
            "json",
            "-o",
            str(run_file),
        ],
    )
    assert result.exit_code == 0, result.output
    run = Run.from_dict(json.loads(run_file.read_text(encoding="utf-8")))
    doc = run.documents[0]
    sentence = doc.sentences[1]
    corr = corrections(run, [(doc.id, 1, "A corrected sentence."), (doc.id, 0, None)])
    corr_file = tmp_path / "corrections.json"
    corr_file.write_text(json.dumps(corr, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "fixed.txt"
    result = CliRunner().invoke(
        main, ["apply", str(corr_file), "--run", str(run_file), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    original = (root / "examples" / "article.en.txt").read_text(encoding="utf-8")
    expected = original[: sentence.start] + "A corrected sentence." + original[sentence.end :]
    assert doc.target == original
    assert out.read_text(encoding="utf-8") == expected


def test_control_characters_are_removed_from_corrections_with_a_note() -> None:
    run = arabic_run()
    typed = "He added\x0b that the government\x00 had allocated 3.2 billion dollars.\x1b"
    result = apply_corrections(run, parse_corrections(corrections(run, [(DOC1, 2, typed)])))
    text = result.documents[0].text
    assert "He added that the government had allocated 3.2 billion dollars." in text
    assert not any(ch in text for ch in "\x00\x0b\x1b")
    assert result.notes == [
        "removed control characters (U+0000, U+000B, U+001B) from 1 corrected sentence"
    ]


def test_tab_and_line_feed_in_a_correction_are_kept() -> None:
    run = arabic_run()
    result = apply_corrections(run, parse_corrections(corrections(run, [(DOC2, 0, "A\tB\nC")])))
    assert "A\tB\nC" in result.documents[1].text and result.notes == []


def test_a_hand_edited_run_with_repeated_or_overlapping_sentences_is_refused() -> None:
    run = arabic_run()
    doc = run.documents[0]
    first, second, third = doc.sentences[0], doc.sentences[1], doc.sentences[2]
    # two sentences claim index 1; the third is made to overlap the first
    doc.sentences[2] = replace(third, index=1)
    shifted = {"start": first.start + 2, "end": first.end + 2}
    text = (doc.target or "")[first.start + 2 : first.end + 2]
    doc.sentences[3] = replace(doc.sentences[3], text=text, **shifted)
    entries = corrections(arabic_run(), [(DOC1, 0, "x"), (DOC1, 1, "y"), (DOC1, 3, "z")])
    entries["corrections"][2].update(original=text, **shifted)
    with pytest.raises(InputError) as info:
        apply_corrections(run, parse_corrections(entries))
    message = str(info.value)
    assert "sentence 1: the run has 2 sentences with this index" in message
    assert f"sentences 0 and 3: their spans {first.start}-{first.end}" in message
    assert second.text not in message


def test_offsets_outside_the_article_are_refused() -> None:
    run = arabic_run()
    doc = run.documents[1]
    last = doc.sentences[-1]
    size = len(doc.target or "")
    # a hand-edited run whose offsets count from the end still slices the sentence
    doc.sentences[-1] = replace(last, start=last.start - size, end=last.end - size)
    entries = corrections(run, [(DOC2, last.index, "x")])
    with pytest.raises(InputError, match="is not the sentence"):
        apply_corrections(run, parse_corrections(entries))
