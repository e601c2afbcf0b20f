"""Make py5ml's offline color data: XKCD color-survey names mapped onto the 9 Coding Train labels.

The XKCD color survey (Randall Munroe, 2010, CC0) asked people to name colors; matplotlib ships
its 949 most common names as ``matplotlib.colors.XKCD_COLORS``. A name's last word is its main
color ("dusty rose" is a rose, "dark sea green" is a green), so we map that word onto one of the
9 labels and drop names we can't map honestly (black, white, "dark", "ugly"...).

Run once, commit the result (matplotlib is not needed at runtime):

    .venv/bin/python scripts/make_xkcd_fallback.py
"""

import json
from pathlib import Path

import matplotlib.colors as mcolors

OUT = Path(__file__).resolve().parent.parent / "src" / "py5ml" / "data" / "xkcd_colors.json"

# Each label with the words people use for it. Judgement calls are noted: teal-like blue-greens
# go by hue (teal/seafoam lean green, aqua/turquoise/cyan lean blue), tans and beiges are browns.
SYNONYMS = {
    "red-ish": "red reddish maroon burgundy wine blood crimson scarlet carmine ruby cherry claret "
               "merlot tomato strawberry lipstick brick rouge orangered cranberry bordeaux vermillion",
    "green-ish": "green greenish teal tealish seafoam mint spearmint wintergreen lime olive sage "
                 "fern shamrock kiwi pea seaweed algae lichen leaf camo swamp asparagus celery "
                 "celadon viridian spruce pear apple booger snot moss forest emerald jade chartreuse "
                 "avocado pistachio pine grass",
    "blue-ish": "blue bluish aqua cyan turquoise aquamarine navy azure azul sapphire marine "
                "periwinkle perrywinkle cornflower cobalt denim sky ice petrol midnight blueberry "
                "royal ultramarine cerulean ocean",
    "orange-ish": "orange orangeish orangish peach apricot tangerine mango pumpkin squash saffron "
                  "terracota terracotta amber butterscotch melon",
    "yellow-ish": "yellow yellowish gold golden mustard lemon canary butter banana sunflower "
                  "dandelion maize straw custard cream creme manilla goldenrod marigold",
    "pink-ish": "pink pinkish pinky rose rosa salmon coral fuchsia magenta bubblegum carnation "
                "blush watermelon raspberry cerise flamingo grapefruit",
    "purple-ish": "purple purplish purpleish purply purpley blurple violet lavender lavendar lilac liliac mauve plum "
                  "eggplant indigo amethyst heliotrope wisteria iris burple urple grape orchid "
                  "mulberry berry heather bruise barney aubergine",
    "brown-ish": "brown brownish tan beige khaki sand sandy sandstone wheat buff fawn camel taupe "
                 "toupe mushroom leather chocolate cocoa coffee mocha umber sienna siena sepia hazel "
                 "chestnut auburn caramel earth adobe desert rust cinnamon copper ochre ocher ocre "
                 "drab poo poop diarrhea putty russet mahogany mud clay dirt bronze",
    "grey-ish": "grey gray greyish grayish cement stone slate ash charcoal gunmetal silver steel",
}
WORD_TO_LABEL = {word: label for label, words in SYNONYMS.items() for word in words.split()}
BASE_WORDS = ("red", "green", "blue", "orange", "yellow", "pink", "purple", "brown", "grey", "gray")


def label_for(name):
    """The label for an XKCD name like "dusty rose", or None when its last word is not a color."""
    word = name.split()[-1]
    if "/" in word:  # "green/blue": two colors at once, too ambiguous to teach with
        return None
    if word in WORD_TO_LABEL:
        return WORD_TO_LABEL[word]
    for base in BASE_WORDS:  # run-together names: "darkgreen", "greyblue", "lightblue"
        if word.endswith(base):
            return WORD_TO_LABEL[base]
    return None


def make_entries():
    """Labelled entries in colorData.json's shape, plus the survey name, sorted by name."""
    entries, seen = [], set()
    for key, hex_color in sorted(mcolors.XKCD_COLORS.items()):
        name = key.removeprefix("xkcd:")
        label = label_for(name)
        r, g, b = (round(v * 255) for v in mcolors.to_rgb(hex_color))
        if label is None or (r, g, b, label) in seen:
            continue
        seen.add((r, g, b, label))
        entries.append({"r": r, "g": g, "b": b, "label": label, "name": name})
    return entries


def main():
    entries = make_entries()
    doc = {
        "source": "XKCD color survey names via matplotlib.colors.XKCD_COLORS "
                  "(CC0, https://xkcd.com/color/rgb/), mapped by scripts/make_xkcd_fallback.py",
        "entries": entries,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    lines = ",\n".join(json.dumps(e) for e in entries)  # one color a line: readable diffs
    OUT.write_text(f'{{"source": {json.dumps(doc["source"])},\n"entries": [\n{lines}\n]}}\n')
    counts = {label: sum(e["label"] == label for e in entries) for label in SYNONYMS}
    print(f"wrote {len(entries)} colors to {OUT}: {counts}")


if __name__ == "__main__":
    main()
