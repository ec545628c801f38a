"""Every script's edition, made once per build and read by every renderer.

The site, the EPUB and the PDFs are each made in every script: the default edition
at the root, the others from `to_variant` under their prefix (zh-hant/). Converting
an edition is the costly part (about 2 s at 1,000 articles, 20 s at 10,000), so the
conversions of the last (edition, config) pair are kept and handed to each renderer
that asks, instead of being redone by each.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from duben.model.config import Config
from duben.model.edition import Edition
from duben.model.variant import (
    DEFAULT,
    Converted,
    Converter,
    converter,
    load_exceptions,
    to_variant,
)
from duben.output import urls


@dataclass(frozen=True)
class ScriptEdition:
    """One script's edition as a renderer reads it."""

    script: str  # BCP 47 tag: zh-Hans, zh-Hant
    edition: Edition  # its display text in this script
    config: Config  # title and description in this script; base_url under its prefix
    convert: Converter | None  # for the templates' own words; None for the default


_last: list[tuple[Edition, Config, tuple[ScriptEdition, ...]]] = []


def in_scripts(edition: Edition, config: Config,
               converted: dict[str, Converted] | None = None) -> tuple[ScriptEdition, ...]:
    """The edition in every script it is built in (config.scripts), default first; the
    same objects for the same (identical) edition and config, so a build converts
    once. `converted` keeps each script's converted articles between calls (serve)."""
    if _last and _last[0][0] is edition and _last[0][1] is config:
        return _last[0][2]
    exceptions = load_exceptions(config.root)  # data/script.yaml; errors as path:line
    made = []
    for script in config.scripts:
        if script == DEFAULT:
            made.append(ScriptEdition(script, edition, config, None))
            continue
        shown = replace(to_variant(config, script, exceptions),
                        base_url=config.base_url + urls.variant_prefix(script))
        articles = None if converted is None else converted.setdefault(script, {})
        made.append(ScriptEdition(script, to_variant(edition, script, exceptions, articles),
                                  shown, converter(script, exceptions)))
    _last[:] = [(edition, config, tuple(made))]
    return tuple(made)
