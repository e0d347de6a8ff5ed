"""The coding workbench: coding projects made from stored sessions, codebooks (Rapport's
or one in YAML), blind double coding, agreement, adjudication into gold, and exports
(gold JSONL for training, CSV code tables, ELAN .eaf). See docs/workbench.md.

The store keeps the rows and decides who may read them; the rules here decide what a turn
may carry, what a coder reads of a client, and how gold and agreement are made.
"""
