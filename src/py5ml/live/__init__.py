"""Live coding: models, data and training that outlive every save of the sketch file.

``keep`` (``_keep.py``) holds objects across reloads, ``latest`` (``_latest.py``) rebinds the
sketch's callbacks to their newest version, ``_session.py`` finds py5's live-coding controller
and ``_reload.py`` hooks py5's reload so tasks wait while the sketch's globals are refilled.
"""
