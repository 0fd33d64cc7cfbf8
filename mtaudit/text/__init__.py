"""Text before alignment: paragraphs and sentences, page furniture, numbers read from text.

``segment`` splits text into paragraphs and sentences with offsets, ``boilerplate`` sets web-page
furniture aside as non-prose blocks, ``numbers`` reads numbers (in digits or words, English or
Arabic) the same way for the checks and the fidelity signal, ``measures`` reads a number with its
unit so that a conversion is recognised (``units`` is the table of units it shares with the
``units`` check, ``months`` the month names the ``units`` check and ``numbers`` share),
``arabic`` holds the diacritics the checks ignore, and ``compare`` scores one text against
another (chrF, BLEU, TER; numbers and names lost) for alignment and the fidelity signal;
``chrf`` and ``ter`` compute chrF and TER equal to sacrebleu's, faster.
"""
