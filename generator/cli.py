"""Command line: python -m generator {validate,coverage,render,build,extract,review}."""
from __future__ import annotations

import argparse
import os
import sys
import gc
import time
from pathlib import Path

from .problems import BuildError, ContentError, Problem, machine_error

ROOT = Path(__file__).resolve().parent.parent


class Progress:
    """One line per stage, with its time; on long stages, a line every NOTE_EVERY seconds; quiet when asked."""

    NOTE_EVERY = 10.0

    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.t0 = time.perf_counter()
        self.times: dict[str, float] = {}
        self._last_note = 0.0

    def note(self, text: str, force: bool = False) -> None:
        """A progress line inside a stage ("render: 4,000 of 13,638 pages"), at most every NOTE_EVERY seconds."""
        now = time.perf_counter()
        if self.quiet or (not force and now - self._last_note < self.NOTE_EVERY):
            return
        self._last_note = now
        print(f"[{now - self.t0:7.1f}s]   {text}", file=sys.stderr, flush=True)

    def stage(self, name: str):
        progress = self

        class _Stage:
            def __enter__(self_inner):
                self_inner.start = time.perf_counter()
                if not progress.quiet:
                    print(f"[{time.perf_counter() - progress.t0:7.1f}s] {name} ...", file=sys.stderr, flush=True)

            def __exit__(self_inner, *exc):
                progress.times[name] = progress.times.get(name, 0.0) + time.perf_counter() - self_inner.start
                return False
        return _Stage()


def load_corpus(content: Path, progress: Progress, cache: Path | None = None):
    """The resolved corpus of ``content``; ``cache``: a folder beside the docs where what the last build read is
    kept (each content file as loaded: LoadCache; the plans whose own checks passed: CheckedPlans; the documents each
    source text cites: KeptMentions; the inferred criteria's lexicon: Lexicon.kept)."""
    from .content.load import load_content
    from .content.resolve import resolve
    from .content.validate import validate
    problems: list[Problem] = []
    # The corpus is millions of objects that live until the build ends. Python's cyclic garbage collector
    # would walk all of them again and again as they are made (a third of the load stage on a national
    # corpus), so it is paused while they are made, and they are then frozen: it never walks them again.
    gc.disable()
    try:
        with progress.stage("load"):
            raw = load_content(content, problems, cache)
        with progress.stage("validate"):
            check_declared_date()
            from .config import BuildInfo
            # nothing may be dated after the build; the plans whose own checks passed are kept beside the cache
            valid, more = validate(raw, as_of=BuildInfo.from_env().as_of,
                                   kept=cache.with_name(cache.name + ".checked") if cache is not None else None)
            problems += more
        if problems or valid is None:
            raise ContentError(problems)
        with progress.stage("resolve"):
            # the documents each source text cites are kept beside the cache too
            corpus = resolve(valid, cache.with_name(cache.name + ".mentions") if cache is not None else None)
            from .content.criteria_inference import infer_criteria
            # criteria inferred for plans that write no codes, kept apart
            infer_criteria(corpus, cache.with_name(cache.name + ".lexicon") if cache is not None else None)
        gc.freeze()
    finally:
        gc.enable()
    return valid, corpus


def cmd_validate(args) -> int:
    valid, corpus = load_corpus(args.content, Progress(quiet=True))
    print(f"ok: {len(corpus.plans)} plans, {len(corpus.tasks)} tasks, {len(corpus.agencies)} agencies, {len(corpus.criteria)} criteria")
    return 0


def cmd_coverage(args) -> int:
    from .content.coverage import check_plan
    valid, corpus = load_corpus(args.content, Progress(quiet=True))
    problems = []
    for loaded, pf in valid.plans:
        found, stats = check_plan(loaded.rel, pf, valid.raw.sources[pf.source.file])
        problems += found
        print(f"{stats['plan']}: {stats['accounted']}/{stats['items']} items accounted for "
              f"({stats['tasks']} tasks, {stats['objectives']} objectives, {stats['groups']} groups, {stats['skips']} skips)")
    if problems:
        raise ContentError(problems)
    return 0


def check_declared_date() -> None:
    """PORTAL_SITE_URL, when set, must be an http(s) address; PORTAL_AS_OF / SOURCE_DATE_EPOCH, when set, must give
    a date: say so before anything is built."""
    from .config import SITE_URL_SETTING, public_address
    try:
        public_address()
    except ValueError:
        raise ContentError([Problem(SITE_URL_SETTING, None, "", f'expected the public address of the site, such as '
                                    f'https://example.org/, found "{os.environ.get(SITE_URL_SETTING)}"')]) from None
    from .config import BuildInfo
    try:
        BuildInfo.from_env()
    except (ValueError, OverflowError, OSError):
        name = "PORTAL_AS_OF" if os.environ.get("PORTAL_AS_OF") else "SOURCE_DATE_EPOCH"
        expected = "a date such as 2026-12-31" if name == "PORTAL_AS_OF" else "whole seconds since 1970-01-01 UTC"
        raise ContentError([Problem(name, None, "", f'expected {expected}, found "{os.environ.get(name)}"')]) from None


