"""Research tools: reliability of codings and exports (tidy tables, ConvoKit corpora).

Builds on ``rapport.coding`` (the agreement module, the code table) and ``rapport.deid``;
nothing here is needed to analyse a single session.
"""
