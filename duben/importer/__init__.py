"""seeds/ -> content/: decode, repair, cut into articles, write ordinary content files.

Top to bottom: seeds (decode) -> pagedata (editors' data beside a seed) -> pagetext
(corrections, repair, normalisation) -> blocks (what each line is) -> segment
(lines into articles) -> reading (one article) -> plan (what changes in content/)
-> split (the run, written atomically) with manifest (hand-edit protection).
"""