def load_cache(docs: Path) -> Path:
    """Beside the docs folder (held by the same lock): what loading each content file gave (load.LoadCache)."""
    from .files import beside
    return beside(docs, ".load-cache")


def cmd_render(args) -> int:
    from .site.render import render_site
    from .publish.release import build_lock
    check_declared_date()
    progress = Progress(quiet=args.quiet)
    with build_lock(args.docs):
        # only the corpus is kept: the loaded files (every value with its line) and the schema's objects are
        # freed here, before render (a third of the build's memory at national scale)
        corpus = load_corpus(args.content, progress, load_cache(args.docs))[1]
        with progress.stage("render"):
            stats = render_site(corpus, args.docs, ROOT, progress=progress)
    if not args.quiet:
        print(f"rendered {stats['pages']} pages ({stats['written']} changed) into {args.docs}", file=sys.stderr)
    return 0


def cmd_build(args) -> int:
    from .publish.release import build_lock, builder, publish
    from .site.render import render_site
    check_declared_date()
    builder()                  # a wrong PORTAL_BUILDER is said before anything is built
    progress = Progress(quiet=args.quiet)
    # one build at a time per docs and site folder: a second one waits here (never mixes two builds)
    with build_lock(args.docs), build_lock(args.site):
        # only the corpus is kept: the loaded files (every value with its line) and the schema's objects are
        # freed here, before render (a third of the build's memory at national scale)
        corpus = load_corpus(args.content, progress, load_cache(args.docs))[1]
        with progress.stage("render"):
            render_site(corpus, args.docs, ROOT, progress=progress)
        publish(args.docs, args.site, ROOT / "mkdocs.yml", progress, corpus=corpus)
    from .config import SITE_URL_SETTING, public_address
    if public_address() is None:      # said once per build, quiet or not: the published site lacks something
        print(f"note: {SITE_URL_SETTING} is not set, so sitemap.xml lists no pages and the feeds and calendars carry "
              f"relative links; set it to the site's public address (make build {SITE_URL_SETTING}=https://…/)", file=sys.stderr)
    if not args.quiet:
        total = time.perf_counter() - progress.t0
        print("stage times: " + ", ".join(f"{k} {v:.1f}s" for k, v in progress.times.items()) + f"; total {total:.1f}s", file=sys.stderr)
        print(f"published {args.site}", file=sys.stderr)
    return 0


def cmd_extract(args) -> int:
    from .extract import main as extract_main
    return extract_main(args)


def cmd_review(args) -> int:
    from .extract.review import main as review_main
    return review_main(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="content directory (default: content/)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check content/ and report every problem")
    sub.add_parser("coverage", help="check that every item of every task section is accounted for")
    p = sub.add_parser("render", help="render the Markdown pages into the docs directory")
    p.add_argument("--docs", type=Path, default=ROOT / "build" / "docs")
    p.add_argument("--quiet", action="store_true")
    p = sub.add_parser("build", help="validate, render and publish the site atomically")
    p.add_argument("--docs", type=Path, default=ROOT / "build" / "docs")
    p.add_argument("--site", type=Path, default=ROOT / "site")
    p.add_argument("--quiet", action="store_true")
    p = sub.add_parser("extract", help="draft a plan YAML from a plan's text")
    p.add_argument("source", type=Path)
    p.add_argument("-o", "--output", type=Path, default=None)
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.add_argument("--province", default=None)
    p = sub.add_parser("review", help="list what is left to check in a drafted plan (the extract's marks)")
    p.add_argument("plan", help="plan id (content/plans/<id>.yml) or a plan file")
    args = parser.parse_args(argv)
    handler = {"validate": cmd_validate, "coverage": cmd_coverage, "render": cmd_render,
               "build": cmd_build, "extract": cmd_extract,
               "review": cmd_review}[args.command]
    try:
        return handler(args)
    except (ContentError, BuildError) as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except OSError as exc:             # the machine, not the content: a full disk, a read-only folder, ...
        where = " or ".join(str(getattr(args, a)) for a in ("docs", "site") if getattr(args, a, None))
        print(machine_error(exc, where or None).report(), file=sys.stderr)
        return 1
    except MemoryError:
        print(BuildError("the build ran out of memory; close other programs or build on a machine with more "
                         "memory").report(), file=sys.stderr)
        return 1
    except Exception as exc:
        import jinja2
        if not isinstance(exc, jinja2.TemplateSyntaxError):
            raise
        where = f"templates/{Path(exc.filename or exc.name or '?').name}"
        print(f"{where}:{exc.lineno}: template syntax error: {exc.message}\nnothing was published.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing was published", file=sys.stderr)
        return 130
