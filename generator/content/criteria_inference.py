"""Resolve step: criteria a task is about, inferred from its words, for plans that write no criterion codes.

Only Quảng Bình's plan writes PAR INDEX codes beside its tasks; the other plans' tasks are about the same
criteria without saying so. This step links such a task to the criteria (code x.y) whose vocabulary it shares,
MARKED as inferred and never mixed with the codes a plan states (``Task.inferred``; ``criteria`` stays what the
text says).

The method is transparent: a lexicon of word pairs (two syllables, "dịch vụ", "trực tuyến": a Vietnamese word is
mostly two syllables) per criterion, built from the criterion's own name and from the tasks a plan codes with
it. A pair weighs more the fewer criteria use it. A task's score for a criterion is the sum of the weights of
the pairs they share, among the criteria of the task's PAR INDEX field (the plan's structure gives the field).
The pairs that matched are kept and shown to the reader. A link is shown only when the score reaches
``THRESHOLD``, chosen from the k-fold measurement on Quảng Bình's coded tasks that
``python bench/criteria_inference.py`` prints (README, "Inferred criteria").
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import math
import pickle
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..files import write_if_changed
from ..folding import fold
from ..model.domain import Corpus, Criterion, InferredCriterion, Task

# Chosen from `python bench/criteria_inference.py` (5-fold on Quảng Bình's coded tasks): the lowest threshold
# whose precision is at least TARGET_PRECISION.
THRESHOLD = 2.5
TARGET_PRECISION = 0.9
MAX_PER_TASK = 1          # at most this many inferred criteria a task
SHOWN_WORDS = 4           # matching word pairs kept for the reader, heaviest first

# Syllables that carry no topic (folded): a pair holding one is not a feature.
STOP = frozenset("""va cac cua trong cho voi de tai theo nhung la co duoc viec nay tren mot tu den ve nhu khi bang thi
da se dang cung con hoac tung moi nham ra vao lai rat nua hon tren duoi sau truoc gom bao tiep tuc thuc hien trien
khai tang cuong nang cao day manh to chuc tinh nam dong thoi""".split())
_SYLLABLE = re.compile(r"[^\W_]+")


def _syllables(text: str) -> list[tuple[str, str]]:
    """(folded, as written) syllables of a text."""
    return [(_fold_syllable(w), w) for w in _SYLLABLE.findall(text)]


# A language has a few thousand syllables, each written a few ways, and a national corpus 150,000 tasks of them.
_fold_syllable = functools.lru_cache(maxsize=1 << 16)(fold)


def pairs(text: str) -> dict[str, str]:
    """The text's word pairs: folded pair -> the pair as the text writes it (first occurrence)."""
    syl = _syllables(text)
    out: dict[str, str] = {}
    for (a, wa), (b, wb) in zip(syl, syl[1:], strict=False):
        if a in STOP or b in STOP or a.isdigit() or b.isdigit() or len(a) < 2 or len(b) < 2:
            continue
        out.setdefault(f"{a} {b}", f"{wa} {wb}")
    return out


def criterion_level(code: str) -> str:
    """A criterion (x.y) for a criterion or sub-criterion code (x.y.z)."""
    return ".".join(code.split(".")[:2])


