"""Evidence that a sentence was broken apart or joined wrongly (English targets).

- A full stop followed by a lower-case word ("Masrour Barzani. his position.") never splits a
  sentence, since a lower-case word rarely starts one; inside a sentence it is evidence of a bad
  join or a cut: :func:`stray_stops` finds it.
- A sentence with no finite verb in running prose ("More than 600 Iraqis, thousands of
  protesters wounded, ...") is usually a piece of the sentence before it: :func:`has_verb` is the
  heuristic, built so that it keeps quiet on well-formed news sentences (its rate on the human
  FLORES-dev references is in README.md, "What it checks").

Plain word lists, no tagger: every rule looks at a word and its neighbours only.
"""

from __future__ import annotations

import re

from mtaudit.text.segment import ABBREVIATIONS, CLOSERS

# A full stop, closing quotes or brackets, white space, then a word in lower case.
_STRAY_STOP = re.compile(rf"(?<![.…])\.(?![.…])[{re.escape(CLOSERS)}]*\s+(?=[a-z])")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")

_BE_HAVE_DO = (
    "am is are was were be been being isn aren wasn weren has have had hasn haven hadn "
    "do does did doesn don didn will would shall should can could may might must won "
    "wouldn shouldn couldn cannot ca mustn"
)
# Past and present forms of common irregular verbs (base forms too: "they say", "to go").
_IRREGULAR = (
    "say says said go goes went gone make makes made take takes took taken give gives gave "
    "given get gets got gotten come comes came know knows knew known see sees saw seen think "
    "thinks thought tell tells told find finds found leave leaves left feel feels felt bring "
    "brings brought begin begins began begun keep keeps kept hold holds held write writes "
    "wrote written stand stands stood hear hears heard let lets meet meets met run runs ran "
    "pay pays paid sit sits sat speak speaks spoke spoken lead leads led grow grows grew grown "
    "lose loses lost fall falls fell fallen send sends sent build builds built spend spends "
    "spent win wins won rise rises rose risen drive drives drove driven buy buys bought wear "
    "wears wore worn choose chooses chose chosen seek seeks sought throw throws threw thrown "
    "catch catches caught deal deals dealt draw draws drew drawn break breaks broke broken "
    "sell sells sold fight fights fought teach teaches taught eat eats ate eaten fly flies "
    "flew flown forget forgets forgot shoot shoots shot hit hits cut cuts put puts set sets "
    "become becomes became mean means meant show shows showed shown lie lies lay lain sleep "
    "sleeps slept shake shakes shook strike strikes struck swim swims swam hang hangs hung "
    "hide hides hid ride rides rode rode sing sings sang sung bear bears bore born borne "
    "freeze froze frozen steal stole stolen wake woke woken bite bit bitten spread spreads "
    "quit quits cost costs hurt hurts shut shuts split splits bet bets bid bids read reads "
    "seem seems seemed appear appears need needs want wants use uses try tries tried call calls "
    "help helps allow allows include includes remain remains continue continues believe "
    "believes live lives work works play plays move moves happen happens provide provides "
    "follow follows serve serves add adds change changes consider considers expect expects "
    "contain contains exist exists involve involves occur occurs produce produces require "
    "requires"
)
_VERBS = frozenset((_BE_HAVE_DO + " " + _IRREGULAR).split())
_SUBJECTS = frozenset("i you he she it we they who which that this these those".split())
_DETERMINERS = frozenset(
    "the a an this these those my your his her its our their some any no every each all both "
    "many much more most few several such what whose".split()
)
# Words that never stand between a subject and its verb's place as the verb itself.
_FUNCTION = _DETERMINERS | frozenset(
    "of in on at by for with from to into onto over under about after before during since "
    "until through across against among between within without around near than as via per "
    "and or but nor so yet if when while because although though whether where how why then "
    "also still often never not just only now already very quite even once again too "
    "me him us them mine yours hers ours theirs there here one two three four five six seven "
    "eight nine ten hundred thousand million billion".split()
)
# -ed words that are adjectives far more often than verbs.
_ED_ADJECTIVES = frozenset(
    "united based led related limited named called used allied armed red bed hundred "
    "need speed seed feed indeed wed shed bred fled sled".split()
)
_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|\d[\d,.]*|[,;:()—–]")
_MIN_WORDS_OUTSIDE_QUOTES = 6


def stray_stops(text: str) -> list[tuple[int, int]]:
    """Spans "word. lower" where a full stop is followed by a lower-case word.

    A stop after an abbreviation ("etc.", "e.g."), an initial or a lower-case letter of a
    dotted form ("a.m.") is not counted, nor an ellipsis.
    """
    spans: list[tuple[int, int]] = []
    for match in _STRAY_STOP.finditer(text):
        start = match.start()
        before = start
        while before > 0 and (text[before - 1].isalnum() or text[before - 1] in ".'’-"):
            before -= 1
        word = text[before:start]
        if not word or "." in word or len(word) == 1 or word.lower() in ABBREVIATIONS:
            continue
        nxt = _WORD.match(text, match.end())
        end = nxt.end() if nxt else match.end()
        spans.append((before, end))
    return spans


def has_verb(text: str) -> bool:
    """Whether ``text`` (English) may hold a finite verb outside its quotations.

    Generous on purpose, so that well-formed sentences are never called verbless: a word counts
    as a verb when it is a form of be/have/do or a modal, a common irregular verb, a
    contraction, a content word right after a subject pronoun or after another content word
    ("ships ply", "communication encourages"), a sentence-initial word before a determiner (an
    imperative: "Fill your home"), or an "-ed" word that is not a participle in a list
    ("protesters wounded, activists murdered or kidnapped"). Text mostly in quotation marks
    counts as having a verb, since the quotation cannot be judged.
    """
    tokens = _TOKEN.findall(_QUOTED.sub(" , ", text))
    words = [t.lower() for t in tokens]
    if sum(w[0].isalpha() for w in words) < _MIN_WORDS_OUTSIDE_QUOTES:
        return True
    for i, word in enumerate(words):
        if not word[0].isalpha():
            continue
        if word in _VERBS or "'" in word or "’" in word:
            return True
        prev = words[i - 1] if i else ""
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if i == 0 and nxt in _DETERMINERS:
            return True
        if word.endswith("ed") and len(word) > 4 and word not in _ED_ADJECTIVES:
            if not _participle(words, i):
                return True
            continue
        if word in _FUNCTION or word.endswith("ly") or tokens[i][0].isupper():
            continue
        if prev in _SUBJECTS:
            return True
        if prev[:1].isalpha() and prev not in _FUNCTION and not prev.endswith("ed"):
            return True
    return False


def _participle(words: list[str], i: int) -> bool:
    """Whether the "-ed" word at ``i`` is a participle in a list: "protesters wounded, ..."."""
    prev = words[i - 1] if i else ""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if prev in ("or", "and") and i >= 2 and words[i - 2].endswith("ed"):
        return True  # "murdered or kidnapped"
    ends_item = nxt in (",", ";", "or", "and")
    after_plural = prev.endswith("s") and prev not in _FUNCTION and prev not in _SUBJECTS
    return ends_item and after_plural
