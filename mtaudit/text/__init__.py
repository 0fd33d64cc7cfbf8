"""Text before alignment: paragraphs and sentences, page furniture, numbers read from text.

``segment`` splits text into paragraphs and sentences with offsets, ``boilerplate`` sets web-page
furniture aside as non-prose blocks, and ``numbers`` reads numbers (in digits or words, English
or Arabic) the same way for the ``numbers`` check and the fidelity signal.
"""
