"""Code that runs inside generated packages as well as inside `gen`: standard library only.

`gen handlers` copies these modules verbatim into the packages it writes (`recognition.py` becomes
`_recognition.py`), so they import nothing from `generator` and pass `ruff` and `mypy --strict` on their own.
"""
