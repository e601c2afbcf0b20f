"""Data sets that lessons train on.

- ``_color_data``: the Coding Train's crowdsourced colors (cached or downloaded) and the XKCD
  colors that ship here (``xkcd_colors.json``) as the offline fallback.
"""