@dataclass
class Lexicon:
    weights: dict[str, dict[str, float]]     # criterion code (x.y) -> pair -> weight
    field_of: dict[str, str]                 # criterion code -> field code

    @classmethod
    def build(cls, criteria: dict[str, Criterion], coded: list[Task]) -> Lexicon:
        docs: dict[str, list[set[str]]] = defaultdict(list)
        field_of: dict[str, str] = {}
        for c in criteria.values():
            code = criterion_level(c.code)
            if code not in criteria:
                continue
            field_of[code] = c.field.code
            if c.name:
                docs[code].append(set(pairs(c.name)))
        for t in coded:
            for code in {criterion_level(c.code) for c in t.criteria}:
                if code in field_of:
                    docs[code].append(set(pairs(t.text)))
        used_by: Counter = Counter()
        for ds in docs.values():
            for p in set().union(*ds) if ds else ():
                used_by[p] += 1
        n = max(len(docs), 1)
        weights: dict[str, dict[str, float]] = {}
        for code, ds in docs.items():
            count: Counter = Counter(p for d in ds for p in d)
            weights[code] = {p: (k / len(ds)) ** 0.5 * math.log(1 + n / used_by[p]) for p, k in count.items()}
        return cls(weights, field_of)

    @classmethod
    def kept(cls, path: Path | None, criteria: dict[str, Criterion], coded: list[Task]) -> Lexicon:
        """``build``, or the lexicon kept in ``path`` by the last build when it was built from the same criteria,
        the same coded tasks' words and codes, and this code: an edit that changes none of them (most edits of
        most plans) does not build it again. Kept as the key, then the pickled lexicon, written whole or not at all."""
        if path is None:
            return cls.build(criteria, coded)
        key = _lexicon_key(criteria, coded)
        try:
            with open(path, "rb") as f:
                if f.read(len(key)) == key:
                    found = pickle.load(f)
                    if isinstance(found, cls):
                        return found
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
            pass
        lexicon = cls.build(criteria, coded)
        with contextlib.suppress(OSError):       # a lexicon that cannot be kept only costs time
            write_if_changed(path, key + pickle.dumps(lexicon, protocol=pickle.HIGHEST_PROTOCOL))
        return lexicon

    def scores(self, text: str, field: str | None) -> list[tuple[float, str, list[str]]]:
        """(score, criterion code, matching pairs as written, heaviest first), best first."""
        mine = pairs(text)
        out = []
        for code, w in self.weights.items():
            if field is not None and self.field_of.get(code) != field:
                continue
            shared = sorted((p for p in mine if p in w), key=lambda p: -w[p])
            if shared:
                out.append((sum(w[p] for p in shared), code, [mine[p] for p in shared]))
        out.sort(key=lambda x: (-x[0], x[1]))
        return out

    def infer(self, t: Task, threshold: float = THRESHOLD) -> list[tuple[float, str, list[str]]]:
        return [s for s in self.scores(t.text, t.field.code if t.field else None) if s[0] >= threshold][:MAX_PER_TASK]


def _lexicon_key(criteria: dict[str, Criterion], coded: list[Task]) -> bytes:
    """What Lexicon.build reads (every criterion's code, name and field; every coded task's words and codes) and the
    code that reads it (this module, the folding of syllables, Python's Unicode tables), as a digest."""
    h = hashlib.blake2b(digest_size=32)
    for module in (__file__, sys.modules[fold.__module__].__file__ or ""):
        h.update(Path(module).read_bytes())
    h.update(sys.version.encode())
    for c in criteria.values():
        h.update(repr((c.code, c.name, c.field.code)).encode())
    for t in coded:
        h.update(repr((t.text, [c.code for c in t.criteria])).encode())
    return b"lexicon:" + h.hexdigest().encode() + b"\n"


def coded_tasks(corpus: Corpus) -> list[Task]:
    return [t for t in corpus.tasks if t.criteria]


def infer_criteria(corpus: Corpus, kept: Path | None = None) -> None:
    """Set ``Task.inferred`` for every task of a plan that writes no criterion codes (resolve stage); ``kept``: a
    file where the lexicon is kept between builds (Lexicon.kept)."""
    coded = coded_tasks(corpus)
    if not coded:
        return
    lexicon = Lexicon.kept(kept, corpus.criteria, coded)
    for plan in corpus.plans:
        if any(t.criteria for t in plan.tasks):
            continue                     # a plan that writes codes: what it writes is what it says
        for t in plan.tasks:
            t.inferred = tuple(InferredCriterion(corpus.criteria[code], round(score, 2), tuple(words[:SHOWN_WORDS]))
                               for score, code, words in lexicon.infer(t))
